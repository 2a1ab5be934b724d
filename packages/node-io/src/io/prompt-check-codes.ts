import { createInterface } from 'node:readline';
import { ByokError } from '@byok-ceremony/shared';

/**
 * Asks each operator in turn, on stderr, for the check code the other machine shows, and reads
 * one line per operator from stdin. Check codes are not secret, so typing echoes.
 */
export async function promptCheckCodes(
  operators: readonly string[],
  io: { readonly stdin: NodeJS.ReadableStream; readonly stderr: (text: string) => void },
): Promise<string[]> {
  // crlfDelay: a \r\n split across two reads is one line end, not an extra empty answer.
  const reader = createInterface({ input: io.stdin, terminal: false, crlfDelay: Infinity });
  const lines = reader[Symbol.asyncIterator]();
  try {
    const codes: string[] = [];
    for (const operator of operators) {
      io.stderr(`${operator}, type the check code shown on the other machine: `);
      const line = await lines.next();
      // Input that ends early is a missing answer, not a wrong code: no false alarm of substitution.
      if (line.done === true) {
        io.stderr('\n');
        throw new ByokError(
          'ERR_CHECK_CODE_REQUIRED',
          `input ended before ${operator} typed the check code`,
          { hint: 'Each operator types the check code shown on the other machine, one line each.' },
        );
      }
      codes.push(line.value.trim());
    }
    return codes;
  } finally {
    reader.close();
  }
}
