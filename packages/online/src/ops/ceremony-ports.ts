import type { InputFileKind } from '@byok-ceremony/node-io';
import type { KmsPort } from '../kms/kms-port.js';

/** What every byok-online ceremony operation reaches outside its inputs. */
export interface OnlinePorts {
  /** Opens KMS; request ids and the endpoint used go to the command's audit facts. The op closes it. */
  readonly openKms: (region?: string) => Promise<KmsPort>;
  readonly now: () => Date;
  /** Reads a whole input file, refusing what is not a regular file or too large. */
  readonly readFile: (path: string, what: InputFileKind) => Promise<Uint8Array>;
  /** One line for the operators while the operation runs (stderr). */
  readonly say: (line: string) => void;
}

/** Runs `use` on an opened KMS port and closes it whatever happens. */
export async function withKms<T>(
  ports: Pick<OnlinePorts, 'openKms'>,
  use: (kms: KmsPort) => Promise<T>,
): Promise<T> {
  const kms = await ports.openKms();
  try {
    return await use(kms);
  } finally {
    kms.close();
  }
}
