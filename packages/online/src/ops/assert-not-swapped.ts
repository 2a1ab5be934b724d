import { ByokError, IMPORT_REQUEST_FORMAT, WRAPPED_KEYS_FORMAT } from '@byok-ceremony/shared';

function formatOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null
    ? (value as { format?: unknown }).format
    : undefined;
}

/** One plain line when --request and --wrapped were given the other way round. */
export function assertNotSwapped(request: unknown, wrapped: unknown): void {
  if (
    formatOf(request) === WRAPPED_KEYS_FORMAT &&
    (wrapped === undefined || formatOf(wrapped) === IMPORT_REQUEST_FORMAT)
  )
    throw new ByokError(
      'ERR_USAGE',
      '--request is a wrapped-key bundle and --wrapped an import request: swapped?',
      {
        hint: 'Give --request the file prepare wrote and --wrapped the file byok-offline wrap wrote.',
      },
    );
}
