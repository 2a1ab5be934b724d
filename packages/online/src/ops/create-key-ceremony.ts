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
  return withKms(ports, async (kms) => {
    const created = await createExternalKey(kms, input);
    facts.keys = [{ keyArn: created.arn, keySpec: input.keySpec, keyState: 'PendingImport' }];
    return created;
  });
}
