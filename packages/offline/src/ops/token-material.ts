import { createHash } from 'node:crypto';
import {
  ByokError,
  KCV_INPUT_BLOCK,
  KEY_SPEC_RULES,
  WRAPPING_ALGORITHMS,
  expectedKcvOf,
  keyCheckValue,
  proofMessage,
  type AuditHsmRecord,
  type ImportRequestBundle,
  type KeySpec,
  type MaterialProof,
  type WrappingAlgorithm,
} from '@byok-ceremony/shared';
import type { HsmToken, TokenKey, TokenObjectName } from './hsm-token.js';
import type { CheckedTarget, MaterialSealer } from './wrap-request.js';

/**
 * Material a PKCS#11 token holds: `generate` makes it in the token (wrap --hsm); `existing`
 * re-wraps the objects an earlier ceremony made (recover --hsm), found by their labels.
 */
export interface TokenMaterialSource {
  readonly kind: 'token';
  readonly mode: 'generate' | 'existing';
  /** Loads the module, finds the token and logs in (the PIN is asked here). */
  readonly open: () => Promise<HsmToken>;
  /** recover: the object the URI names (object= and/or id=), for a request of one group. */
  readonly object?: { readonly label?: string; readonly id?: Uint8Array };
}

/** A group's token object, planned (generate) or found (existing). */
export type TokenGroupPlan =
  | { readonly kind: 'generate'; readonly keySpec: KeySpec; readonly name: TokenObjectName }
  | { readonly kind: 'existing'; readonly key: TokenKey };

/**
 * The object name of a group's material: the label is the ceremony id and the key ARN the
 * material was made for (a multi-Region key's first Region), so recover finds it by the ARN;
 * CKA_ID is the first 16 bytes of the label's SHA-256 (pkcs11-tool --id selects by it).
 */
export function tokenObjectName(ceremonyId: string, keyArn: string): TokenObjectName {
  const label = `${ceremonyId}/${keyArn}`;
  return { label, id: createHash('sha256').update(label).digest().subarray(0, 16) };
}

/** The record of the objects holding each group's material. */
export function hsmRecordOf(
  token: HsmToken,
  names: ReadonlyMap<string, TokenObjectName>,
): AuditHsmRecord {
  return {
    token: token.description,
    objects: [...names].map(([materialGroup, name]) => ({
      materialGroup,
      label: name.label,
      id: Buffer.from(name.id).toString('hex'),
    })),
  };
}

/** The check value of the token's material, computed by the token (C_Sign) or from its public key. */
export function tokenKcv(key: TokenKey): string {
  return keyCheckValue(key.keySpec, {
    aesCmacOfZeroBlock: () => key.mac(KCV_INPUT_BLOCK),
    hmacOfZeroBlock: () => key.mac(KCV_INPUT_BLOCK),
    publicKeyDer: () => key.publicKeyDer(),
  });
}

/** The proof byok-online checks after import: an HMAC by the token, or the token's public key. */
function tokenProof(key: TokenKey, requestDigest: string, materialGroup: string): MaterialProof {
  switch (KEY_SPEC_RULES[key.keySpec].material?.kind) {
    case 'hmac': {
      const message = proofMessage(requestDigest, materialGroup);
      return { kind: 'hmac', mac: key.mac(message).toString('base64') };
    }
    case 'rsa-private':
    case 'ec-private':
      return { kind: 'public-key', publicKey: key.publicKeyDer().toString('base64') };
    default:
      return { kind: 'kcv-only' };
  }
}

/** The sealer of token material: every value is computed inside the token. */
export function tokenSealer(key: TokenKey): MaterialSealer {
  return {
    keySpec: key.keySpec,
    origin: 'generated',
    kcv: () => tokenKcv(key),
    proof: (requestDigest, materialGroup) => tokenProof(key, requestDigest, materialGroup),
    wrap: (member: CheckedTarget) => key.wrap(member.spki, member.target.wrappingAlgorithm),
  };
}

/** Refuses, before any code is asked, a key spec the token cannot make or an algorithm it cannot wrap by. */
export function assertTokenCanWrap(
  token: HsmToken,
  checked: readonly CheckedTarget[],
  generating: boolean,
): void {
  const problems: string[] = [];
  if (generating)
    for (const keySpec of new Set(checked.map((c) => c.target.keySpec))) {
      const why = token.cannotGenerate(keySpec);
      if (why !== undefined) problems.push(`${keySpec}: ${why}`);
    }
  const tried = new Map<WrappingAlgorithm, string | undefined>();
  for (const { target, spki } of checked) {
    if (!tried.has(target.wrappingAlgorithm))
      tried.set(target.wrappingAlgorithm, token.cannotWrap(target.wrappingAlgorithm, spki));
    const why = tried.get(target.wrappingAlgorithm);
    if (why !== undefined) problems.push(`${target.keyArn} (${target.wrappingAlgorithm}): ${why}`);
  }
  if (problems.length === 0) return;
  const spki = checked[0]!.spki;
  const can = WRAPPING_ALGORITHMS.filter(
    (a) => (tried.has(a) ? tried.get(a) : token.cannotWrap(a, spki)) === undefined,
  );
  throw new ByokError(
    'ERR_HSM_MECHANISM',
    `the token ${token.description.label} cannot do what the request needs:\n${problems.join('\n')}`,
    {
      hint: `This token can wrap with: ${can.join(', ') || 'none of the KMS wrapping algorithms'}. Run byok-online prepare again with --wrapping-algorithm set to one of them that KMS allows for the key spec (RSAES_OAEP_* for symmetric and HMAC keys, RSA_AES_KEY_WRAP_* for RSA and EC keys); nothing was generated.`,
      details: problems,
    },
  );
}

