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
import { FactsBuilder, type Ceremony, type OutputWriter } from '@byok-ceremony/node-io';
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

/** The wrapping public key: PublicKey.bin, or the console zip's (whose digest goes on record). */
async function readWrappingPublicKey(
  input: WrapRawCeremonyInput,
  ports: WrapRawCeremonyPorts,
): Promise<Ceremony<Uint8Array>> {
  if (input.consoleZip !== undefined) {
    const zip = await ports.readFile(input.consoleZip, 'console zip');
    const facts = new FactsBuilder();
    facts.input('consoleZip', zip);
    return facts.run(async () => {
      // Loaded here: only a console zip needs the unzip code.
      const { readConsoleZip } = await import('./read-console-zip.js');
      const params = readConsoleZip(zip);
      const files =
        params.layout === 'plain'
          ? 'WrappingPublicKey.bin + ImportToken.bin'
          : `wrappingKey_${params.keyId ?? ''} + importToken_${params.keyId ?? ''}`;
      ports.say?.(
        `read ${input.consoleZip} (${files}); give its import token to the online machine unchanged`,
      );
      return params.publicKey;
    });
  }
  if (input.publicKey !== undefined)
    return { result: await ports.readFile(input.publicKey, 'public key file'), facts: {} };
  throw new ByokError('ERR_USAGE', 'wrap raw needs --public-key or --console-zip', {
    hint: "Give the wrapping public key (PublicKey.bin) or the console's import-parameters zip.",
  });
}

/** The material file, loaded and wrapped; every plaintext copy zeroed whatever happens. */
async function wrapMaterialFile(
  input: WrapRawCeremonyInput,
  ports: WrapRawCeremonyPorts,
  wrappingKey: ReturnType<typeof parseWrappingKey>,
): Promise<{ readonly kcv: string; readonly blob: Buffer }> {
  const materialBytes = await ports.readFile(input.materialFile, 'material file');
  try {
    const material = loadMaterial(
      Buffer.from(materialBytes.buffer, materialBytes.byteOffset, materialBytes.byteLength),
      input.keySpec,
    );
    try {
      return {
        kcv: materialKcv(input.keySpec, material),
        blob: wrapKeyMaterial(material, wrappingKey.key, input.wrappingAlgorithm),
      };
    } finally {
      material.fill(0);
    }
  } finally {
    materialBytes.fill(0);
  }
}

/** `wrap raw`, the seed's step 7: PublicKey.bin + material → EncryptedKeyMaterial.bin, no bundle. */
export async function wrapRawCeremony(
  input: WrapRawCeremonyInput,
  ports: WrapRawCeremonyPorts,
): Promise<Ceremony<WrapRawCeremonyResult>> {
  // The two-person rule holds in raw mode too; the command checks it before the log is touched.
  assertOperators(input.operators, { singleOperator: input.singleOperator });
  const facts = new FactsBuilder();
  facts.add({ exceptions: input.singleOperator ? ['raw-mode', 'single-operator'] : ['raw-mode'] });
  return facts.run(async () => {
    await ports.writer.assertWritable(input.out);
    const spki = facts.take(await readWrappingPublicKey(input, ports));
    facts.input(RAW_PUBLIC_KEY_LABEL, spki);
    const fingerprint = nodeWrappingKeyFingerprint(spki);
    const wrappingKey = parseWrappingKey(
      Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength),
      input.wrappingKeySpec,
      'public key file',
    );
    const key = {
      keyArn: UNKNOWN_KEY,
      keySpec: input.keySpec,
      wrappingKeyFingerprint: fingerprint,
    };
    facts.add({ keys: [key] });
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
    const { kcv, blob } = await wrapMaterialFile(input, ports, wrappingKey);
    await ports.writer.write(input.out, blob, 0o644);
    facts.output(RAW_MATERIAL_LABEL, blob);
    facts.add({ keys: [{ ...key, kcv }] });
    return {
      kcv,
      wrappingKeyFingerprint: fingerprint,
      wrappingKeySpec: wrappingKey.wrappingKeySpec,
      bytes: blob.length,
    };
  });
}
