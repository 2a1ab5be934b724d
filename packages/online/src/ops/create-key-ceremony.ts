import { FactsBuilder, type Ceremony } from '@byok-ceremony/node-io';
import type { AuditKeyRecord } from '@byok-ceremony/shared';
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
): Promise<Ceremony<CreatedKey>> {
  const { result, facts } = await createKeysCeremony([input], ports);
  return { result: result[0]!, facts };
}

/**
 * `create-key --count N`: the keys one after another, each on record as soon as KMS made it,
 * so a failure part-way still logs the keys that exist.
 */
export async function createKeysCeremony(
  inputs: readonly CreateExternalKeyInput[],
  ports: Pick<OnlinePorts, 'openKms'>,
): Promise<Ceremony<CreatedKey[]>> {
  const facts = new FactsBuilder();
  return facts.run(() =>
    withKms(ports, async (kms) => {
      const created: CreatedKey[] = [];
      const keys: AuditKeyRecord[] = [];
      facts.add({ keys: [] });
      for (const input of inputs) {
        const key = await createExternalKey(kms, input);
        keys.push({
          keyArn: key.arn,
          ...(key.alias === undefined ? {} : { alias: key.alias }),
          keySpec: input.keySpec,
          keyState: 'PendingImport',
        });
        facts.add({ keys: [...keys] });
        created.push(key);
      }
      return created;
    }),
  );
}
