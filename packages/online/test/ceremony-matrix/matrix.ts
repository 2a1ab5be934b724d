import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeKeyCommand, KMSClient, ReplicateKeyCommand } from '@aws-sdk/client-kms';
import { REHEARSAL_CREDENTIALS } from '@byok-ceremony/kms-sim';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  carry,
  expectTranscriptVerified,
  interruptedImport,
  logsOf,
  offlineAtTerminal,
  ok,
  photograph,
  ONLINE_LOG,
} from '../helpers/ceremony-driver.js';
import { commandOf } from '../helpers/cli-commands.js';
import { startCountingProxy, type CountingProxy } from '../helpers/counting-proxy.js';
import { expectRecordMatchesKms } from '../helpers/record-vs-kms.js';
import { startSimEnv, type SimEnv } from '../helpers/sim-env.js';
import { softHsmToken, type SoftHsmToken } from '../../../../test/softhsm.js';
import { Ceremony, OFFLINE_OPS, ONLINE_OPS } from '../lifecycle/ceremony-steps.js';

// Every path of the tool, one row each, through the real CLIs against byok-kms-sim. Each row
// ends the same way: both logs verified together at the heads the witness wrote down, and every
// key of the last import held to what KMS says about it. The test files beside this module run
// a part of the rows each, each file against a simulator of its own, so that the parts run side
// by side; every-command.test.ts holds all the rows together to both CLIs' commands.

const REPLICA_REGION = 'us-east-1';

let s: SimEnv;
let proxy: CountingProxy;
let commands: string[];
const clients = new Map<string, KMSClient>();

/** The test's own SDK client for the Region of a key ARN. */
function kmsFor(keyArn: string): KMSClient {
  const region = keyArn.split(':')[3]!;
  if (region === s.sim.region) return s.kms;
  let client = clients.get(region);
  if (client === undefined) {
    client = new KMSClient({ region, endpoint: s.sim.url, credentials: REHEARSAL_CREDENTIALS });
    clients.set(region, client);
  }
  return client;
}

/** Every importable key spec, each with the key usage create-key gives it by default. */
const EVERY_KEY_SPEC = [
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
] as const;

interface Imported {
  keys: { keyArn: string; keyState: string; keyMaterialId: string; kcv: string }[];
  rotated: { keyArn: string; keyMaterialId: string }[];
  pendingRotation: { keyArn: string; keyMaterialId: string }[];
}

const keyIds = (arns: readonly string[]): string[] => arns.flatMap((arn) => ['--key-id', arn]);
const confirm = (code: string): string[] => ['--check-code', code, '--check-code', code];

async function createKeys(c: Ceremony, specs: readonly string[]): Promise<string[]> {
  const arns: string[] = [];
  for (const spec of specs) arns.push(await c.createKey(['--key-spec', spec]));
  return arns;
}

/** prepare → wrap → import of one request, through the files the operators carry. */
async function importOnce(
  c: Ceremony,
  tag: string,
  arns: readonly string[],
  steps: {
    readonly prepare?: readonly string[];
    readonly material?: readonly string[];
    readonly import?: readonly string[];
  } = {},
): Promise<Imported> {
  const prep = await c.prepare(`${tag}.json`, [...keyIds(arns), ...(steps.prepare ?? [])]);
  const code = await c.wrap(`${tag}.json`, prep.checkCode, `${tag}-wrapped.json`, steps.material);
  const imported = await c.import<Imported>(
    `${tag}.json`,
    `${tag}-wrapped.json`,
    code,
    steps.import,
  );
  // Replicas (prepare --with-replicas) come after the keys named.
  expect(imported.keys.map((k) => k.keyArn).slice(0, arns.length)).toEqual(arns);
  expect(imported.keys.map((k) => k.keyState)).toEqual(imported.keys.map(() => 'Enabled'));
  return imported;
}

/** delete-material for each key: they wait, PendingImport, for the same material. */
async function deleteMaterial(c: Ceremony, arns: readonly string[]): Promise<void> {
  for (const arn of arns) ok(await c.operated(['delete-material', '--key-id', arn]));
}

/** Operator keys (Ed25519, under a passphrase), made on the offline machine as the runbook does. */
interface OperatorKeys {
  /** Flags with which CAROL and DAVE sign offline, and ALICE and BOB sign online. */
  readonly offline: readonly string[];
  readonly online: readonly string[];
  /** --operator-pubkey for all four, for audit verify. */
  readonly pins: readonly string[];
}

