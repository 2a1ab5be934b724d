import { randomBytes, randomUUID } from 'node:crypto';
import { isKeySpec } from '@byok-ceremony/shared';
import { keyMaterialIdOf } from '../crypto/key-material-id.js';
import { generateKeyMaterial } from '../crypto/material.js';
import { unsupported, validation } from '../errors.js';
import { importAcceptanceOf } from '../model/import-acceptance.js';
import { keyMetadataOf } from '../state/key-metadata.js';
import { SimState } from '../state/store.js';
import type { KeyRecord } from '../state/types.js';
import type { Handler } from './context.js';
import { policyToStore } from './lib/key-policy.js';

export const createKey: Handler<'CreateKey'> = (state, input, context) => {
  if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined) {
    throw validation('You cannot specify KeySpec and CustomerMasterKeySpec in the same request.');
  }
  const origin = input.Origin ?? 'AWS_KMS';
  if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') {
    throw unsupported(`Origin ${origin} is not supported by byok-kms-sim`);
  }
  if (input.CustomKeyStoreId !== undefined || input.XksKeyId !== undefined) {
    throw unsupported('Custom key stores are not supported by byok-kms-sim');
  }
  const keySpec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  if (!isKeySpec(keySpec))
    throw unsupported(`KeySpec ${String(keySpec)} is not supported by byok-kms-sim`);
  if (keySpec === 'SM2' && !context.region.startsWith('cn-')) {
    throw unsupported('SM2 key spec is only supported in China Regions');
  }
  // Which specs and usages come from the simulator's own table, not the tools' rules.
  const acceptance = importAcceptanceOf(keySpec);
  if (acceptance === undefined) {
    throw unsupported(
      origin === 'EXTERNAL'
        ? `KeySpec ${keySpec} does not support imported key material (Origin EXTERNAL)`
        : `byok-kms-sim does not generate ${keySpec} keys`,
    );
  }
  const keyUsage = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
  if (!acceptance.usages.includes(keyUsage)) {
    throw validation(`KeyUsage ${keyUsage} is not compatible with KeySpec ${keySpec}`);
  }
  const policy = policyToStore(input.Policy, context.account);
  const multiRegion = input.MultiRegion ?? false;
  const keyId = multiRegion ? `mrk-${randomBytes(16).toString('hex')}` : randomUUID();
  const arn = SimState.arnOf(context.region, context.account, keyId);
  const key: KeyRecord = {
    keyId,
    arn,
    region: context.region,
    account: context.account,
    creationDate: context.clock.nowSeconds(),
    description: input.Description ?? '',
    keySpec,
    keyUsage,
    origin,
    enabled: true,
    multiRegion,
    replicaArns: [],
    tags: input.Tags ?? [],
    policy,
    materials: [],
  };
  if (multiRegion) key.multiRegionKeyType = 'PRIMARY';
  if (origin === 'AWS_KMS') {
    const material = generateKeyMaterial(keySpec);
    key.materials.push({
      id: keyMaterialIdOf(state.secrets.materialIdKey, keyId, material),
      state: 'CURRENT',
      material,
    });
  }
  state.keys.set(arn, key);
  return { KeyMetadata: keyMetadataOf(key, state.keys) };
};
