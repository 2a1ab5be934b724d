import {
  BUNDLE_VERSION,
  ByokError,
  WRAPPED_KEYS_FORMAT,
  bundleDigest,
  checkWrappingCombination,
  wrappingKeyFingerprint,
  type ImportRequestBundle,
  type ImportTarget,
  type KeySpec,
  type MaterialRecord,
  type MaterialSource,
  type WrappedKeyBundle,
  type WrappedTarget,
} from '@byok-ceremony/shared';
import { generateKeyMaterial } from '@byok-ceremony/node-io/key-material';
import { loadMaterial } from './load-material.js';
import { materialKcv } from './material-kcv.js';
import { materialProof } from './material-proof.js';
import { parseWrappingKey, type WrappingKey } from './parse-wrapping-key.js';
import { wrapKeyMaterial } from './wrap-key-material.js';

/** Where the material comes from: generated here, or the bytes of a --material-file. */
export type MaterialInput =
  { readonly kind: 'generate' } | { readonly kind: 'file'; readonly bytes: Buffer };

export interface WrapRequestInput {
  readonly request: ImportRequestBundle;
  readonly material: MaterialInput;
  readonly operators: readonly string[];
  readonly auditLogHead: string | null;
  readonly createdAt: string;
}

interface CheckedTarget {
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
  // Validated as strict base64 with the bundle: Buffer's lenient decoding sees canonical input.
  const spki = Buffer.from(target.publicKey, 'base64');
  const wrappingKey = parseWrappingKey(
    spki,
    target.wrappingKeySpec,
    `wrapping key of targets[${index}] (${target.keyArn})`,
  );
  return { target, wrappingKey, fingerprint: wrappingKeyFingerprint(spki) };
}

/** Targets by material group, in the order groups first appear. */
function groupTargets(targets: readonly CheckedTarget[]): Map<string, CheckedTarget[]> {
  const groups = new Map<string, CheckedTarget[]>();
  for (const checked of targets) {
    const group = groups.get(checked.target.materialGroup) ?? [];
    group.push(checked);
    groups.set(checked.target.materialGroup, group);
  }
  return groups;
}

/**
 * Wraps material for every target of a validated request: one material per group (replicas of
 * a multi-Region key share it), each wrapped under its own target's key. Every material Buffer
 * is zeroed before this returns or throws.
 */
export function wrapRequest(input: WrapRequestInput): WrappedKeyBundle {
  const { request } = input;
  const checked = request.targets.map(checkTarget);
  const groups = groupTargets(checked);
  if (input.material.kind === 'file' && groups.size !== 1) {
    throw new ByokError(
      'ERR_USAGE',
      `--material-file gives one material, but the request has ${groups.size} material groups`,
      {
        hint: 'Leave out --material-file to generate material for each group, or ask for a request with one material group.',
      },
    );
  }
  const requestDigest = bundleDigest(request);
  const source: MaterialSource = input.material.kind === 'file' ? 'file' : 'generated';
  const materials: MaterialRecord[] = [];
  const wrapped = new Map<CheckedTarget, string>();
  for (const [materialGroup, members] of groups) {
    const keySpec: KeySpec = members[0]!.target.keySpec;
    const material =
      input.material.kind === 'file'
        ? loadMaterial(input.material.bytes, keySpec)
        : generateKeyMaterial(keySpec);
    try {
      materials.push({
        materialGroup,
        keySpec,
        source,
        kcv: materialKcv(keySpec, material),
        proof: materialProof(keySpec, material, requestDigest, materialGroup),
      });
      for (const member of members) {
        const blob = wrapKeyMaterial(
          material,
          member.wrappingKey.key,
          member.target.wrappingAlgorithm,
        );
        wrapped.set(member, blob.toString('base64'));
      }
    } finally {
      material.fill(0);
    }
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
