import { open } from 'node:fs/promises';
import {
  ByokError,
  PAPER_RECORD_MAX_BYTES,
  parsePaperRecord,
  type ExpectedHead,
} from '@byok-ceremony/shared';

/** The heads of a paper-record file; read up to one byte past the limit, so a huge file costs nothing. */
export async function readPaperRecord(path: string, shown: string): Promise<ExpectedHead[]> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(PAPER_RECORD_MAX_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > PAPER_RECORD_MAX_BYTES)
        throw new Error(`it is larger than ${PAPER_RECORD_MAX_BYTES} bytes`);
      text = new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new ByokError(
      'ERR_INPUT_FILE',
      `cannot read the paper record ${shown}: ${(error as Error).message}`,
      { hint: 'Name the file where the heads on the paper record were typed in (--paper-record).' },
    );
  }
  return parsePaperRecord(text, shown);
}