async function operatorKeys(c: Ceremony): Promise<OperatorKeys> {
  const signing: Record<string, string[]> = {};
  const pins: string[] = [];
  for (const name of ['ALICE', 'BOB', 'CAROL', 'DAVE']) {
    const file = name.toLowerCase();
    const files = [`${file}.key.json`, `${file}.pub.json`, `${file}.pass`];
    await writeFile(join(c.offlineDir, files[2]!), `${name} keeps a long passphrase\n`);
    ok(
      await c.offline([
        'operator',
        'keygen',
        '--name',
        name,
        '--passphrase-file',
        files[2]!,
        '--out',
        files[0]!,
        '--public-out',
        files[1]!,
        '--audit-log',
        'keygen-audit.jsonl',
      ]),
    );
    // Each online operator carries their own key file to the online machine.
    if (name === 'ALICE' || name === 'BOB') await carry(c.offlineDir, c.onlineDir, files);
    signing[name] = ['--operator-key', files[0]!, '--passphrase-file', files[2]!];
    pins.push('--operator-pubkey', join(c.offlineDir, files[1]!));
  }
  const flags = (...names: string[]): string[] => {
    const of = names.map((n) => signing[n]!);
    return [...of.flatMap((f) => f.slice(0, 2)), ...of.flatMap((f) => f.slice(2))];
  };
  return { offline: flags('CAROL', 'DAVE'), online: flags('ALICE', 'BOB'), pins };
}

/** The request for a re-import of the same material; the operators carry it to the offline machine. */
async function recoverInto(
  c: Ceremony,
  arns: readonly string[],
  from: readonly string[],
  keys?: OperatorKeys,
  prepare: readonly string[] = [],
): Promise<Imported> {
  const re = await c.prepare('re.json', [...keyIds(arns), '--reimport', ...prepare]);
  const r = ok(
    await c.offline([
      'recover',
      ...from,
      '--request',
      're.json',
      '--out',
      're-wrapped.json',
      ...OFFLINE_OPS,
      ...confirm(re.checkCode),
      ...(keys?.offline ?? []),
      '--json',
    ]),
  );
  await carry(c.offlineDir, c.onlineDir, ['re-wrapped.json']);
  const code = (JSON.parse(r.stdout) as { checkCode: string }).checkCode;
  return c.import<Imported>('re.json', 're-wrapped.json', code, keys?.online);
}

/** The hex and KCV a custodian reads off their form of components new. */
async function componentForm(path: string): Promise<{ hex: string; kcv: string; keyKcv: string }> {
  const text = await readFile(path, 'utf8');
  return {
    hex: /^data: (.+)$/m.exec(text)![1]!,
    kcv: /^component-kcv: (\S+)$/m.exec(text)![1]!,
    keyKcv: /^key-kcv: (\S+)$/m.exec(text)![1]!,
  };
}

async function componentsNew(
  c: Ceremony,
  request: string,
): Promise<{ materialGroup: string; keySpec: string; files: { name: string }[] }[]> {
  const made = ok(
    await c.offline([
      'components',
      'new',
      '--custodians',
      '2',
      '--request',
      request,
      '--out-dir',
      'forms',
      '--json',
    ]),
  );
  return (
    JSON.parse(made.stdout) as {
      groups: { materialGroup: string; keySpec: string; files: { name: string }[] }[];
    }
  ).groups;
}

