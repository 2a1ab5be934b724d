import {
  ByokError,
  assertOperators,
  checkWrappingCombination,
  formatFingerprint,
  wrappingKeyFingerprint,
  type KeySpec,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '@byok-ceremony/shared';
import {
  assertOutputAbsent,
  readInputFile,
  writeFileExclusive,
  type CliDeps,
} from '@byok-ceremony/node-io';
import { loadMaterial } from '../ops/load-material.js';
import { materialKcv } from '../ops/material-kcv.js';
import { parseWrappingKey } from '../ops/parse-wrapping-key.js';
import { wrapKeyMaterial } from '../ops/wrap-key-material.js';
import { AuditDraft, sha256Hex } from './audit-draft.js';

export interface WrapRawFlags {
  readonly publicKey: string;
  readonly wrappingAlgorithm: WrappingAlgorithm;
  readonly keySpec: KeySpec;
  readonly wrappingKeySpec: WrappingKeySpec | undefined;
  readonly materialFile: string;
  readonly out: string;
  readonly operators: readonly string[];
  readonly singleOperator: boolean;
  readonly auditLog: string;
  readonly json: boolean;
}

/** The key ARN is unknown in raw mode: the seed's files do not carry it. */
const UNKNOWN_KEY = 'unknown';

/** Raw mode, the seed's step 7: PublicKey.bin + material → EncryptedKeyMaterial.bin, no bundle. */
export async function runWrapRaw(flags: WrapRawFlags, deps: CliDeps): Promise<void> {
  const audit = new AuditDraft('wrap', flags.auditLog, deps);
  audit.operators = flags.operators;
  audit.exceptions.push('raw-mode');
  let result: { kcv: string; fingerprint: string; wrappingKeySpec: WrappingKeySpec; bytes: number };
  try {
    await assertOutputAbsent(flags.out);
    if (flags.operators.length > 0 || flags.singleOperator) {
      assertOperators(flags.operators, { singleOperator: flags.singleOperator });
      if (flags.singleOperator) audit.exceptions.push('single-operator');
    }
    const spki = await readInputFile(flags.publicKey, 'public key file');
    audit.inputs['publicKey'] = sha256Hex(spki);
    const fingerprint = wrappingKeyFingerprint(spki);
    const wrappingKey = parseWrappingKey(spki, flags.wrappingKeySpec, 'public key file');
    audit.keys = [
      { keyArn: UNKNOWN_KEY, keySpec: flags.keySpec, wrappingKeyFingerprint: fingerprint },
    ];
    const verdict = checkWrappingCombination(
      flags.keySpec,
      flags.wrappingAlgorithm,
      wrappingKey.wrappingKeySpec,
    );
    if (!verdict.allowed) {
      throw new ByokError('ERR_UNSUPPORTED_COMBINATION', verdict.reason, {
        hint: 'Request import parameters with a wrapping algorithm and key spec KMS accepts for this key spec (--key-spec).',
      });
    }
    const materialBytes = await readInputFile(flags.materialFile, 'material file');
    let kcv: string;
    let blob: Buffer;
    try {
      const material = loadMaterial(materialBytes, flags.keySpec);
      try {
        kcv = materialKcv(flags.keySpec, material);
        blob = wrapKeyMaterial(material, wrappingKey.key, flags.wrappingAlgorithm);
      } finally {
        material.fill(0);
      }
    } finally {
      materialBytes.fill(0);
    }
    await writeFileExclusive(flags.out, blob, 0o644);
    audit.outputs['encryptedKeyMaterial'] = sha256Hex(blob);
    audit.keys = [
      { keyArn: UNKNOWN_KEY, keySpec: flags.keySpec, wrappingKeyFingerprint: fingerprint, kcv },
    ];
    result = { kcv, fingerprint, wrappingKeySpec: wrappingKey.wrappingKeySpec, bytes: blob.length };
  } catch (error) {
    await audit.appendFailure(error);
    throw error;
  }
  await audit.appendSuccess([flags.out]);
  if (flags.json) {
    deps.stdout(
      `${JSON.stringify({
        out: flags.out,
        keySpec: flags.keySpec,
        wrappingAlgorithm: flags.wrappingAlgorithm,
        wrappingKeySpec: result.wrappingKeySpec,
        wrappingKeyFingerprint: result.fingerprint,
        kcv: result.kcv,
        bytes: result.bytes,
      })}\n`,
    );
    return;
  }
  deps.stdout(
    [
      `Wrote ${flags.out} (${result.bytes} bytes, ${flags.wrappingAlgorithm})`,
      `  material: ${flags.keySpec} KCV ${result.kcv}`,
      `  wrapping key: ${result.wrappingKeySpec} ${formatFingerprint(result.fingerprint)}`,
      '',
    ].join('\n'),
  );
}
