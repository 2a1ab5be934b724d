import { ByokError } from '@byok-ceremony/shared';
import { PREPARE_AGAIN } from '../ops/assert-parameters-fresh.js';

const HINTS: Readonly<Record<string, string>> = {
  ExpiredImportTokenException: `Import parameters live 24 hours, and --resume cannot bring them back. ${PREPARE_AGAIN('byok-online prepare --key-id KEY ... --out NEW_REQUEST')}`,
  InvalidImportTokenException:
    'The import token does not belong to this key: use the request prepare wrote for this key, unchanged.',
  InvalidCiphertextException:
    'The material was wrapped for another public key or algorithm: wrap again offline from this request (check the wrapping algorithm, SHA-256 for OAEP and MGF1).',
  IncorrectKeyMaterialException:
    'KMS holds different material for this key (or expects new material): re-import the exact material imported before, from its backup.',
  KMSInvalidStateException:
    'The key is not in a state that allows this: check it with byok-online status --key-id KEY (a key pending deletion must be restored first).',
  NotFoundException:
    'Check the key id, ARN or alias, the Region (--region) and the account your credentials belong to.',
  AccessDeniedException:
    'Your credentials lack the permission: ask for kms:* on this key as in docs/online.md, or use another --profile.',
  UnrecognizedClientException:
    'The credentials were not accepted: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN or --profile.',
  InvalidSignatureException:
    'The request signature was rejected: check the secret key of your credentials and the machine clock.',
  ExpiredTokenException:
    'Your session credentials expired: refresh them (aws sso login, or new STS credentials).',
  CredentialsProviderError:
    'No AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --profile NAME for a profile in ~/.aws/config.',
  AlreadyExistsException: 'Choose another alias name; aliases are unique per account and Region.',
  UnsupportedOperationException:
    'KMS does not support this for the key (its key spec, origin or store); see docs/online.md.',
  ValidationException: 'KMS rejected a parameter; check the values given on the command line.',
  InvalidKeyUsageException:
    "The key's usage or key spec does not allow this (an HMAC key takes only the MAC algorithm of its key spec): check the key with byok-online status --key-id KEY.",
};

/** Where one exception means something narrower for one operation than its general hint says. */
const OPERATION_HINTS: Readonly<Record<string, string>> = {
  'RotateKeyOnDemand KMSInvalidStateException':
    "KMS rotates a key of imported material only to new material imported and pending rotation: import it first (prepare --new-material, wrap, import), and see the key's materials with byok-online status --key-id KEY.",
  'ImportKeyMaterial KMSInvalidStateException':
    'The key does not take this material now: a key with new material pending rotation takes no other until that one is rotated (byok-online rotate) or deleted (byok-online delete-material), and a key pending deletion must be restored first. Check it with byok-online status --key-id KEY.',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

function networkCodeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? networkCodeOf(cause) : undefined;
}

/** The request id KMS gave a call, from the SDK's metadata on results and errors alike. */
export function requestIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const metadata = (value as { $metadata?: { requestId?: unknown } }).$metadata;
  // Recorded in the audit log: only what a request id looks like (a UUID), never endpoint text.
  const id = metadata?.requestId;
  return typeof id === 'string' && /^[A-Za-z0-9-]{1,128}$/.test(id) ? id : undefined;
}

/** Turns an SDK failure into `KMS refused OPERATION for KEY: Name: message` with a hint that helps. */
export function kmsError(operation: string, key: string, error: unknown): ByokError {
  if (error instanceof ByokError) return error;
  if (!(error instanceof Error)) {
    return new ByokError('ERR_KMS', `KMS ${operation} for ${key} failed: ${String(error)}`);
  }
  const network = networkCodeOf(error);
  if (network !== undefined || error.name === 'TimeoutError') {
    return new ByokError(
      'ERR_KMS',
      `cannot reach KMS for ${operation} (${network ?? error.name}): ${error.message}`,
      {
        hint: 'The endpoint is unreachable: check --endpoint-url (or AWS_ENDPOINT_URL_KMS), --region and the network.',
        cause: error,
      },
    );
  }
  if (error.name === 'CredentialsProviderError') {
    return new ByokError('ERR_KMS', `no AWS credentials for ${operation}: ${error.message}`, {
      hint: HINTS['CredentialsProviderError'] ?? '',
      cause: error,
    });
  }
  const hint =
    OPERATION_HINTS[`${operation} ${error.name}`] ??
    HINTS[error.name] ??
    'See the KMS error above; docs/online.md lists the common ones.';
  return new ByokError(
    'ERR_KMS',
    `KMS refused ${operation} for ${key}: ${error.name}: ${error.message}`,
    { hint, cause: error },
  );
}