async function keyState(arn: string): Promise<string | undefined> {
  return (await s.kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.KeyState;
}

/** Three keys prepared and wrapped, and the import's argv, for the interrupted-import rows. */
async function threeKeysWrapped(c: Ceremony): Promise<{ arns: string[]; argv: string[] }> {
  const arns = await createKeys(c, ['SYMMETRIC_DEFAULT', 'SYMMETRIC_DEFAULT', 'SYMMETRIC_DEFAULT']);
  const prep = await c.prepare('request.json', [
    ...keyIds(arns),
    '--wrapping-key-spec',
    'RSA_2048',
  ]);
  const code = await c.wrap('request.json', prep.checkCode, 'wrapped.json');
  return {
    arns,
    argv: [
      'import',
      '--request',
      'request.json',
      '--wrapped',
      'wrapped.json',
      ...ONLINE_OPS,
      ...confirm(code),
      '--concurrency',
      '1',
    ],
  };
}

interface Row {
  readonly path: string;
  /** The commands the row runs (the closing audit head and verify aside), as `TOOL COMMAND`. */
  readonly runs: readonly string[];
  /** The row's byok-offline holds its material in a SoftHSM token of its own (--hsm). */
  readonly hsm?: true;
  /** Runs the path; returns any anchors audit verify takes besides the heads (pinned keys). */
  readonly run: (c: Ceremony, token: SoftHsmToken | undefined) => Promise<readonly string[] | void>;
}

/** SoftHSM 2.6 wraps with SHA-1 OAEP only: the algorithms its rows prepare for. */
const SOFTHSM_OAEP = ['--wrapping-algorithm', 'RSAES_OAEP_SHA_1'];
const SOFTHSM_RSA_AES = ['--wrapping-algorithm', 'RSA_AES_KEY_WRAP_SHA_1'];

const ONLINE = (command: string): string => `byok-online ${command}`;
const OFFLINE = (command: string): string => `byok-offline ${command}`;
const FIRST_IMPORT = [ONLINE('create-key'), ONLINE('prepare'), OFFLINE('wrap'), ONLINE('import')];

/** How every row ends: each machine's head read off it, both logs verified on each machine. */
const CLOSING = [
  ONLINE('audit head'),
  OFFLINE('audit head'),
  ONLINE('audit verify'),
  OFFLINE('audit verify'),
];

/** Commands of the CLIs that no row runs, each with why it is not a ceremony path. */
const NOT_A_CEREMONY_PATH: Readonly<Record<string, string>> = {
  [ONLINE('status')]: 'reads KMS and changes nothing; every row asks KMS itself',
  [ONLINE('plan')]: 'a group: plan check is its command',
  [ONLINE('audit')]: 'a group: audit head and audit verify are its commands',
  [OFFLINE('inspect')]: 'shows a request or bundle, confirms and changes nothing',
  [OFFLINE('components')]: 'a group: components new is its command',
  [OFFLINE('operator')]: 'a group: operator keygen is its command',
  [OFFLINE('audit')]: 'a group: audit head and audit verify are its commands',
  [OFFLINE('self-test')]: "the known-answer tests, which every row's wrap runs first",
  [OFFLINE('version')]: "prints the build's identity",
};

/** A plan row: plan check, prepare --plan, wrap --plan, import --plan, report --plan. */
interface PlanRow {
  readonly name: string;
  /** The plan's material, backup and wrapping lines. */
  readonly planLines: readonly string[];
  readonly keys: readonly string[];
  /** wrap's flags besides the plan, request, output, codes and operator keys. */
  readonly wrapFlags: readonly string[];
  /** The Region of each key imported, in order. */
  readonly regions: readonly string[];
}

const PLAN_RUNS = [
  OFFLINE('operator keygen'),
  ONLINE('plan check'),
  ONLINE('prepare'),
  OFFLINE('wrap'),
  ONLINE('import'),
  ONLINE('report'),
];

async function runPlan(c: Ceremony, o: PlanRow): Promise<readonly string[]> {
  const keys = await operatorKeys(c);
  const fingerprint = async (name: string): Promise<string> => {
    const pub = JSON.parse(await readFile(join(c.offlineDir, `${name}.pub.json`), 'utf8')) as {
      publicKey: string;
    };
    return createHash('sha256').update(Buffer.from(pub.publicKey, 'base64')).digest('hex');
  };
  const plan = [
    'format: byok-ceremony/plan',
    'version: 1',
    `name: ${o.name}`,
    'account: "111122223333"',
    `region: ${s.sim.region}`,
    'operators:',
    `  - { name: ALICE, operatorKey: "${await fingerprint('alice')}" }`,
    `  - { name: BOB, operatorKey: "${await fingerprint('bob')}" }`,
    'witness: WENDY',
    ...o.planLines,
    'keys:',
    ...o.keys,
    '',
  ].join('\n');
  await writeFile(join(c.onlineDir, 'plan.yaml'), plan);
  const checked = ok(await c.online(['plan', 'check', 'plan.yaml', '--json']));
  const planCode = (JSON.parse(checked.stdout) as { planCode: string }).planCode;
  const prep = ok(
    await c.online(['prepare', '--plan', 'plan.yaml', '--out', 'plan-request.json', '--json']),
  );
  expect(prep.stderr).toContain(`Plan code: ${planCode}`);
  await carry(c.onlineDir, c.offlineDir, ['plan.yaml', 'plan-request.json']);
  const requestCode = (JSON.parse(prep.stdout) as { checkCode: string }).checkCode;
  const wrapped = ok(
    await c.offline([
      'wrap',
      '--plan',
      'plan.yaml',
      '--request',
      'plan-request.json',
      '--out',
      'plan-wrapped.json',
      ...o.wrapFlags,
      ...confirm(requestCode),
      ...keys.online,
      '--json',
    ]),
  );
  const lastHead = (stderr: string): string => /log head code (\S+)[^\n]*\n$/.exec(stderr)![1]!;
  const offlineHead = lastHead(wrapped.stderr);
  await carry(c.offlineDir, c.onlineDir, ['plan-wrapped.json']);
  await copyFile(logsOf(c).offline, join(c.onlineDir, 'offline-copy.jsonl'));
  const wrappedCode = (JSON.parse(wrapped.stdout) as { checkCode: string }).checkCode;
  const imported = ok(
    await c.online([
      'import',
      '--plan',
      'plan.yaml',
      '--request',
      'plan-request.json',
      '--wrapped',
      'plan-wrapped.json',
      ...confirm(wrappedCode),
      ...keys.online,
      '--json',
    ]),
  );
  const keysImported = (JSON.parse(imported.stdout) as Imported).keys;
  expect(keysImported.map((k) => k.keyArn.split(':')[3])).toEqual(o.regions);
  expect(keysImported.map((k) => k.keyState)).toEqual(o.regions.map(() => 'Enabled'));
  const record = ok(
    await c.online([
      'report',
      '--plan',
      'plan.yaml',
      '--log',
      'byok-online-audit.jsonl',
      '--log',
      'offline-copy.jsonl',
      '--expect-head',
      offlineHead,
      '--expect-head',
      lastHead(imported.stderr),
      '--out',
      'record.md',
    ]),
  );
  expect(record.stdout).toMatch(/^VERIFIED\b/);
  const md = await readFile(join(c.onlineDir, 'record.md'), 'utf8');
  expect(md).toContain(`Plan ${o.name}: plan code \`${planCode}\``);
  return keys.pins;
}

/** First imports, of every key type and with each kind of backup and component entry. */
export const FIRST_IMPORT_ROWS: readonly Row[] = [
  {
    path: 'first import of every importable key type, in one request',
    runs: FIRST_IMPORT,
    async run(c) {
      const arns = await createKeys(c, EVERY_KEY_SPEC);
      const imported = await importOnce(c, 'every-type', arns);
      expect(imported.keys.map((k) => k.keyArn)).toEqual(arns);
    },
  },
  {
    path: 'Shamir backup (shamir:2-of-3), operators signing; recover from two shares, re-import',
    runs: [
      ...FIRST_IMPORT,
      OFFLINE('operator keygen'),
      ONLINE('delete-material'),
      OFFLINE('recover'),
    ],
    async run(c) {
      const keys = await operatorKeys(c);
      const arns = await createKeys(c, ['SYMMETRIC_DEFAULT', 'HMAC_256']);
      const first = await importOnce(c, 'first', arns, {
        material: ['--backup', 'shamir:2-of-3', '--backup-dir', 'backup', ...keys.offline],
        import: keys.online,
      });
      await deleteMaterial(c, arns);
      const shares = ['backup/share-1-of-3.txt', 'backup/share-3-of-3.txt'];
      const back = await recoverInto(c, arns, ['--shares', ...shares], keys);
      expect(back.keys.map((k) => k.keyMaterialId)).toEqual(first.keys.map((k) => k.keyMaterialId));
      return keys.pins;
    },
  },
  {
    path: 'age backup (age:passphrase); recover from the age file, re-import',
    runs: [...FIRST_IMPORT, ONLINE('delete-material'), OFFLINE('recover')],
    async run(c) {
      await writeFile(join(c.offlineDir, 'age.pass'), 'the custodians keep this passphrase\n', {
        mode: 0o600,
      });
      const arns = await createKeys(c, ['SYMMETRIC_DEFAULT']);
      const first = await importOnce(c, 'first', arns, {
        material: [
          '--backup',
          'age:passphrase',
          '--backup-dir',
          'backup',
          '--backup-passphrase-file',
          'age.pass',
        ],
      });
      await deleteMaterial(c, arns);
      const from = ['--age', 'backup/material-set.age', '--age-passphrase-file', 'age.pass'];
      const back = await recoverInto(c, arns, from);
      expect(back.keys[0]!.keyMaterialId).toBe(first.keys[0]!.keyMaterialId);
    },
  },
  {
    path: 'components from files: components new, wrap --components with --component-file',
    runs: [...FIRST_IMPORT, OFFLINE('components new')],
    async run(c) {
      const arns = await createKeys(c, ['SYMMETRIC_DEFAULT', 'HMAC_256']);
      const prep = await c.prepare('request.json', keyIds(arns));
      const groups = await componentsNew(c, 'request.json');
      const files = groups.flatMap((g) => g.files.map((f) => join('forms', f.name)));
      expect(files).toHaveLength(4);
      const code = await c.wrap('request.json', prep.checkCode, 'wrapped.json', [
        '--components',
        '2',
        ...files.flatMap((f) => ['--component-file', f]),
      ]);
      await c.import('request.json', 'wrapped.json', code);
    },
  },
  {
    path: 'components and check codes typed at a terminal',
    runs: [...FIRST_IMPORT, OFFLINE('components new')],
    async run(c) {
      const arns = await createKeys(c, ['SYMMETRIC_DEFAULT']);
      const prep = await c.prepare('request.json', keyIds(arns));
      const [group] = await componentsNew(c, 'request.json');
      const forms = await Promise.all(
        group!.files.map((f) => componentForm(join(c.offlineDir, 'forms', f.name))),
      );
      const typed = await offlineAtTerminal(
        c,
        [
          'wrap',
          '--request',
          'request.json',
          '--out',
          'wrapped.json',
          '--components',
          '2',
          ...OFFLINE_OPS,
          '--json',
        ],
        [
          { prompt: 'CAROL, type the check code', answer: prep.checkCode },
          { prompt: 'DAVE, type the check code', answer: prep.checkCode },
          ...forms.flatMap((form, i) => [
            { prompt: `Custodian ${i + 1} of 2, type your component for k1`, answer: form.hex },
            { prompt: `Custodian ${i + 1}, type your component's KCV`, answer: form.kcv },
          ]),
          // Typed once by the custodians together: the combined key is checked against the forms.
          { prompt: 'All custodians of k1: type the key KCV', answer: forms[0]!.keyKcv },
        ],
      );
      expect(typed.code, typed.output).toBe(0);
      const wrapped = JSON.parse(/^\{.*\}$/m.exec(typed.output)![0]) as { checkCode: string };
      await carry(c.offlineDir, c.onlineDir, ['wrapped.json']);
      await c.import('request.json', 'wrapped.json', wrapped.checkCode);
    },
  },
];

/** What comes after a first import (rotation, deletion, re-import), and the other transports. */
export const LATER_AND_RAW_AND_QR_ROWS: readonly Row[] = [
  {
    path: 'rotation: prepare --new-material, import --rotate',
    runs: FIRST_IMPORT,
    async run(c) {
      const arns = await createKeys(c, ['SYMMETRIC_DEFAULT']);
      await importOnce(c, 'first', arns);
      const next = await importOnce(c, 'rotation', arns, {
        prepare: ['--new-material'],
        import: ['--rotate'],
      });
      expect(next.rotated.map((r) => r.keyMaterialId)).toEqual([next.keys[0]!.keyMaterialId]);
    },
  },
  {
    path: 'rotation: prepare --new-material, import, then rotate',
    runs: [...FIRST_IMPORT, ONLINE('rotate')],
    async run(c) {
      const arns = await createKeys(c, ['SYMMETRIC_DEFAULT']);
      await importOnce(c, 'first', arns);
      const next = await importOnce(c, 'rotation', arns, { prepare: ['--new-material'] });
      expect(next.pendingRotation.map((r) => r.keyArn)).toEqual(arns);
      ok(await c.operated(['rotate', ...keyIds(arns)]));
    },
  },
  {
    path: 'delete-material',
    runs: [...FIRST_IMPORT, ONLINE('delete-material')],
    async run(c) {
      const arns = await createKeys(c, ['SYMMETRIC_DEFAULT']);
      await importOnce(c, 'first', arns);
      await deleteMaterial(c, arns);
    },
  },
  {
    path: 're-import with prepare --reimport --original-record LOG',
    runs: [...FIRST_IMPORT, ONLINE('delete-material')],
    async run(c) {
      const arns = await createKeys(c, ['SYMMETRIC_DEFAULT']);
      const material = ['--material-file', await c.materialFile('material.bin')];
      const first = await importOnce(c, 'first', arns, { material });
      await deleteMaterial(c, arns);
      const back = await importOnce(c, 're', arns, {
        prepare: ['--reimport', '--original-record', ONLINE_LOG],
        material,
      });
      expect(back.keys[0]!.keyMaterialId).toBe(first.keys[0]!.keyMaterialId);
    },
  },
  {
    path: 'multi-Region primary and its replica: prepare --with-replicas',
    runs: FIRST_IMPORT,
    async run(c) {
      const primary = await c.createKey(['--multi-region']);
      await s.kms.send(new ReplicateKeyCommand({ KeyId: primary, ReplicaRegion: REPLICA_REGION }));
      const imported = await importOnce(c, 'mrk', [primary], { prepare: ['--with-replicas'] });
      expect(imported.keys.map((k) => k.keyArn.split(':')[3])).toEqual([
        s.sim.region,
        REPLICA_REGION,
      ]);
    },
  },
  {
    path: 'raw mode both ways: prepare --raw-dir, wrap raw, import raw, two operators each',
    runs: [ONLINE('create-key'), ONLINE('prepare'), OFFLINE('wrap raw'), ONLINE('import raw')],
    async run(c) {
      const [arn] = await createKeys(c, ['SYMMETRIC_DEFAULT']);
      const keyId = arn!.split('/')[1]!;
      const algorithm = ['--wrapping-algorithm', 'RSAES_OAEP_SHA_256'];
      await c.prepare('request.json', [
        '--key-id',
        arn!,
        ...algorithm,
        '--wrapping-key-spec',
        'RSA_2048',
        '--raw-dir',
        'raw',
      ]);
      await copyFile(
        join(c.onlineDir, 'raw', keyId, 'PublicKey.bin'),
        join(c.offlineDir, 'PublicKey.bin'),
      );
      const material = await c.materialFile('material.bin');
      ok(
        await c.offline([
          'wrap',
          'raw',
          '--public-key',
          'PublicKey.bin',
          ...algorithm,
          '--material-file',
          material,
          '--out',
          'EncryptedKeyMaterial.bin',
          ...OFFLINE_OPS,
          '--json',
        ]),
      );
      await carry(c.offlineDir, c.onlineDir, ['EncryptedKeyMaterial.bin']);
      const imported = ok(
        await c.operated([
          'import',
          'raw',
          '--key-id',
          arn!,
          '--import-token',
          join('raw', keyId, 'ImportToken.bin'),
          '--encrypted-key-material',
          'EncryptedKeyMaterial.bin',
          '--json',
        ]),
      );
      expect(JSON.parse(imported.stdout)).toMatchObject({ keyArn: arn, keyState: 'Enabled' });
    },
  },
  {
    path: 'QR both ways: prepare --qr, scan, wrap --qr, import --scan',
    runs: [
      ONLINE('create-key'),
      ONLINE('prepare'),
      OFFLINE('scan'),
      OFFLINE('wrap'),
      ONLINE('import'),
    ],
    async run(c) {
      const [arn] = await createKeys(c, ['HMAC_256']);
      const prep = ok(
        await c.operated([
          'prepare',
          '--key-id',
          arn!,
          '--out',
          'request.json',
          '--qr',
          'request-qr',
          '--json',
        ]),
      );
      const requestCode = (JSON.parse(prep.stdout) as { checkCode: string }).checkCode;
      await photograph(join(c.onlineDir, 'request-qr'), join(c.offlineDir, 'request-stills'));
      ok(
        await c.offline([
          'scan',
          'request-stills',
          '--out',
          'request.json',
          ...OFFLINE_OPS,
          '--json',
        ]),
      );
      const wrap = ok(
        await c.wrapRaw('request.json', requestCode, 'wrapped.json', [
          '--no-backup',
          '--qr',
          'answer-qr',
        ]),
      );
      const wrappedCode = (JSON.parse(wrap.stdout) as { checkCode: string }).checkCode;
      await photograph(join(c.offlineDir, 'answer-qr'), join(c.onlineDir, 'answer-stills'));
      ok(
        await c.operated([
          'import',
          '--request',
          'request.json',
          '--scan',
          'answer-stills',
          ...confirm(wrappedCode),
          '--json',
        ]),
      );
      // Only the frames crossed: no bundle file reached the online machine.
      expect(existsSync(join(c.onlineDir, 'wrapped.json'))).toBe(false);
    },
  },
];

/** A reviewed plan, interrupted imports, and material kept in a PKCS#11 token. */
export const PLAN_INTERRUPT_AND_TOKEN_ROWS: readonly Row[] = [
  {
    path: 'a reviewed plan: plan check, prepare --plan (key, alias, replica created), wrap --plan, import --plan, report --plan',
    runs: PLAN_RUNS,
    run: (c) =>
      runPlan(c, {
        name: 'matrix plan',
        planLines: ['material: { source: generate }', 'backup: [shamir:2-of-3]'],
        keys: [
          `  - { alias: alias/matrix/data, keySpec: SYMMETRIC_DEFAULT, replicaRegions: [${REPLICA_REGION}] }`,
          '  - { alias: alias/matrix/sign, keySpec: ECC_NIST_P256 }',
        ],
        wrapFlags: ['--backup-dir', 'plan-backup'],
        regions: [s.sim.region, REPLICA_REGION, s.sim.region],
      }),
  },
  {
    path: 'a reviewed plan whose material a PKCS#11 token generates and keeps: wrap --plan --hsm',
    runs: PLAN_RUNS,
    hsm: true,
    async run(c, token) {
      const pins = await runPlan(c, {
        name: 'matrix token plan',
        planLines: [
          `material: { source: hsm, token: ${token!.label}, serial: "${token!.serial}" }`,
          'backup: none',
          // SoftHSM 2.6 wraps with SHA-1 OAEP only.
          'wrapping: { algorithm: RSAES_OAEP_SHA_1 }',
        ],
        keys: [
          '  - { alias: alias/matrix/token-data, keySpec: SYMMETRIC_DEFAULT }',
          '  - { alias: alias/matrix/token-mac, keySpec: HMAC_256 }',
        ],
        wrapFlags: ['--hsm', token!.uri.replace('?', `;serial=${token!.serial}?`)],
        regions: [s.sim.region, s.sim.region],
      });
      // The token the plan names made and keeps both objects; the offline log names them.
      const wrapEntry = (await readFile(logsOf(c).offline, 'utf8'))
        .trimEnd()
        .split('\n')
        .map(
          (line) =>
            JSON.parse(line) as {
              command: string;
              hsm?: { token: { label: string }; objects: { label: string }[] };
            },
        )
        .filter((e) => e.command === 'wrap')
        .at(-1)!;
      expect(wrapEntry.hsm?.token.label).toBe(token!.label);
      expect(wrapEntry.hsm?.objects).toHaveLength(2);
      for (const object of wrapEntry.hsm!.objects) {
        const listed = await token!.pkcs11Tool([
          '--list-objects',
          '--type',
          'secrkey',
          '--label',
          object.label,
        ]);
        expect(listed.stdout).toContain('sensitive');
      }
      return pins;
    },
  },
  {
    path: 'import interrupted by SIGINT, then import --resume',
    runs: FIRST_IMPORT,
    async run(c) {
      const { arns, argv } = await threeKeysWrapped(c);
      const stopped = await interruptedImport(c, proxy, argv, { signal: 'SIGINT', heldImport: 2 });
      expect(stopped.code, stopped.stderr).toBe(1);
      expect(stopped.stderr).toMatch(/error: interrupted \(SIGINT or SIGTERM\) after 2 of 3 key/);
      expect(await keyState(arns[2]!)).toBe('PendingImport');
      const resumed = ok(await c.online([...argv, '--resume', '--json']));
      const result = JSON.parse(resumed.stdout) as Imported;
      expect(result.keys.map((k) => k.keyArn)).toEqual(arns);
    },
  },
  {
    path: 'import killed (kill -9) with a key in flight, then import --resume',
    runs: FIRST_IMPORT,
    async run(c) {
      const { arns, argv } = await threeKeysWrapped(c);
      const killed = await interruptedImport(c, proxy, argv, { signal: 'SIGKILL', heldImport: 2 });
      expect(killed.signal).toBe('SIGKILL');
      // The request the dead process sent still reaches KMS: its outcome is unknown to the journal.
      while ((await keyState(arns[1]!)) !== 'Enabled')
        await new Promise((done) => setTimeout(done, 20));
      const resumed = ok(await c.online([...argv, '--resume', '--json']));
      expect(resumed.stderr).toContain('1 sent without a recorded answer');
      const result = JSON.parse(resumed.stdout) as Imported;
      expect(result.keys.map((k) => k.keyArn)).toEqual(arns);
    },
  },
  {
    path: '--hsm: symmetric, HMAC, EC and RSA material generated and wrapped in a PKCS#11 token (SoftHSM)',
    runs: FIRST_IMPORT,
    hsm: true,
    async run(c, token) {
      const hsm = ['--hsm', token!.uri];
      const secret = await createKeys(c, ['SYMMETRIC_DEFAULT', 'HMAC_256']);
      await importOnce(c, 'secret', secret, { prepare: SOFTHSM_OAEP, material: hsm });
      const pairs = await createKeys(c, ['ECC_NIST_P256', 'RSA_2048']);
      await importOnce(c, 'pairs', pairs, { prepare: SOFTHSM_RSA_AES, material: hsm });
    },
  },
  {
    path: '--hsm: the token keeps the material; delete-material, recover --hsm, re-import',
    runs: [...FIRST_IMPORT, ONLINE('delete-material'), OFFLINE('recover')],
    hsm: true,
    async run(c, token) {
      const hsm = ['--hsm', token!.uri];
      const arns = await createKeys(c, ['SYMMETRIC_DEFAULT', 'HMAC_256']);
      const first = await importOnce(c, 'first', arns, { prepare: SOFTHSM_OAEP, material: hsm });
      await deleteMaterial(c, arns);
      const back = await recoverInto(c, arns, hsm, undefined, SOFTHSM_OAEP);
      expect(back.keys.map((k) => k.keyState)).toEqual(['Enabled', 'Enabled']);
      expect(back.keys.map((k) => k.keyMaterialId)).toEqual(first.keys.map((k) => k.keyMaterialId));
    },
  },
];

const ROWS: readonly Row[] = [
  ...FIRST_IMPORT_ROWS,
  ...LATER_AND_RAW_AND_QR_ROWS,
  ...PLAN_INTERRUPT_AND_TOKEN_ROWS,
];

/** Each row's ceremony, kept for the check that the KMS comparison can fail. */
const ran = new Map<string, Ceremony>();

const TITLE = 'the ceremony matrix: every path, through the real CLIs, verified and held to KMS';

/**
 * For the calling file: the simulator (with a replica Region), the counting proxy and both CLIs'
 * commands, then each of `rows` as a test, then the tests `more` registers.
 */
export function describeMatrix(rows: readonly Row[], more: () => void = () => undefined): void {
  beforeAll(async () => {
    s = await startSimEnv({ otherRegions: [REPLICA_REGION] });
    proxy = await startCountingProxy(s.sim.url);
    commands = inject('cliCommands');
  });
  afterAll(async () => {
    for (const client of clients.values()) client.destroy();
    await proxy.close();
    await s.close();
  });

  describe(TITLE, () => {
    for (const row of rows)
      it(row.path, { timeout: 0 }, async () => {
        const token = row.hsm === true ? await softHsmToken() : undefined;
        const c = await Ceremony.start(s, token === undefined ? {} : { offlineEnv: token.env });
        ran.set(row.path, c);
        const anchors = (await row.run(c, token)) ?? [];
        await expectTranscriptVerified(c, anchors);
        await expectRecordMatchesKms(logsOf(c), kmsFor);
        // The row ran exactly what it says it covers.
        expect(new Set(c.ran.map((r) => commandOf(commands, r)))).toEqual(
          new Set([...row.runs, ...CLOSING]),
        );
      });

    more();
  });
}

/** Run after FIRST_IMPORT_ROWS, in their file: the KMS comparison fails a record KMS contradicts. */
export function itRefusesARecordKmsContradicts(): void {
  it('the KMS check refuses a record that names other material than KMS holds', async () => {
    const c = ran.get(FIRST_IMPORT_ROWS[0]!.path)!;
    const entries = (await readFile(logsOf(c).online, 'utf8')).trimEnd().split('\n');
    const lastImport = JSON.parse(entries.at(-1)!) as {
      keys: { keySpec: string; kcv: string; keyMaterialId: string }[];
    };
    expect(lastImport.keys.map((k) => k.keySpec)).toEqual(EVERY_KEY_SPEC);
    // No offline log: the online record alone is held to KMS.
    await writeFile(join(c.offlineDir, 'empty.jsonl'), '');
    const edits: [string, (k: (typeof lastImport.keys)[number]) => void, RegExp][] = [
      ['SYMMETRIC_DEFAULT', (k) => (k.keyMaterialId = 'f'.repeat(64)), /ListKeyRotations/],
      ['HMAC_384', (k) => (k.kcv = k.kcv === '000000' ? '000001' : '000000'), /GenerateMac/],
      ['ECC_NIST_P384', (k) => (k.kcv = k.kcv === '000000' ? '000001' : '000000'), /GetPublicKey/],
    ];
    for (const [spec, edit, message] of edits) {
      const altered = structuredClone(lastImport);
      edit(altered.keys.find((k) => k.keySpec === spec)!);
      await writeFile(
        join(c.onlineDir, 'altered.jsonl'),
        [...entries.slice(0, -1), JSON.stringify(altered)].join('\n') + '\n',
      );
      await expect(
        expectRecordMatchesKms(
          {
            online: join(c.onlineDir, 'altered.jsonl'),
            offline: join(c.offlineDir, 'empty.jsonl'),
          },
          kmsFor,
        ),
        spec,
      ).rejects.toThrow(message);
    }
  });
}

/** Every command of both CLIs is a row's, or named as no ceremony path. */
export function itCoversEveryCommand(): void {
  it('covers every command of both CLIs, or names it as no ceremony path', () => {
    const exercised = new Set([...ROWS.flatMap((r) => r.runs), ...CLOSING]);
    const excluded = Object.keys(NOT_A_CEREMONY_PATH);
    expect(commands).toContain(ONLINE('import raw'));
    expect(commands.filter((c) => !exercised.has(c) && !excluded.includes(c))).toEqual([]);
    expect([...exercised].filter((c) => !commands.includes(c))).toEqual([]);
    expect(excluded.filter((c) => !commands.includes(c) || exercised.has(c))).toEqual([]);
  });
}
