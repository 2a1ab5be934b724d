import { nodeWrappingKeyFingerprint } from '@byok-ceremony/node-io/key-material';
import {
  BUNDLE_VERSION,
  ByokError,
  WRAPPED_KEYS_FORMAT,
  checkWrappingCombination,
  type ImportRequestBundle,
  type ImportTarget,
  type KeySpec,
  type MaterialProof,
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
  /** The request's bundle digest, computed once by the caller. */
  readonly requestDigest: string;
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
  /** The wrapping key as DER SPKI: a token imports it from these bytes. */
  readonly spki: Buffer;
  readonly fingerprint: string;
}

/** A target's wrapping key as DER SPKI and its fingerprint (SHA-256 hex). */
export interface RequestWrappingKey {
  readonly spki: Buffer;
  readonly fingerprint: string;
}

/**
 * Each target's wrapping key as DER and its fingerprint, in target order: computed once per
 * request and passed along. The request is validated, so its base64 is strict already.
 */
export function requestWrappingKeys(request: ImportRequestBundle): RequestWrappingKey[] {
  return request.targets.map((t) => {
    const spki = Buffer.from(t.publicKey, 'base64');
    return { spki, fingerprint: nodeWrappingKeyFingerprint(spki) };
  });
}

/** Refuses a target KMS would refuse, before any material exists. */
function checkTarget(target: ImportTarget, index: number, key: RequestWrappingKey): CheckedTarget {
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
  const wrappingKey = parseWrappingKey(
    key.spki,
    target.wrappingKeySpec,
    `wrapping key of targets[${index}] (${target.keyArn})`,
  );
  return { target, wrappingKey, spki: key.spki, fingerprint: key.fingerprint };
}

/** Refuses any target KMS would refuse, naming it, before any material exists. */
export function checkRequestTargets(
  request: ImportRequestBundle,
  keys: readonly RequestWrappingKey[] = requestWrappingKeys(request),
): CheckedTarget[] {
  return request.targets.map((target, i) => checkTarget(target, i, keys[i]!));
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
 * What makes one group's record and blobs: the material in this process (plaintext, zeroed
 * after) or held by a token that computes each value itself.
 */
export interface MaterialSealer {
  readonly keySpec: KeySpec;
  readonly origin: MaterialSource;
  readonly kcv: () => string;
  readonly proof: (requestDigest: string, materialGroup: string) => MaterialProof;
  /** The EncryptedKeyMaterial for one target, under its wrapping key. */
  readonly wrap: (member: CheckedTarget) => Buffer;
}

/** The sealer of plaintext material: node:crypto computes everything from its bytes. */
function plaintextSealer({ keySpec, bytes, origin }: MaterialReady): MaterialSealer {
  return {
    keySpec,
    origin,
    kcv: () => materialKcv(keySpec, bytes),
    proof: (requestDigest, materialGroup) =>
      materialProof(keySpec, bytes, requestDigest, materialGroup),
    wrap: (member) =>
      wrapKeyMaterial(bytes, member.wrappingKey.key, member.target.wrappingAlgorithm),
  };
}

/** The wrapped-key bundle of a request: each group's record, and its blob for each target. */
export function sealRequest(
  input: Omit<WrapRequestInput, 'materials'>,
  sealers: ReadonlyMap<string, MaterialSealer>,
): WrappedKeyBundle {
  const { request, checked, requestDigest } = input;
  const materials: MaterialRecord[] = [];
  const wrapped = new Map<CheckedTarget, string>();
  for (const [materialGroup, members] of groupTargets(checked)) {
    const sealer = sealers.get(materialGroup);
    if (sealer === undefined)
      throw new ByokError('ERR_INTERNAL', `no material for group ${materialGroup}`);
    materials.push({
      materialGroup,
      keySpec: sealer.keySpec,
      source: sealer.origin,
      kcv: sealer.kcv(),
      proof: sealer.proof(requestDigest, materialGroup),
    });
    for (const member of members) wrapped.set(member, sealer.wrap(member).toString('base64'));
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

/**
 * Wraps each group's material under each of its targets' keys (replicas of a multi-Region key
 * share one material). Every material Buffer is zeroed before this returns or throws.
 */
export function wrapRequest(input: WrapRequestInput): WrappedKeyBundle {
  try {
    const sealers = new Map(
      [...input.materials].map(([group, material]) => [group, plaintextSealer(material)]),
    );
    return sealRequest(input, sealers);
  } finally {
    for (const material of input.materials.values()) material.bytes.fill(0);
  }
}
