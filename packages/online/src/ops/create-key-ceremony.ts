import type { AuditFacts } from '@byok-ceremony/node-io';
import { withKms, type OnlinePorts } from './ceremony-ports.js';
import {
  createExternalKey,
  type CreateExternalKeyInput,
  type CreatedKey,
} from './create-external-key.js';

/** `create-key`: one EXTERNAL key (and its alias), on record as awaiting its material. */
export async function createKeyCeremony(
  input: CreateExternalKeyInput,
  ports: Pick<OnlinePorts, 'openKms'>,
  facts: AuditFacts,
): Promise<CreatedKey> {
  const [created] = await createKeysCeremony([input], ports, facts);
  return created!;
}

/**
 * `create-key --count N`: the keys one after another, each on record as soon as KMS made it,
 * so a failure part-way still logs the keys that exist.
 */
export async function createKeysCeremony(
  inputs: readonly CreateExternalKeyInput[],
  ports: Pick<OnlinePorts, 'openKms'>,
  facts: AuditFacts,
): Promise<CreatedKey[]> {
  return withKms(ports, async (kms) => {
    const created: CreatedKey[] = [];
    facts.keys = [];
    for (const input of inputs) {
      const key = await createExternalKey(kms, input);
      facts.keys.push({ keyArn: key.arn, keySpec: input.keySpec, keyState: 'PendingImport' });
      created.push(key);
    }
    return created;
  });
}
