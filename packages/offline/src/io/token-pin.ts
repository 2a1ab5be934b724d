import { ByokError } from '@byok-ceremony/shared';
import { readHiddenLine, type CliDeps } from '@byok-ceremony/node-io';
import type { TokenDescription } from '../ops/hsm-token.js';
import { readPrivateFile } from './read-private-file.js';

/** One line ending, as an editor leaves it, is not part of the PIN. */
function withoutLineEnd(bytes: Buffer): Buffer {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end--;
  if (end > 0 && bytes[end - 1] === 0x0d) end--;
  const pin = Buffer.from(bytes.subarray(0, end));
  bytes.fill(0);
  return pin;
}

/**
 * The token's user PIN: from the URI's pin-source file (a regular file of mode 0600, as material
 * files are), or typed without echo on a terminal. Never from argv or the environment.
 */
export function tokenPinAsker(
  pinFile: string | undefined,
  deps: Pick<CliDeps, 'stdin' | 'stderr' | 'interactive'>,
): (token: TokenDescription) => Promise<Buffer> {
  return async (token) => {
    let pin: Buffer;
    if (pinFile !== undefined) pin = withoutLineEnd(await readPrivateFile(pinFile, 'PIN file'));
    else {
      if (!deps.interactive)
        throw new ByokError('ERR_HSM_PIN', `no PIN for the token ${token.label}`, {
          hint: 'Run on a terminal to type it, or add pin-source=file:/path/to/pin.txt (mode 0600) to the --hsm URI for a scripted run.',
        });
      deps.stderr(`User PIN of the token ${token.label} (serial ${token.serial}): `);
      try {
        pin = await readHiddenLine(deps.stdin, {
          what: 'the PIN',
          code: 'ERR_HSM_PIN',
          endHint: 'Run on a terminal to type the PIN, or give pin-source=file:… in the --hsm URI.',
        });
      } finally {
        deps.stderr('\n');
      }
    }
    if (pin.length === 0)
      throw new ByokError('ERR_HSM_PIN', `the PIN for the token ${token.label} is empty`, {
        hint: 'Put the user PIN in the pin-source file (one line), or type it.',
      });
    return pin;
  };
}
