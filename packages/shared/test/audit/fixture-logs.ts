import { generateKeyPairSync, sign, verify, createPublicKey } from 'node:crypto';
import {
  nextAuditEntryLine,
  signAuditEntry,
  canonicalJson,
  checkCodeOf,
  auditEntryHash,
  type AuditBackupRecord,
  type AuditKmsRecord,
  type AuditRecord,
  type AuditSigner,
  type ChainPosition,
  type VerifyEd25519,
} from '../../src/index.js';

const ARN_A = 'arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555';
const ARN_B = 'arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef';
export const REQUEST = 'a'.repeat(64);
export const WRAPPED = 'b'.repeat(64);

export function record(
  overrides: Partial<AuditRecord> & Pick<AuditRecord, 'command'>,
): AuditRecord {
  return {
    operators: ['ALICE', 'BOB'],
    exceptions: [],
    inputs: {},
    outputs: {},
    checkCodes: {},
    keys: [],
    kmsRequestIds: [],
    peerLogHead: null,
    outcome: 'ok',
    error: null,
    ...overrides,
  };
}

/** Appends like io/audit-log.ts does, optionally signing like the CLIs do with operator keys. */
export class Log {
  readonly lines: string[] = [];
  private head: string | null = null;
  constructor(private readonly tool: string) {}
  append(rec: AuditRecord, signers: readonly AuditSigner[] = []): string | null {
    const before = this.head;
    const position: ChainPosition = { seq: this.lines.length, head: this.head };
    const { entry } = nextAuditEntryLine(position, rec, {
      time: `2026-11-28T10:0${this.lines.length}:00Z`,
      tool: this.tool,
      toolVersion: '0.1.0',
    });
    const line = canonicalJson(signAuditEntry(entry, signers));
    this.lines.push(line);
    this.head = auditEntryHash(line);
    return before;
  }
  text(): string {
    return this.lines.map((l) => `${l}\n`).join('');
  }
}

export interface OperatorKey {
  readonly signer: AuditSigner;
  readonly publicKey: string;
}

export function operatorKey(operator: string): OperatorKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    publicKey: spki,
    signer: {
      operator,
      publicKey: spki,
      sign: (payload) => sign(null, payload, privateKey).toString('base64'),
    },
  };
}

export const verifyEd25519: VerifyEd25519 = (publicKey, payload, signature) =>
  verify(
    null,
    payload,
    createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' }),
    Buffer.from(signature, 'base64'),
  );

/** The head of a log: the hash of its last line, as written on the paper record. */
export function logHead(text: string): string {
  return auditEntryHash(text.split('\n').slice(0, -1).at(-1)!);
}

export interface CeremonyOptions {
  readonly signers?: readonly AuditSigner[];
  readonly wrapOperators?: readonly string[];
  readonly wrapExceptions?: readonly string[];
  readonly keyState?: string;
  /** Where the online steps' KMS calls went, recorded on create-key, prepare and import. */
  readonly kms?: AuditKmsRecord;
  /** One key instead of two. */
  readonly singleKey?: boolean;
  /** The import's error, making it a failed import. */
  readonly importError?: { code: string; message: string };
  /** This many keys (the two above, then symmetric keys), e.g. enough for a record of many pages. */
  readonly keyCount?: number;
  /** Each key named by an alias (`alias/key-N`) on create-key and prepare. */
  readonly aliases?: boolean;
  /** What the wrap records of its backups. */
  readonly backup?: AuditBackupRecord;
}

/** Key N of a fixture ceremony: ARN, spec, group, KCV and the KeyMaterialId its import gets. */
function fixtureKey(i: number): {
  keyArn: string;
  keySpec: string;
  materialGroup: string;
  kcv: string;
  keyMaterialId: string;
} {
  if (i === 0)
    return {
      keyArn: ARN_A,
      keySpec: 'SYMMETRIC_DEFAULT',
      materialGroup: 'a',
      kcv: 'ABC123',
      keyMaterialId: 'c'.repeat(64),
    };
  if (i === 1)
    return {
      keyArn: ARN_B,
      keySpec: 'HMAC_256',
      materialGroup: 'b',
      kcv: 'DEF456',
      keyMaterialId: 'e'.repeat(64),
    };
  const n = i.toString(16).padStart(12, '0');
  return {
    keyArn: `arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-4000-8000-${n}`,
    keySpec: 'SYMMETRIC_DEFAULT',
    materialGroup: `g${i}`,
    kcv: (0x100000 + i).toString(16).toUpperCase(),
    keyMaterialId: i.toString(16).padStart(64, '0'),
  };
}

