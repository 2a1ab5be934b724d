import { ByokError } from '@byok-ceremony/shared';
import type { KmsSimOptions } from '../index.js';
import { UsageError } from './usage-error.js';

/** Prints one error and hint for a failure to start, and returns the exit code. */
export function fail(
  deps: { stderr: (line: string) => void },
  error: unknown,
  options?: KmsSimOptions,
): number {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const port = options?.port ?? 4599;
  const host = options?.host ?? '127.0.0.1';
  let text = message;
  let hint: string;
  if (error instanceof UsageError) {
    hint = error.hint;
  } else if (error instanceof ByokError) {
    hint = error.hint ?? 'check the options with byok-kms-sim --help';
  } else if (code === 'EADDRINUSE') {
    text = `port ${port} on ${host} is in use by another process`;
    hint = 'stop the other process, or pick another port with --port, or --port 0 for a free one';
  } else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    text = `cannot bind to ${host}: it is not an address of this machine`;
    hint =
      'give --host an address of this machine; the default 127.0.0.1 keeps the simulator local';
  } else if (code === 'EACCES') {
    text = `not allowed to listen on port ${port}`;
    hint = 'ports below 1024 need privileges: pick another with --port';
  } else if (error instanceof Error && error.name === 'FaultSyntaxError') {
    hint = '--faults takes throttle=P,internal=P,reset=P,latency=50ms with P between 0 and 1';
  } else if (code !== undefined) {
    hint = 'check the file paths given to --state-file, --request-log and --wrapping-key-pool-file';
  } else {
    hint = 'check the options with byok-kms-sim --help';
  }
  deps.stderr(`byok-kms-sim: error: ${text}`);
  deps.stderr(`byok-kms-sim: hint: ${hint}`);
  return 2;
}
