import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  GenerateMacCommand,
  GetParametersForImportCommand,
  GetKeyPolicyCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  type KeyMetadata,
  type KMSClient,
  type MacAlgorithmSpec,
  type Tag,
} from '@aws-sdk/client-kms';
import { ByokError } from '@byok-ceremony/shared';
import { kmsError, requestIdOf } from './kms-error.js';
import {
  checkBlob,
  checkDate,
  checkEnum,
  checkKeyArn,
  checkKeyId,
  checkKeyMaterialDescription,
  checkKeyMaterialId,
  checkText,
  optional,
} from './kms-response.js';
import { KMS_CALL_ATTEMPTS } from './kms-call-attempts.js';
import { kmsFailureKind } from './kms-failure.js';
import type { KeyDescription, KeyMaterialEntry, KmsAlias, KmsPort, KmsTag } from './kms-port.js';

/**
 * Which failures a call may be sent again after: `idempotent` (reads, GetParametersForImport, the
 * proofs) after throttling or no answer; `throttled-only` (CreateKey, CreateAlias,
 * RotateKeyOnDemand, DeleteImportedKeyMaterial: an unanswered one may have happened);
 * `never` (ImportKeyMaterial: importExactlyOnce checks the key first).
 */
type RetryPolicy = 'idempotent' | 'throttled-only' | 'never';

/** Exponential backoff with full jitter, 50 ms doubling to at most 2 s. */
function backoffMs(attempt: number): number {
  return Math.round(Math.random() * Math.min(2_000, 50 * 2 ** attempt));
}

/** More pages than KMS ever has for one list (ListKeys: 1,000 keys a page). */
const MAX_PAGES = 10_000;

/** The marker of the next page, or undefined at the end; a marker seen before is refused. */
function nextMarker(
  operation: string,
  out: { readonly Truncated?: boolean | undefined; readonly NextMarker?: string | undefined },
  seen: Set<string>,
): string | undefined {
  if (out.Truncated !== true) return undefined;
  if (out.NextMarker === undefined) throw missing(operation, 'NextMarker');
  if (seen.has(out.NextMarker) || seen.size >= MAX_PAGES)
    throw new ByokError(
      'ERR_KMS',
      `KMS ${operation} answered page ${seen.size + 1} with ${seen.has(out.NextMarker) ? 'a NextMarker it gave before' : `more than ${MAX_PAGES} pages`}`,
      { hint: 'The endpoint does not behave like KMS: check --endpoint-url.' },
    );
  seen.add(out.NextMarker);
  return out.NextMarker;
}

/** A page request's Marker: none on the first page. */
type PageMarker = { Marker?: string };

/** Every item of a paged list, each page asked with the NextMarker of the one before. */
async function allPages<Out extends Parameters<typeof nextMarker>[1], T>(
  operation: string,
  page: (marker: PageMarker) => Promise<Out>,
  items: (out: Out) => T[],
): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let marker: string | undefined;
  do {
    const out = await page(marker === undefined ? {} : { Marker: marker });
    all.push(...items(out));
    marker = nextMarker(operation, out, seen);
  } while (marker !== undefined);
  return all;
}

function missing(operation: string, field: string): ByokError {
  return new ByokError('ERR_KMS', `KMS ${operation} answered without ${field}`, {
    hint: 'The endpoint does not behave like KMS: check --endpoint-url.',
  });
}