/** Two logs of one complete ceremony that interlock as the real tools write them. */
export function ceremonyLogs(options: CeremonyOptions = {}): { online: string; offline: string } {
  const online = new Log('byok-online');
  const offline = new Log('byok-offline');
  const kms = options.kms === undefined ? {} : { kms: options.kms };
  const fixtureKeys = Array.from(
    { length: options.singleKey === true ? 1 : (options.keyCount ?? 2) },
    (_, i) => fixtureKey(i),
  );
  const keys = fixtureKeys.map((k, i) => ({
    keyArn: k.keyArn,
    ...(options.aliases === true ? { alias: `alias/key-${i + 1}` } : {}),
    keySpec: k.keySpec,
    materialGroup: k.materialGroup,
  }));
  online.append(
    record({
      command: 'create-key',
      operators: [],
      keys,
      kmsRequestIds: ['r1', 'r2'],
      ...kms,
    }),
  );
  const requestHead = online.append(
    record({
      command: 'prepare',
      outputs: { request: REQUEST },
      checkCodes: { request: checkCodeOf(REQUEST) },
      keys,
      kmsRequestIds: ['r3', 'r4'],
      ...kms,
    }),
  );
  offline.append(
    record({
      command: 'inspect',
      operators: [],
      inputs: { request: REQUEST },
      checkCodes: { request: checkCodeOf(REQUEST) },
      peerLogHead: requestHead,
    }),
  );
  const wrappedKeys = fixtureKeys.map((k) => ({
    keyArn: k.keyArn,
    kcv: k.kcv,
    materialGroup: k.materialGroup,
  }));
  const wrappedHead = offline.append(
    record({
      command: 'wrap',
      operators: options.wrapOperators ?? ['ALICE', 'BOB'],
      exceptions: options.wrapExceptions ?? [],
      inputs: { request: REQUEST },
      outputs: { wrapped: WRAPPED },
      checkCodes: { request: checkCodeOf(REQUEST), wrapped: checkCodeOf(WRAPPED) },
      keys: wrappedKeys,
      peerLogHead: requestHead,
      ...(options.backup === undefined ? {} : { backup: options.backup }),
    }),
    options.signers,
  );
  online.append(
    record({
      command: 'import',
      inputs: { request: REQUEST, wrapped: WRAPPED },
      checkCodes: { wrapped: checkCodeOf(WRAPPED) },
      keys: wrappedKeys.map((k, i) => ({
        ...k,
        keyState: options.keyState ?? 'Enabled',
        proof: k.keyArn === ARN_B ? ('hmac' as const) : ('kcv-only' as const),
        // KMS gives each key its own KeyMaterialId, derived from the key and the material.
        keyMaterialId: fixtureKeys[i]!.keyMaterialId,
      })),
      kmsRequestIds: ['r5', 'r6'],
      peerLogHead: wrappedHead,
      ...kms,
      ...(options.importError === undefined
        ? {}
        : { outcome: 'error' as const, error: options.importError }),
    }),
    options.signers,
  );
  online.append(record({ command: 'status', operators: [], keys }));
  return { online: online.text(), offline: offline.text() };
}

export const OLD_MATERIAL = '1'.repeat(64);
export const NEW_MATERIAL = '2'.repeat(64);
const ARN_C = 'arn:aws:kms:eu-west-1:111122223333:key/33333333-4444-5555-6666-777777777777';
const NEW_MATERIAL_C = '5'.repeat(64);

export interface RotationOptions {
  /** What the rotation's import records as the material of the first key: the new one, unless faked. */
  readonly importedId?: string;
  /** The KCV that import records for the first key: the new material's, unless faked. */
  readonly importedKcv?: string;
  /** Where it records the first key rotated to: the imported material, unless given; null for none. */
  readonly rotatedTo?: string | null;
  /** Two keys, each with its own material group; only the first one's rotation is recorded. */
  readonly secondKey?: boolean;
  /** The original import in another log: this online log starts at the rotation's prepare. */
  readonly withoutFirstImport?: boolean;
}

/**
 * Two logs of a key's first import and then its rotation (prepare --new-material, wrap, import
 * --rotate) as the tools write them: the rotation's prepare records the material the key had.
 */