/** The first target of each group: its key ARN names the object. */
function firstTargets(checked: readonly CheckedTarget[]): Map<string, CheckedTarget> {
  const first = new Map<string, CheckedTarget>();
  for (const c of checked)
    if (!first.has(c.target.materialGroup)) first.set(c.target.materialGroup, c);
  return first;
}

/** wrap --hsm: each group's object name, refused if the token has an object of that label. */
function planGenerate(
  token: HsmToken,
  request: ImportRequestBundle,
  checked: readonly CheckedTarget[],
): Map<string, TokenGroupPlan> {
  const plan = new Map<string, TokenGroupPlan>();
  const taken: string[] = [];
  for (const [group, { target }] of firstTargets(checked)) {
    const name = tokenObjectName(request.ceremonyId, target.keyArn);
    if (token.hasObjectLabelled(name.label)) taken.push(name.label);
    plan.set(group, { kind: 'generate', keySpec: target.keySpec, name });
  }
  if (taken.length > 0)
    throw new ByokError(
      'ERR_HSM_OBJECT_EXISTS',
      `the token already holds an object labelled ${taken.join(', ')}`,
      {
        hint: 'This request was wrapped from this token before: its material is in the token. Use recover --hsm with a new request to wrap it again, or have byok-online prepare a new request (a new ceremony id) for new material.',
      },
    );
  return plan;
}

/** The candidates for a group in recover: objects labelled with any of its key ARNs, or the URI's object. */
function candidatesOf(
  token: HsmToken,
  source: TokenMaterialSource,
  members: readonly CheckedTarget[],
  labels: readonly string[],
): TokenKey[] {
  const keySpec = members[0]!.target.keySpec;
  if (source.object !== undefined) return token.find(keySpec, source.object);
  const arns = new Set(members.map((m) => m.target.keyArn));
  const mine = labels.filter((l) => {
    const slash = l.indexOf('/');
    return slash > 0 && arns.has(l.slice(slash + 1));
  });
  return [...new Set(mine)].flatMap((label) => token.find(keySpec, { label }));
}

/**
 * recover --hsm: the object of each group, found by the key ARN in its label (or the URI's
 * object); where a key rotated and the label matches several, the request's expected KCV picks one.
 */
function planExisting(
  token: HsmToken,
  source: TokenMaterialSource,
  request: ImportRequestBundle,
  checked: readonly CheckedTarget[],
): Map<string, TokenGroupPlan> {
  const groups = new Map<string, CheckedTarget[]>();
  for (const c of checked)
    groups.set(c.target.materialGroup, [...(groups.get(c.target.materialGroup) ?? []), c]);
  if (source.object !== undefined && groups.size !== 1)
    throw new ByokError(
      'ERR_USAGE',
      `the --hsm URI names one object, but the request has ${groups.size} material groups`,
      {
        hint: 'Leave object= and id= out: each group is found by its key ARN in the labels; name an object only for a request of one key.',
      },
    );
  const labels = source.object === undefined ? token.keyLabels() : [];
  const plan = new Map<string, TokenGroupPlan>();
  for (const [group, members] of groups) {
    let keys = candidatesOf(token, source, members, labels);
    const expected = expectedKcvOf(request.targets, group);
    if (expected !== undefined) keys = keys.filter((k) => tokenKcv(k) === expected);
    const arn = members[0]!.target.keyArn;
    if (keys.length === 0)
      throw new ByokError(
        'ERR_HSM_OBJECT',
        `the token holds no ${members[0]!.target.keySpec} key for ${arn}${expected === undefined ? '' : ` with KCV ${expected}`}`,
        {
          hint: 'Check the token (pkcs11-tool --list-objects): the objects wrap --hsm made are labelled CEREMONY-ID/KEY-ARN. Name the object with object=LABEL in the URI if it was labelled otherwise.',
        },
      );
    if (keys.length > 1)
      throw new ByokError(
        'ERR_HSM_OBJECT',
        `the token holds ${keys.length} keys for ${arn}: ${keys.map((k) => k.name.label).join(', ')}`,
        {
          hint: 'Name the one to re-import with object=LABEL in the --hsm URI, or prepare the request with --original-record so that its expected KCV picks it.',
        },
      );
    plan.set(group, { kind: 'existing', key: keys[0]! });
  }
  return plan;
}

/** Every refusal of the token path that needs no code: mechanisms, labels taken, objects missing. */
export function planTokenMaterial(
  token: HsmToken,
  source: TokenMaterialSource,
  request: ImportRequestBundle,
  checked: readonly CheckedTarget[],
): Map<string, TokenGroupPlan> {
  assertTokenCanWrap(token, checked, source.mode === 'generate');
  return source.mode === 'generate'
    ? planGenerate(token, request, checked)
    : planExisting(token, source, request, checked);
}

/**
 * The token's key for each group: generated now, or the one found. `made` receives each key
 * generated with its group, so that a failure (here or later) can destroy them.
 */
export function tokenKeysOf(
  token: HsmToken,
  plan: ReadonlyMap<string, TokenGroupPlan>,
  made: [string, TokenKey][],
): Map<string, TokenKey> {
  const keys = new Map<string, TokenKey>();
  for (const [group, step] of plan) {
    if (step.kind === 'existing') keys.set(group, step.key);
    else {
      const key = token.generate(step.keySpec, step.name);
      made.push([group, key]);
      keys.set(group, key);
    }
  }
  return keys;
}
