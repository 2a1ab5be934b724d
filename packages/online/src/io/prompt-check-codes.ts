import { createInterface } from 'node:readline';

/** Asks each operator in turn, on stderr, for the check code shown on the other machine. */
export async function promptCheckCodes(
  operators: readonly string[],
  input: NodeJS.ReadableStream,
  writePrompt: (text: string) => void,
): Promise<string[]> {
  const reader = createInterface({ input, terminal: false, crlfDelay: Infinity });
  const lines = reader[Symbol.asyncIterator]();
  const codes: string[] = [];
  try {
    for (const operator of operators) {
      writePrompt(`${operator}, type the check code shown on the other machine: `);
      const next = await lines.next();
      codes.push(next.done === true ? '' : next.value.trim());
    }
  } finally {
    reader.close();
  }
  return codes;
}