export function rotationLogs(options: RotationOptions = {}): { online: string; offline: string } {
  const online = new Log('byok-online');
  const offline = new Log('byok-offline');
  const arns = options.secondKey === true ? [ARN_A, ARN_C] : [ARN_A];
  const keys = arns.map((keyArn, i) => ({
    keyArn,
    keySpec: 'SYMMETRIC_DEFAULT',
    materialGroup: `g${i}`,
  }));
  const run = (
    request: string,
    wrapped: string,
    prepared: readonly Record<string, unknown>[],
    imported: readonly Record<string, unknown>[],
    outputs: Record<string, string>,
  ): void => {
    const requestHead = online.append(
      record({
        command: 'prepare',
        outputs: { request },
        checkCodes: { request: checkCodeOf(request) },
        keys: keys.map((k, i) => ({ ...k, ...prepared[i] })),
      }),
    );
    const wrappedHead = offline.append(
      record({
        command: 'wrap',
        inputs: { request },
        outputs: { wrapped },
        checkCodes: { request: checkCodeOf(request), wrapped: checkCodeOf(wrapped) },
        keys: keys.map((k, i) => ({ ...k, kcv: imported[i]!['kcv'] as string })),
        peerLogHead: requestHead,
      }),
    );
    online.append(
      record({
        command: 'import',
        inputs: { request, wrapped },
        outputs,
        checkCodes: { wrapped: checkCodeOf(wrapped) },
        keys: keys.map((k, i) => ({
          ...k,
          ...imported[i],
          keyState: 'Enabled',
          proof: 'kcv-only' as const,
        })),
        peerLogHead: wrappedHead,
      }),
    );
  };
  online.append(record({ command: 'create-key', operators: [], keys }));
  const olds = arns.map((_, i) => (i === 0 ? OLD_MATERIAL : '4'.repeat(64)));
  if (options.withoutFirstImport !== true)
    run(
      REQUEST,
      WRAPPED,
      keys.map(() => ({})),
      olds.map((keyMaterialId, i) => ({ keyMaterialId, kcv: i === 0 ? 'AAAAAA' : 'CCCCCC' })),
      {},
    );
  const importedId = options.importedId ?? NEW_MATERIAL;
  const rotatedTo = options.rotatedTo === undefined ? importedId : options.rotatedTo;
  run(
    '3'.repeat(64),
    '6'.repeat(64),
    olds.map((currentKeyMaterialId) => ({ currentKeyMaterialId })),
    arns.map((_, i) =>
      i === 0
        ? { keyMaterialId: importedId, kcv: options.importedKcv ?? 'BBBBBB' }
        : { keyMaterialId: NEW_MATERIAL_C, kcv: 'DDDDDD' },
    ),
    rotatedTo === null ? {} : { [`rotation:${ARN_A}`]: rotatedTo },
  );
  return { online: online.text(), offline: offline.text() };
}

/** Rewrites line `index` of a log and re-chains the lines after it, as a forger of its tail would. */
export function forgeTail(
  text: string,
  index: number,
  edit: (entry: Record<string, unknown>) => Record<string, unknown>,
): string {
  const lines = text.split('\n').slice(0, -1);
  for (let i = index; i < lines.length; i++) {
    const entry = JSON.parse(lines[i]!) as Record<string, unknown>;
    const edited = i === index ? edit(entry) : entry;
    lines[i] = canonicalJson({ ...edited, prev: i === 0 ? null : auditEntryHash(lines[i - 1]!) });
  }
  return lines.map((l) => `${l}\n`).join('');
}

/** An edit that names other operators, drops the signatures and claims every key Enabled. */
export function unsignedAs(operators: string[], exceptions: string[] = []) {
  return (entry: Record<string, unknown>) => {
    const keys = (entry['keys'] as Record<string, unknown>[]).map((k) =>
      'keyState' in k ? { ...k, keyState: 'Enabled' } : k,
    );
    return { ...entry, operators, exceptions, keys, signatures: undefined };
  };
}

/** Appends a line chained to the log's last line, as a forger extending a rewritten log would. */
export function appendFiller(text: string, peerLogHead: string): string {
  const lines = text.split('\n').slice(0, -1);
  const last = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
  const filler = {
    ...last,
    command: 'status',
    operators: [],
    exceptions: [],
    inputs: {},
    outputs: {},
    checkCodes: {},
    keys: [],
    kmsRequestIds: [],
    signatures: undefined,
    outcome: 'ok',
    error: null,
    kms: undefined,
    peerLogHead,
    seq: (last['seq'] as number) + 1,
    prev: auditEntryHash(lines.at(-1)!),
  };
  return `${text}${canonicalJson(filler)}\n`;
}