/** The description, every field checked: an id or date that is not one never reaches the ceremony. */
function describe(operation: string, metadata: KeyMetadata | undefined): KeyDescription {
  if (metadata?.KeyId === undefined || metadata.Arn === undefined)
    throw missing(operation, 'KeyMetadata');
  const keyId = checkKeyId(operation, 'KeyMetadata.KeyId', metadata.KeyId);
  const arn = checkKeyArn(operation, 'KeyMetadata.Arn', metadata.Arn);
  if (!arn.endsWith(`:key/${keyId}`))
    throw new ByokError(
      'ERR_KMS',
      `KMS ${operation} answered the key ARN ${arn} for another key id, ${keyId}`,
      { hint: 'The endpoint does not behave like KMS: check --endpoint-url.' },
    );
  const mr = metadata.MultiRegionConfiguration;
  const enumOr = (field: string, value: unknown): string =>
    optional(value, checkEnum, operation, `KeyMetadata.${field}`) ?? 'UNKNOWN';
  return {
    keyId,
    arn,
    keyState: enumOr('KeyState', metadata.KeyState),
    origin: enumOr('Origin', metadata.Origin),
    keySpec: enumOr('KeySpec', metadata.KeySpec),
    keyUsage: enumOr('KeyUsage', metadata.KeyUsage),
    description: optional(
      metadata.Description,
      (o, f, v) => checkText(o, f, v, 8192),
      operation,
      'KeyMetadata.Description',
    ),
    expirationModel: optional(
      metadata.ExpirationModel,
      checkEnum,
      operation,
      'KeyMetadata.ExpirationModel',
    ),
    validTo: optional(metadata.ValidTo, checkDate, operation, 'KeyMetadata.ValidTo'),
    currentKeyMaterialId: optional(
      metadata.CurrentKeyMaterialId,
      checkKeyMaterialId,
      operation,
      'KeyMetadata.CurrentKeyMaterialId',
    ),
    multiRegion: metadata.MultiRegion === true,
    multiRegionKeyType: optional(
      mr?.MultiRegionKeyType,
      checkEnum,
      operation,
      'MultiRegionConfiguration.MultiRegionKeyType',
    ),
    primaryKeyArn: optional(
      mr?.PrimaryKey?.Arn,
      checkKeyArn,
      operation,
      'MultiRegionConfiguration.PrimaryKey.Arn',
    ),
    replicaKeyArns: (mr?.ReplicaKeys ?? []).flatMap((r) =>
      r.Arn === undefined
        ? []
        : [checkKeyArn(operation, 'MultiRegionConfiguration.ReplicaKeys.Arn', r.Arn)],
    ),
  };
}

/** The service model's TagList, from the ceremony's tags. */
function sdkTags(tags: readonly KmsTag[]): { Tags?: Tag[] } {
  return tags.length === 0 ? {} : { Tags: tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) };
}

/** The service model's PolicyType: at most 131,072 characters. */
const MAX_POLICY_CHARS = 131_072;

