import { originNotValid, unsupported } from '../../errors.js';
import { requireUsable } from '../../state/store.js';
import type { SimState } from '../../state/store.js';
import type { KeyRecord } from '../../state/types.js';
import type { HandlerContext } from '../context.js';

/**
 * Resolves the key of EnableKeyRotation or DisableKeyRotation: automatic rotation exists for
 * symmetric encryption keys of origin AWS_KMS only, is set on a multi-Region primary, and
 * needs an Enabled key.
 */
export function keyForAutomaticRotation(
  state: SimState,
  keyId: string,
  context: HandlerContext,
): KeyRecord {
  const key = state.resolveKey(keyId, context, { aliases: false });
  if (key.origin === 'EXTERNAL') throw originNotValid(key);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    // No public record of AWS's wording was found; this one follows its "... which is not valid" pattern.
    throw unsupported(
      `${key.arn} key spec is ${key.keySpec} which is not valid for this operation.`,
    );
  }
  if (key.multiRegionKeyType === 'REPLICA')
    throw unsupported(`${key.arn} is a replica key; set automatic rotation on its primary key.`);
  requireUsable(key);
  return key;
}
