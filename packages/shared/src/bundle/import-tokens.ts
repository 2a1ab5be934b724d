import { FieldChecker, HEX_DIGEST, KMS_KEY_ARN } from '../validation/field-checker.js';

export const IMPORT_TOKENS_FORMAT = 'byok-ceremony/import-tokens';
export const IMPORT_TOKENS_VERSION = 1;

/** The suffix of the tokens file prepare writes beside a version 3 request: REQUEST.tokens.json. */
export const IMPORT_TOKENS_SUFFIX = '.tokens.json';

/** Where prepare keeps a request's import tokens: beside it, REQUEST.tokens.json. */
export function importTokensPathOf(requestPath: string): string {
  return `${requestPath}${IMPORT_TOKENS_SUFFIX}`;
}

/**
 * What the online machine keeps of a version 3 request: the import tokens, which the offline
 * machine never needs (the request carries their SHA-256 instead).
 */
export interface ImportTokensFile {
  readonly format: typeof IMPORT_TOKENS_FORMAT;
  readonly version: typeof IMPORT_TOKENS_VERSION;
  /** bundleDigest of the request these tokens belong to. */
  readonly requestDigest: string;
  /** One per target, in target order. */
  readonly tokens: readonly { readonly keyArn: string; readonly importToken: string }[];
}

/** Validates a tokens file completely; throws one ByokError listing every bad path. */
export function assertImportTokensFile(value: unknown): asserts value is ImportTokensFile {
  const check = new FieldChecker();
  const file = check.object(value, '$', ['format', 'version', 'requestDigest', 'tokens']);
  if (file !== undefined) {
    check.constant(file['format'], '$.format', IMPORT_TOKENS_FORMAT);
    check.constant(file['version'], '$.version', IMPORT_TOKENS_VERSION);
    check.string(file['requestDigest'], '$.requestDigest', HEX_DIGEST, '64 lowercase hex digits');
    check.array(file['tokens'], '$.tokens', 1)?.forEach((raw, i) => {
      const path = `$.tokens[${i}]`;
      const token = check.object(raw, path, ['keyArn', 'importToken']);
      if (token === undefined) return;
      check.string(token['keyArn'], `${path}.keyArn`, KMS_KEY_ARN, 'a KMS key ARN');
      check.base64(token['importToken'], `${path}.importToken`, 1, 6144);
    });
  }
  check.throwIfAny(
    'The import tokens file',
    'Use the REQUEST.tokens.json that byok-online prepare wrote beside the request, unchanged; if it is lost or damaged, run prepare again.',
  );
}
