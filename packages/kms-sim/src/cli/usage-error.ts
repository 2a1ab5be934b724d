import type { Credentials } from '../index.js';

/** A flag the simulator refuses, with how to fix it. */
export class UsageError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

/** `--credentials ID:SECRET`. */
export function parseCredential(text: string): Credentials {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new UsageError(
      `--credentials '${text.split(':')[0] ?? ''}:…' is not ID:SECRET`,
      'give --credentials ACCESS_KEY_ID:SECRET_ACCESS_KEY, once per accepted key',
    );
  }
  return { accessKeyId: text.slice(0, colon), secretAccessKey: text.slice(colon + 1) };
}
