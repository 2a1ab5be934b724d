import { KmsError, invalidState, unsupported, validation } from '../errors.js';
import { keyMetadataOf } from '../state/key-metadata.js';
import { SimState } from '../state/store.js';
import type { KeyRecord } from '../state/types.js';
import type { Handler } from './context.js';
import { policyToStore } from './lib/key-policy.js';

export const replicateKey: Handler<'ReplicateKey'> = (state, input, context) => {
  const key = state.resolveKey(input.KeyId, context, { aliases: false });
  const replicaRegion = input.ReplicaRegion;
  if (!key.multiRegion) throw unsupported(`${key.arn} is not a multi-Region key.`);
  if (key.multiRegionKeyType !== 'PRIMARY')
    throw unsupported(`${key.arn} is not a primary multi-Region key.`);
  if (key.deletionDate !== undefined) throw invalidState(`${key.arn} is pending deletion.`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(replicaRegion))
    throw validation(`${replicaRegion} is not a valid Region.`);
  if (replicaRegion === key.region) {
    throw validation('The replica Region must be different from the Region of the primary key.');
  }
  const arn = SimState.arnOf(replicaRegion, key.account, key.keyId);
  if (state.keys.has(arn)) throw new KmsError('AlreadyExistsException', `${arn} already exists.`);
  const policy = policyToStore(input.Policy, key.account);
  const replica: KeyRecord = {
    keyId: key.keyId,
    arn,
    region: replicaRegion,
    account: key.account,
    creationDate: context.clock.nowSeconds(),
    description: input.Description ?? key.description,
    keySpec: key.keySpec,
    keyUsage: key.keyUsage,
    origin: key.origin,
    enabled: true,
    multiRegion: true,
    multiRegionKeyType: 'REPLICA',
    primaryArn: key.arn,
    replicaArns: [],
    tags: input.Tags ?? [],
    policy,
    // KMS copies generated material to a replica; imported material must be imported again.
    materials: key.materials.map((m) => ({
      id: m.id,
      state: m.state === 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION' ? 'PENDING_ROTATION' : m.state,
      ...(key.origin === 'AWS_KMS' && m.material !== undefined
        ? { material: Buffer.from(m.material) }
        : {}),
    })),
  };
  state.keys.set(arn, replica);
  key.replicaArns.push(arn);
  return {
    ReplicaKeyMetadata: keyMetadataOf(replica, state.keys),
    ReplicaPolicy: policy,
    ReplicaTags: replica.tags,
  };
};
