import {
  canonicalJson,
  OPERATOR_KEY_VERSION,
  OPERATOR_PUBLIC_KEY_FORMAT,
  type OperatorPublicKeyFile,
} from '@byok-ceremony/shared';
import type { Ceremony, OutputWriter } from '@byok-ceremony/node-io';
import { nodeWrappingKeyFingerprint } from '@byok-ceremony/node-io/key-material';
import { createOperatorKey } from './operator-key-create.js';

export interface OperatorKeygenInput {
  readonly name: string;
  /** The key file (mode 0600), kept by the operator. */
  readonly out: string;
  /** The public key file, for the witness to pin. */
  readonly publicOut: string;
}

export interface OperatorKeygenPorts {
  /** The operator's new passphrase (typed twice, or from a file); zeroed here after use. */
  readonly passphrase: () => Promise<Buffer>;
  readonly random: (bytes: number) => Buffer;
  readonly writer: OutputWriter;
}

export interface OperatorKeygenResult {
  readonly publicKey: string;
  readonly fingerprint: string;
}

/** `operator keygen`: an Ed25519 operator key under a passphrase, its public half beside it. */
export async function operatorKeygenCeremony(
  input: OperatorKeygenInput,
  ports: OperatorKeygenPorts,
): Promise<Ceremony<OperatorKeygenResult>> {
  await ports.writer.assertWritable(input.out);
  await ports.writer.assertWritable(input.publicOut);
  const passphrase = await ports.passphrase();
  let file;
  try {
    file = createOperatorKey(input.name, passphrase, ports.random);
  } finally {
    passphrase.fill(0);
  }
  const publicFile: OperatorPublicKeyFile = {
    format: OPERATOR_PUBLIC_KEY_FORMAT,
    version: OPERATOR_KEY_VERSION,
    name: input.name,
    publicKey: file.publicKey,
  };
  const fingerprint = nodeWrappingKeyFingerprint(Buffer.from(file.publicKey, 'base64'));
  await ports.writer.write(input.out, `${JSON.stringify(file, null, 2)}\n`, 0o600);
  await ports.writer.write(input.publicOut, `${canonicalJson(publicFile)}\n`, 0o644);
  return {
    result: { publicKey: file.publicKey, fingerprint },
    facts: { outputs: { operatorPublicKey: fingerprint } },
  };
}
