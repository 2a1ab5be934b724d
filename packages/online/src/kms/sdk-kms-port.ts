import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GenerateMacCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  ListKeyRotationsCommand,
  type KeyMetadata,
  type KMSClient,
  type MacAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { ByokError } from '@byok-ceremony/shared';
import { kmsError, requestIdOf } from './kms-error.js';
import type { KeyDescription, KeyMaterialEntry, KmsPort } from './kms-port.js';

function missing(operation: string, field: string): ByokError {
  return new ByokError('ERR_KMS', `KMS ${operation} answered without ${field}`, {
    hint: 'The endpoint does not behave like KMS: check --endpoint-url.',
  });
}

function describe(metadata: KeyMetadata | undefined): KeyDescription {
  if (metadata?.KeyId === undefined || metadata.Arn === undefined)
    throw missing('DescribeKey', 'KeyMetadata');
  const mr = metadata.MultiRegionConfiguration;
  return {
    keyId: metadata.KeyId,
    arn: metadata.Arn,
    keyState: metadata.KeyState ?? 'UNKNOWN',
    origin: metadata.Origin ?? 'UNKNOWN',
    keySpec: metadata.KeySpec ?? 'UNKNOWN',
    keyUsage: metadata.KeyUsage ?? 'UNKNOWN',
    description: metadata.Description,
    expirationModel: metadata.ExpirationModel,
    validTo: metadata.ValidTo,
    currentKeyMaterialId: metadata.CurrentKeyMaterialId,
    multiRegion: metadata.MultiRegion ?? false,
    multiRegionKeyType: mr?.MultiRegionKeyType,
    primaryKeyArn: mr?.PrimaryKey?.Arn,
    replicaKeyArns: (mr?.ReplicaKeys ?? []).flatMap((r) => (r.Arn === undefined ? [] : [r.Arn])),
  };
}

/** KmsPort over the real SDK client; every call's request id goes to `recordRequestId`, failed calls too. */
export function sdkKmsPort(
  client: KMSClient,
  recordRequestId: (id: string) => void,
  region: string,
): KmsPort {
  async function call<T>(operation: string, key: string, send: () => Promise<T>): Promise<T> {
    try {
      const output = await send();
      const id = requestIdOf(output);
      if (id !== undefined) recordRequestId(id);
      return output;
    } catch (error) {
      const id = requestIdOf(error);
      if (id !== undefined) recordRequestId(id);
      throw kmsError(operation, key, error);
    }
  }

  return {
    region,

    async createKey(input) {
      const out = await call('CreateKey', 'a new key', () =>
        client.send(
          new CreateKeyCommand({
            Origin: 'EXTERNAL',
            KeySpec: input.keySpec,
            KeyUsage: input.keyUsage,
            ...(input.description === undefined ? {} : { Description: input.description }),
            MultiRegion: input.multiRegion,
            ...(input.tags.length === 0
              ? {}
              : { Tags: input.tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) }),
          }),
        ),
      );
      const metadata = describe(out.KeyMetadata);
      return { keyId: metadata.keyId, arn: metadata.arn };
    },

    async createAlias(aliasName, targetKeyId) {
      await call('CreateAlias', targetKeyId, () =>
        client.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: targetKeyId })),
      );
    },

    async describeKey(keyId) {
      const out = await call('DescribeKey', keyId, () =>
        client.send(new DescribeKeyCommand({ KeyId: keyId })),
      );
      return describe(out.KeyMetadata);
    },

    async getParametersForImport(keyId, wrappingAlgorithm, wrappingKeySpec) {
      const out = await call('GetParametersForImport', keyId, () =>
        client.send(
          new GetParametersForImportCommand({
            KeyId: keyId,
            WrappingAlgorithm: wrappingAlgorithm,
            WrappingKeySpec: wrappingKeySpec,
          }),
        ),
      );
      if (out.KeyId === undefined) throw missing('GetParametersForImport', 'KeyId');
      if (out.PublicKey === undefined) throw missing('GetParametersForImport', 'PublicKey');
      if (out.ImportToken === undefined) throw missing('GetParametersForImport', 'ImportToken');
      if (out.ParametersValidTo === undefined)
        throw missing('GetParametersForImport', 'ParametersValidTo');
      return {
        keyArn: out.KeyId,
        publicKey: out.PublicKey,
        importToken: out.ImportToken,
        parametersValidTo: out.ParametersValidTo,
      };
    },

    async importKeyMaterial(input) {
      const out = await call('ImportKeyMaterial', input.keyId, () =>
        client.send(
          new ImportKeyMaterialCommand({
            KeyId: input.keyId,
            ImportToken: input.importToken,
            EncryptedKeyMaterial: input.encryptedKeyMaterial,
            ExpirationModel: input.expirationModel,
            ...(input.validTo === undefined ? {} : { ValidTo: input.validTo }),
          }),
        ),
      );
      return { keyId: out.KeyId ?? input.keyId, keyMaterialId: out.KeyMaterialId };
    },

    async generateMac(keyId, message, macAlgorithm) {
      const out = await call('GenerateMac', keyId, () =>
        client.send(
          new GenerateMacCommand({
            KeyId: keyId,
            Message: message,
            MacAlgorithm: macAlgorithm as MacAlgorithmSpec,
          }),
        ),
      );
      if (out.Mac === undefined) throw missing('GenerateMac', 'Mac');
      return out.Mac;
    },

    async getPublicKey(keyId) {
      const out = await call('GetPublicKey', keyId, () =>
        client.send(new GetPublicKeyCommand({ KeyId: keyId })),
      );
      if (out.PublicKey === undefined) throw missing('GetPublicKey', 'PublicKey');
      return out.PublicKey;
    },

    async listKeyMaterials(keyId) {
      const entries: KeyMaterialEntry[] = [];
      let marker: string | undefined;
      do {
        const out = await call('ListKeyRotations', keyId, () =>
          client.send(
            new ListKeyRotationsCommand({
              KeyId: keyId,
              IncludeKeyMaterial: 'ALL_KEY_MATERIAL',
              ...(marker === undefined ? {} : { Marker: marker }),
            }),
          ),
        );
        for (const r of out.Rotations ?? []) {
          entries.push({
            keyMaterialId: r.KeyMaterialId,
            keyMaterialState: r.KeyMaterialState,
            importState: r.ImportState,
            expirationModel: r.ExpirationModel,
            validTo: r.ValidTo,
            rotationDate: r.RotationDate,
          });
        }
        marker = out.Truncated === true ? out.NextMarker : undefined;
      } while (marker !== undefined);
      return entries;
    },

    close() {
      client.destroy();
    },
  };
}
