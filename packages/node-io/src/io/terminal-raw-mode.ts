interface TerminalInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/**
 * Runs `read` with a terminal stdin in raw mode (no echo, no line editing by the terminal, each
 * key as it is typed) and gives the terminal back its mode however `read` ends. A pipe is read
 * as it is.
 */
export async function withRawMode<T>(
  stdin: NodeJS.ReadableStream,
  read: () => Promise<T>,
): Promise<T> {
  const input = stdin as TerminalInput;
  const raw = input.isTTY === true && typeof input.setRawMode === 'function';
  if (raw) input.setRawMode!(true);
  try {
    return await read();
  } finally {
    if (raw) input.setRawMode!(false);
  }
}
