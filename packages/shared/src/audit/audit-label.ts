import { KMS_KEY_ARN } from '../validation/field-checker.js';

/** The bundle digest labels the commands record, see docs/audit-log.md. */
export const REQUEST_LABEL = 'request';
export const WRAPPED_LABEL = 'wrapped';

/** A plain label: `request`, `wrappedFile`, `backup:share-1-of-3.txt`, `qrTransfer`. */
const WORD_LABEL = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
/**
 * A label about one key: `<word>:<KMS key ARN>`, optionally `/<file name>`, e.g.
 * `rotation:arn:aws:kms:…:key/…` or `raw:arn:aws:kms:…:key/…/PublicKey.bin`. A key ARN has one
 * `/` (before the key id), so the ARN and an optional file name part are told apart.
 */
const KEY_LABEL =
  /^[A-Za-z][A-Za-z0-9_.-]{0,31}:(arn:[^/]{1,200}\/[^/]{1,40})(\/[A-Za-z0-9][A-Za-z0-9_.-]{0,63})?$/;

/**
 * Whether a string is a label of an entry's inputs, outputs or check codes: a bounded word, or a
 * word and a KMS key ARN (any KMS key ARN, whatever its partition and Region), so a label can name
 * the key it is about without a length limit cutting ARNs off.
 */
export function isAuditLabel(label: string): boolean {
  if (WORD_LABEL.test(label)) return true;
  const arn = KEY_LABEL.exec(label)?.[1];
  return arn !== undefined && KMS_KEY_ARN.test(arn);
}

/** The output an import or rotate records for a rotation: the material made current. */
export function rotationLabel(keyArn: string): string {
  return `rotation:${keyArn}`;
}
