import type { InputFileKind } from '@byok-ceremony/node-io';
import {
  ByokError,
  assertOperators,
  checkWrappingCombination,
  RAW_MATERIAL_LABEL,
  RAW_PUBLIC_KEY_LABEL,
  type KeySpec,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '@byok-ceremony/shared';
import type { AuditFacts, OutputWriter } from '@byok-ceremony/node-io';
import { nodeWrappingKeyFingerprint } from '@byok-ceremony/node-io/key-material';
import { loadMaterial } from './load-material.js';
import { materialKcv } from './material-kcv.js';
import { parseWrappingKey } from './parse-wrapping-key.js';
import { wrapKeyMaterial } from './wrap-key-material.js';

export interface WrapRawCeremonyInput {
  /** DER wrapping public key (PublicKey.bin), or … */
  readonly publicKey: string | undefined;
  /** … the AWS console's import-parameters zip, which holds it. */
  readonly consoleZip?: string | undefined;
  readonly wrappingAlgorithm: WrappingAlgorithm;
  readonly keySpec: KeySpec;
  readonly wrappingKeySpec: WrappingKeySpec | undefined;
  readonly materialFile: string;
  /** EncryptedKeyMaterial.bin to write. */
  readonly out: string;
  readonly operators: readonly string[];
  readonly singleOperator: boolean;
}

export interface WrapRawCeremonyPorts {
  readonly readFile: (path: string, what: InputFileKind) => Promise<Uint8Array>;
  readonly writer: OutputWriter;
  /** One line for the operator (stderr). */
  readonly say?: (line: string) => void;
}

export interface WrapRawCeremonyResult {
  readonly kcv: string;
  readonly wrappingKeyFingerprint: string;
  readonly wrappingKeySpec: WrappingKeySpec;
  readonly bytes: number;
}

/** Raw mode cannot name the key: PublicKey.bin and the console zip carry no key ARN. */
const UNKNOWN_KEY = null;

/** `wrap raw`, the seed's step 7: PublicKey.bin + material → EncryptedKeyMaterial.bin, no bundle. */
export async function wrapRawCeremony(
  input: WrapRawCeremonyInput,
  ports: WrapRawCeremonyPorts,
  facts: AuditFacts,
): Promise<WrapRawCeremonyResult> {
  // The two-person rule holds in raw mode too; the command checks it before the log is touched.
  assertOperators(input.operators, { singleOperator: input.singleOperator });
  facts.exceptions.push('raw-mode');
  if (input.singleOperator) facts.exceptions.push('single-operator');
  await ports.writer.assertWritable(input.out);
  let spki: Uint8Array;
  if (input.consoleZip !== undefined) {
    const zip = await ports.readFile(input.consoleZip, 'console zip');
    facts.input('consoleZip', zip);
    // Loaded here: only a console zip needs the unzip code.
    const { readConsoleZip } = await import('./read-console-zip.js');
    const params = readConsoleZip(zip);
    spki = params.publicKey;
    const files =
      params.layout === 'plain'
        ? 'WrappingPublicKey.bin + ImportToken.bin'
        : `wrappingKey_${params.keyId ?? ''} + importToken_${params.keyId ?? ''}`;
    ports.say?.(
      `read ${input.consoleZip} (${files}); give its import token to the online machine unchanged`,
    );
  } else if (input.publicKey !== undefined) {
    spki = await ports.readFile(input.publicKey, 'public key file');
  } else {
    throw new ByokError('ERR_USAGE', 'wrap raw needs --public-key or --console-zip', {
      hint: "Give the wrapping public key (PublicKey.bin) or the console's import-parameters zip.",
    });
  }
  facts.input(RAW_PUBLIC_KEY_LABEL, spki);
  const fingerprint = nodeWrappingKeyFingerprint(spki);
  const wrappingKey = parseWrappingKey(
    Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength),
    input.wrappingKeySpec,
    'public key file',
  );
  facts.keys = [
    { keyArn: UNKNOWN_KEY, keySpec: input.keySpec, wrappingKeyFingerprint: fingerprint },
  ];
  const verdict = checkWrappingCombination(
    input.keySpec,
    input.wrappingAlgorithm,
    wrappingKey.wrappingKeySpec,
  );
  if (!verdict.allowed) {
    throw new ByokError('ERR_UNSUPPORTED_COMBINATION', verdict.reason, {
      hint: 'Request import parameters with a wrapping algorithm and key spec KMS accepts for this key spec (--key-spec).',
    });
  }
  const materialBytes = await ports.readFile(input.materialFile, 'material file');
  let kcv: string;
  let blob: Buffer;
  try {
    const material = loadMaterial(
      Buffer.from(materialBytes.buffer, materialBytes.byteOffset, materialBytes.byteLength),
      input.keySpec,
    );
    try {
      kcv = materialKcv(input.keySpec, material);
      blob = wrapKeyMaterial(material, wrappingKey.key, input.wrappingAlgorithm);
    } finally {
      material.fill(0);
    }
  } finally {
    materialBytes.fill(0);
  }
  await ports.writer.write(input.out, blob, 0o644);
  facts.output(RAW_MATERIAL_LABEL, blob);
  facts.keys = [
    { keyArn: UNKNOWN_KEY, keySpec: input.keySpec, wrappingKeyFingerprint: fingerprint, kcv },
  ];
  return {
    kcv,
    wrappingKeyFingerprint: fingerprint,
    wrappingKeySpec: wrappingKey.wrappingKeySpec,
    bytes: blob.length,
  };
}
