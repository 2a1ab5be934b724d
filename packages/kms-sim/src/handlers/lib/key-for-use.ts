import type { KeyUsage } from '@byok-ceremony/shared';
import { KmsError } from '../../errors.js';
import { currentMaterial, requireUsable } from '../../state/store.js';
import type { SimState } from '../../state/store.js';
import type { KeyRecord } from '../../state/types.js';
import type { HandlerContext } from '../context.js';

export interface KeyInUse {
  key: KeyRecord;
  material: Buffer;
  materialId: string;
}

/** Resolves a key for a cryptographic operation: Enabled, the right usage, material present. */
export function keyForUse(
  state: SimState,
  keyId: string,
  context: HandlerContext,
  usage: KeyUsage,
  operation: string,
): KeyInUse {
  const key = state.resolveKey(keyId, context, { aliases: true });
  requireUsable(key);
  if (key.keyUsage !== usage) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `${key.arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`,
    );
  }
  const current = currentMaterial(key);
  if (current?.material === undefined) {
    throw new KmsError('KMSInvalidStateException', `${key.arn} is pending import.`);
  }
  return { key, material: current.material, materialId: current.id };
}

export function refuseDryRun(dryRun: unknown): void {
  if (dryRun === true) {
    throw new KmsError(
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
    );
  }
}
