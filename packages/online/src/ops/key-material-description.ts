import type { ImportRequestBundle } from '@byok-ceremony/shared';

/** What KMS's KeyMaterialDescriptionType allows besides whitespace: [a-zA-Z0-9:/_\s.-], 0–256. */
const OUTSIDE_KMS_CHARACTERS = /[^a-zA-Z0-9:/_ .-]/g;

/**
 * The KeyMaterialDescription import sets, so each material is traceable to its ceremony from
 * the console and ListKeyRotations: "NAME - CEREMONY_ID" for a plan's request (KMS refuses
 * parentheses, so the name's other characters become _), "byok-ceremony CEREMONY_ID" otherwise.
 * At most 64 + 3 + 36 characters, within KMS's 256.
 */
export function keyMaterialDescriptionOf(request: ImportRequestBundle): string {
  const name = request.ceremonyName ?? null;
  if (name === null) return `byok-ceremony ${request.ceremonyId}`;
  return `${name.replace(OUTSIDE_KMS_CHARACTERS, '_')} - ${request.ceremonyId}`;
}
