import { ByokError } from '@byok-ceremony/shared';

/** The CKR_ name pkcs11js puts in its error's message (`CKR_PIN_INCORRECT`), or undefined. */
export function ckrOf(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  return /^CKR_[A-Z0-9_]+/.exec(message)?.[0];
}

/**
 * Runs one PKCS#11 call; a failure becomes a coded error that says what was being done and
 * the token's return value, never a stack trace of the binding.
 */
export function pkcs11Call<T>(what: string, call: () => T, hint?: string): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof ByokError) throw error;
    const ckr =
      ckrOf(error) ?? (error instanceof Error ? error.message.split('\n')[0] : String(error));
    throw new ByokError('ERR_HSM', `the token failed to ${what} (${ckr})`, {
      hint:
        hint ??
        'Check the token with pkcs11-tool --module MODULE --list-token-slots and its log; nothing of this run is left in the token.',
    });
  }
}
