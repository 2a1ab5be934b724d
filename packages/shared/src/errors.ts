/**
 * Every failure the tools report is a ByokError: a stable code callers can switch on,
 * a message that says what is wrong and a hint that says how to fix it.
 */
export type ByokErrorCode =
  | 'ERR_USAGE'
  | 'ERR_BUNDLE_INVALID'
  | 'ERR_BUNDLE_MISMATCH'
  | 'ERR_CHECK_CODE_REQUIRED'
  | 'ERR_CHECK_CODE_MISMATCH'
  | 'ERR_OPERATORS'
  | 'ERR_PARAMETERS_EXPIRED'
  | 'ERR_UNSUPPORTED_COMBINATION'
  | 'ERR_WRAPPING_KEY_INVALID'
  | 'ERR_MATERIAL_INVALID'
  | 'ERR_BACKUP_REQUIRED'
  | 'ERR_KEY_NOT_IMPORTABLE'
  | 'ERR_PLAN_MISMATCH'
  | 'ERR_KEY_NOT_ROTATABLE'
  | 'ERR_KCV_MISMATCH'
  | 'ERR_MATERIAL_EXPIRING'
  | 'ERR_KMS'
  | 'ERR_PROOF_FAILED'
  | 'ERR_OUTPUT_EXISTS'
  | 'ERR_INPUT_FILE'
  | 'ERR_IO'
  | 'ERR_AUDIT_LOG'
  | 'ERR_AUDIT_VERIFY'
  | 'ERR_AUDIT_UNANCHORED'
  | 'ERR_OPERATOR_KEY'
  | 'ERR_QR'
  | 'ERR_TIMEOUT'
  | 'ERR_INTERRUPTED'
  | 'ERR_SELF_TEST'
  | 'ERR_JOURNAL'
  | 'ERR_IMPORT_TOKENS'
  | 'ERR_REQUEST_TOO_LARGE'
  | 'ERR_MATERIAL_SET_INVALID'
  | 'ERR_SHARE_INVALID'
  | 'ERR_SHARES_MISMATCH'
  | 'ERR_COMPONENT_INVALID'
  | 'ERR_AGE'
  | 'ERR_CONSOLE_ZIP'
  | 'ERR_MATERIAL_PERMISSIONS'
  | 'ERR_HSM_URI'
  | 'ERR_HSM_MODULE'
  | 'ERR_HSM_TOKEN'
  | 'ERR_HSM_PIN'
  | 'ERR_HSM_MECHANISM'
  | 'ERR_HSM_OBJECT_EXISTS'
  | 'ERR_HSM_OBJECT'
  | 'ERR_HSM'
  | 'ERR_INTERNAL';

export interface ByokErrorOptions {
  readonly hint?: string;
  readonly cause?: unknown;
  /** Structured detail for --json output, e.g. the list of bad field paths. */
  readonly details?: readonly string[];
}

export class ByokError extends Error {
  readonly code: ByokErrorCode;
  readonly hint: string | undefined;
  readonly details: readonly string[];

  constructor(code: ByokErrorCode, message: string, options: ByokErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ByokError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

export function isByokError(value: unknown): value is ByokError {
  return value instanceof ByokError;
}
