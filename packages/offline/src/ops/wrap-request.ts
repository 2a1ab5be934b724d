import {
  BUNDLE_VERSION,
  ByokError,
  WRAPPED_KEYS_FORMAT,
  bundleDigest,
  checkWrappingCombination,
  decodeBase64,
  encodeBase64,
  wrappingKeyFingerprint,
  type ImportRequestBundle,
  type ImportTarget,
  type KeySpec,
  type MaterialRecord,
  type MaterialSource,
  type WrappedKeyBundle,
  type WrappedTarget,
} from '@byok-ceremony/shared';
import { materialKcv } from './material-kcv.js';
import { materialProof } from './material-proof.js';
import { parseWrappingKey, type WrappingKey } from './parse-wrapping-key.js';
import { wrapKeyMaterial } from './wrap-key-material.js';

/** One material group's plaintext, ready to wrap; the wrapper zeroes `bytes`. */
export interface MaterialReady {
  readonly materialGroup: string;
  readonly keySpec: KeySpec;
  readonly bytes: Buffer;
  readonly origin: MaterialSource;
}

export interface WrapRequestInput {
  readonly request: ImportRequestBundle;
  /** Checked by checkRequestTargets, before any material existed. */
  readonly checked: readonly CheckedTarget[];
  /** One per material group, keyed by group. */
  readonly materials: ReadonlyMap<string, MaterialReady>;
  readonly operators: readonly string[];
  readonly auditLogHead: string | null;
  readonly createdAt: string;
}

export interface CheckedTarget {
  readonly target: ImportTarget;
  readonly wrappingKey: WrappingKey;
  readonly fingerprint: string;
}

/** Refuses a target KMS would refuse, before any material exists. */
function checkTarget(target: ImportTarget, index: number): CheckedTarget {
  const verdict = checkWrappingCombination(
    target.keySpec,
    target.wrappingAlgorithm,
    target.wrappingKeySpec,
  );
  if (!verdict.allowed) {
    throw new ByokError('ERR_UNSUPPORTED_COMBINATION', `${target.keyArn}: ${verdict.reason}`, {
      hint: 'Run byok-online prepare again with a wrapping algorithm and key spec KMS accepts for this key.',
    });
  }
  const spki = decodeBase64(target.publicKey);
  if (spki === undefined) throw new ByokError('ERR_INTERNAL', 'validated public key is not base64');
  const wrappingKey = parseWrappingKey(
    spki,
    target.wrappingKeySpec,
    `wrapping key of targets[${index}] (${target.keyArn})`,
  );
  return { target, wrappingKey, fingerprint: wrappingKeyFingerprint(spki) };
}

/** Refuses any target KMS would refuse, naming it, before any material exists. */
export function checkRequestTargets(request: ImportRequestBundle): CheckedTarget[] {
  return request.targets.map(checkTarget);
}

/** Targets by material group, in the order groups first appear. */
export function groupTargets(targets: readonly CheckedTarget[]): Map<string, CheckedTarget[]> {
  const groups = new Map<string, CheckedTarget[]>();
  for (const checked of targets) {
    const group = groups.get(checked.target.materialGroup) ?? [];
    group.push(checked);
    groups.set(checked.target.materialGroup, group);
  }
  return groups;
}

/**
 * Wraps each group's material under each of its targets' keys (replicas of a multi-Region key
 * share one material). Every material Buffer is zeroed before this returns or throws.
 */
export function wrapRequest(input: WrapRequestInput): WrappedKeyBundle {
  const { request, checked } = input;
  const requestDigest = bundleDigest(request);
  const materials: MaterialRecord[] = [];
  const wrapped = new Map<CheckedTarget, string>();
  try {
    for (const [materialGroup, members] of groupTargets(checked)) {
      const material = input.materials.get(materialGroup);
      if (material === undefined)
        throw new ByokError('ERR_INTERNAL', `no material for group ${materialGroup}`);
      const { keySpec, bytes } = material;
      materials.push({
        materialGroup,
        keySpec,
        source: material.origin,
        kcv: materialKcv(keySpec, bytes),
        proof: materialProof(keySpec, bytes, requestDigest, materialGroup),
      });
      for (const member of members) {
        const blob = wrapKeyMaterial(
          bytes,
          member.wrappingKey.key,
          member.target.wrappingAlgorithm,
        );
        wrapped.set(member, encodeBase64(blob));
      }
    }
  } finally {
    for (const material of input.materials.values()) material.bytes.fill(0);
  }
  const targets: WrappedTarget[] = checked.map((member) => ({
    keyArn: member.target.keyArn,
    materialGroup: member.target.materialGroup,
    wrappingKeyFingerprint: member.fingerprint,
    encryptedKeyMaterial: wrapped.get(member)!,
  }));
  return {
    format: WRAPPED_KEYS_FORMAT,
    version: BUNDLE_VERSION,
    ceremonyId: request.ceremonyId,
    requestDigest,
    createdAt: input.createdAt,
    operators: input.operators,
    auditLogHead: input.auditLogHead,
    materials,
    targets,
  };
}