/** KmsPort over the real SDK client; every call's request id goes to `recordRequestId`, failed calls too. */
export function sdkKmsPort(
  client: KMSClient,
  recordRequestId: (id: string) => void,
  region: string,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((done) => setTimeout(done, ms)),
): KmsPort {
  async function call<T>(
    operation: string,
    key: string,
    send: () => Promise<T>,
    retry: RetryPolicy = 'idempotent',
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const output = await send();
        const id = requestIdOf(output);
        if (id !== undefined) recordRequestId(id);
        return output;
      } catch (error) {
        const id = requestIdOf(error);
        if (id !== undefined) recordRequestId(id);
        const kind = kmsFailureKind(error);
        const again =
          attempt < KMS_CALL_ATTEMPTS &&
          (kind === 'throttled' ? retry !== 'never' : kind === 'unknown' && retry === 'idempotent');
        if (!again) throw kmsError(operation, key, error);
        await sleep(backoffMs(attempt));
      }
    }
  }

  return {
    region,

    async createKey(input) {
      const out = await call(
        'CreateKey',
        'a new key',
        () =>
          client.send(
            new CreateKeyCommand({
              Origin: 'EXTERNAL',
              KeySpec: input.keySpec,
              KeyUsage: input.keyUsage,
              ...(input.description === undefined ? {} : { Description: input.description }),
              MultiRegion: input.multiRegion,
              ...sdkTags(input.tags),
              ...(input.policy === undefined ? {} : { Policy: input.policy }),
            }),
          ),
        'throttled-only',
      );
      return describe('CreateKey', out.KeyMetadata);
    },

    async replicateKey(primaryKeyArn, replicaRegion, input) {
      const out = await call(
        'ReplicateKey',
        primaryKeyArn,
        () =>
          client.send(
            new ReplicateKeyCommand({
              KeyId: primaryKeyArn,
              ReplicaRegion: replicaRegion,
              ...(input.description === undefined ? {} : { Description: input.description }),
              ...sdkTags(input.tags),
              ...(input.policy === undefined ? {} : { Policy: input.policy }),
            }),
          ),
        'throttled-only',
      );
      return describe('ReplicateKey', out.ReplicaKeyMetadata);
    },

    listAliases() {
      const op = 'ListAliases';
      return allPages(
        op,
        (marker) => call(op, 'the Region', () => client.send(new ListAliasesCommand(marker))),
        (out) =>
          (out.Aliases ?? []).flatMap((a): KmsAlias[] =>
            a.AliasName === undefined
              ? []
              : [
                  {
                    aliasName: checkText(op, 'AliasName', a.AliasName, 256),
                    targetKeyId: optional(a.TargetKeyId, checkKeyId, op, 'TargetKeyId'),
                    aliasArn: optional(
                      a.AliasArn,
                      (o, f, v) => checkText(o, f, v, 2048),
                      op,
                      'AliasArn',
                    ),
                  },
                ],
          ),
      );
    },

    listResourceTags(keyId) {
      const op = 'ListResourceTags';
      return allPages(
        op,
        (marker) =>
          call(op, keyId, () =>
            client.send(new ListResourceTagsCommand({ KeyId: keyId, ...marker })),
          ),
        (out) =>
          (out.Tags ?? []).map((t): KmsTag => ({
            key: checkText(op, 'TagKey', t.TagKey, 128),
            value: checkText(op, 'TagValue', t.TagValue ?? '', 256),
          })),
      );
    },

    async getKeyPolicy(keyId) {
      const out = await call('GetKeyPolicy', keyId, () =>
        client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })),
      );
      if (out.Policy === undefined) throw missing('GetKeyPolicy', 'Policy');
      return checkText('GetKeyPolicy', 'Policy', out.Policy, MAX_POLICY_CHARS);
    },

    async createAlias(aliasName, targetKeyId) {
      await call(
        'CreateAlias',
        targetKeyId,
        () =>
          client.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: targetKeyId })),
        'throttled-only',
      );
    },

    async describeKey(keyId) {
      const out = await call('DescribeKey', keyId, () =>
        client.send(new DescribeKeyCommand({ KeyId: keyId })),
      );
      return describe('DescribeKey', out.KeyMetadata);
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
      const op = 'GetParametersForImport';
      if (out.KeyId === undefined) throw missing(op, 'KeyId');
      if (out.PublicKey === undefined) throw missing(op, 'PublicKey');
      if (out.ImportToken === undefined) throw missing(op, 'ImportToken');
      if (out.ParametersValidTo === undefined) throw missing(op, 'ParametersValidTo');
      return {
        keyArn: checkKeyArn(op, 'KeyId', out.KeyId),
        // PlaintextType and CiphertextType of the KMS model.
        publicKey: checkBlob(op, 'PublicKey', out.PublicKey, 1, 4096),
        importToken: checkBlob(op, 'ImportToken', out.ImportToken, 1, 6144),
        parametersValidTo: checkDate(op, 'ParametersValidTo', out.ParametersValidTo),
      };
    },

    async importKeyMaterial(input) {
      const out = await call(
        'ImportKeyMaterial',
        input.keyId,
        () =>
          client.send(
            new ImportKeyMaterialCommand({
              KeyId: input.keyId,
              ImportToken: input.importToken,
              EncryptedKeyMaterial: input.encryptedKeyMaterial,
              ExpirationModel: input.expirationModel,
              ...(input.validTo === undefined ? {} : { ValidTo: input.validTo }),
              ...(input.importType === undefined ? {} : { ImportType: input.importType }),
              ...(input.keyMaterialId === undefined ? {} : { KeyMaterialId: input.keyMaterialId }),
              ...(input.keyMaterialDescription === undefined
                ? {}
                : { KeyMaterialDescription: input.keyMaterialDescription }),
            }),
          ),
        'never',
      );
      return {
        keyId: optional(out.KeyId, checkKeyArn, 'ImportKeyMaterial', 'KeyId') ?? input.keyId,
        keyMaterialId: optional(
          out.KeyMaterialId,
          checkKeyMaterialId,
          'ImportKeyMaterial',
          'KeyMaterialId',
        ),
      };
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
      return checkBlob('GenerateMac', 'Mac', out.Mac, 1, 6144);
    },

    async getPublicKey(keyId) {
      const out = await call('GetPublicKey', keyId, () =>
        client.send(new GetPublicKeyCommand({ KeyId: keyId })),
      );
      if (out.PublicKey === undefined) throw missing('GetPublicKey', 'PublicKey');
      return checkBlob('GetPublicKey', 'PublicKey', out.PublicKey, 1, 8192);
    },

    listKeyMaterials(keyId) {
      const op = 'ListKeyRotations';
      return allPages(
        op,
        (marker) =>
          call(op, keyId, () =>
            client.send(
              new ListKeyRotationsCommand({
                KeyId: keyId,
                IncludeKeyMaterial: 'ALL_KEY_MATERIAL',
                ...marker,
              }),
            ),
          ),
        (out) =>
          (out.Rotations ?? []).map((r): KeyMaterialEntry => ({
            keyMaterialId: optional(r.KeyMaterialId, checkKeyMaterialId, op, 'KeyMaterialId'),
            keyMaterialState: optional(r.KeyMaterialState, checkEnum, op, 'KeyMaterialState'),
            importState: optional(r.ImportState, checkEnum, op, 'ImportState'),
            expirationModel: optional(r.ExpirationModel, checkEnum, op, 'ExpirationModel'),
            validTo: optional(r.ValidTo, checkDate, op, 'ValidTo'),
            rotationDate: optional(r.RotationDate, checkDate, op, 'RotationDate'),
            rotationType: optional(r.RotationType, checkEnum, op, 'RotationType'),
            description: optional(
              r.KeyMaterialDescription,
              checkKeyMaterialDescription,
              op,
              'KeyMaterialDescription',
            ),
          })),
      );
    },

    async rotateKeyOnDemand(keyId) {
      await call(
        'RotateKeyOnDemand',
        keyId,
        () => client.send(new RotateKeyOnDemandCommand({ KeyId: keyId })),
        'throttled-only',
      );
    },

    async deleteImportedKeyMaterial(keyId, keyMaterialId) {
      const out = await call(
        'DeleteImportedKeyMaterial',
        keyId,
        () =>
          client.send(
            new DeleteImportedKeyMaterialCommand({
              KeyId: keyId,
              ...(keyMaterialId === undefined ? {} : { KeyMaterialId: keyMaterialId }),
            }),
          ),
        'throttled-only',
      );
      return {
        keyMaterialId:
          optional(
            out.KeyMaterialId,
            checkKeyMaterialId,
            'DeleteImportedKeyMaterial',
            'KeyMaterialId',
          ) ?? keyMaterialId,
      };
    },

    listKeys() {
      const op = 'ListKeys';
      return allPages(
        op,
        (marker) => call(op, 'the Region', () => client.send(new ListKeysCommand(marker))),
        (out) =>
          (out.Keys ?? []).flatMap((k) =>
            k.KeyId === undefined || k.KeyArn === undefined
              ? []
              : [
                  {
                    keyId: checkKeyId(op, 'KeyId', k.KeyId),
                    arn: checkKeyArn(op, 'KeyArn', k.KeyArn),
                  },
                ],
          ),
      );
    },

    close() {
      client.destroy();
    },
  };
}
