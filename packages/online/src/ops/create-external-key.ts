import {
  ByokError,
  KEY_SPEC_RULES,
  isImportableKeySpec,
  type KeySpec,
  type KeyUsage,
} from '@byok-ceremony/shared';
import type { KmsPort } from '../kms/kms-port.js';
import type { KeyTag } from './parse-tags.js';

export interface CreateExternalKeyInput {
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage | undefined;
  readonly description: string | undefined;
  /** Already normalized to alias/NAME. */
  readonly alias: string | undefined;
  readonly multiRegion: boolean;
  readonly tags: readonly KeyTag[];
}

export interface CreatedKey {
  readonly keyId: string;
  readonly arn: string;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly alias: string | undefined;
}

/** The usage to create with: the given one if the rules allow it, else the spec's first usage. */
export function resolveKeyUsage(keySpec: KeySpec, keyUsage: KeyUsage | undefined): KeyUsage {
  const rule = KEY_SPEC_RULES[keySpec];
  if (!isImportableKeySpec(keySpec)) {
    throw new ByokError(
      'ERR_KEY_NOT_IMPORTABLE',
      `KMS does not accept imported key material for ${keySpec}`,
      {
        hint: `Choose a key spec that takes imported material: ${Object.values(KEY_SPEC_RULES)
          .filter((r) => r.material !== undefined)
          .map((r) => r.keySpec)
          .join(', ')}.`,
      },
    );
  }
  if (keyUsage === undefined) return rule.keyUsages[0]!;
  if (!rule.keyUsages.includes(keyUsage)) {
    throw new ByokError('ERR_USAGE', `${keySpec} keys cannot have key usage ${keyUsage}`, {
      hint: `Use --key-usage ${rule.keyUsages.join(' or ')} with --key-spec ${keySpec}.`,
    });
  }
  return keyUsage;
}

/** CreateKey with origin EXTERNAL (awaiting imported material), then CreateAlias if asked. */
export async function createExternalKey(
  kms: KmsPort,
  input: CreateExternalKeyInput,
): Promise<CreatedKey> {
  const keyUsage = resolveKeyUsage(input.keySpec, input.keyUsage);
  const created = await kms.createKey({
    keySpec: input.keySpec,
    keyUsage,
    description: input.description,
    multiRegion: input.multiRegion,
    tags: input.tags,
  });
  if (input.alias !== undefined) {
    try {
      await kms.createAlias(input.alias, created.keyId);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ByokError(
        'ERR_KMS',
        `key ${created.arn} was created, but the alias ${input.alias} was not: ${reason}`,
        {
          hint: `The key exists without the alias: add it with aws kms create-alias --alias-name ${input.alias} --target-key-id ${created.keyId}, or use the key by its ARN.`,
          cause: error,
        },
      );
    }
  }
  return {
    keyId: created.keyId,
    arn: created.arn,
    keySpec: input.keySpec,
    keyUsage,
    alias: input.alias,
  };
}
