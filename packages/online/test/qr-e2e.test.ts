import { copyFile, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  FrameAssembler,
  bundleToQrFrameSequence,
  type AuditEntry,
  type ImportRequestBundle,
} from '@byok-ceremony/shared';
import { describe, expect, it } from 'vitest';
import { codeLeaksInFolder, codeLeaksInText } from '../../node-io/test/helpers/code-leaks.js';
import { logHead } from '../../shared/test/audit/fixture-logs.js';
import { OFFLINE_BIN, ONLINE_BIN, runChild, type CliResult } from './helpers/run-online.js';
import { simForThisFile } from './helpers/sim-env.js';

// The whole ceremony with QR images as the only thing crossing between the two machines'
// folders: PNG frames out (prepare --qr → scan), PNG frames back (wrap --qr → import --scan).

const s = simForThisFile();

const online = (cwd: string, argv: readonly string[]): Promise<CliResult> =>
  runChild(ONLINE_BIN, [...s.flags, ...argv], { cwd, env: s.env });
const offline = (cwd: string, argv: readonly string[]): Promise<CliResult> =>
  runChild(OFFLINE_BIN, argv, { cwd, env: s.env });

const ONLINE_OPS = ['--operator', 'ALICE', '--operator', 'BOB'];
const OFFLINE_OPS = ['--operator', 'CAROL', '--operator', 'DAVE'];
const codes = (code: string): string[] => ['--check-code', code, '--check-code', code];

async function allPngFrames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.png')).sort();
}

/** The pure frames of `--qr DIR`: the first half of its PNGs (then as many mixed ones), or the one. */
async function pngFrames(dir: string): Promise<string[]> {
  const all = await allPngFrames(dir);
  return all.length === 1 ? all : all.slice(0, all.length / 2);
}

/** What a camera does: the frames as stills, in the order given (repeats allowed), in a new folder. */
async function stills(
  from: string,
  frames: readonly string[],
  order: readonly number[],
  to: string,
) {
  await mkdir(to, { recursive: true });
  const existing = (await readdir(to)).length;
  for (const [i, f] of order.entries())
    await copyFile(
      join(from, frames[f]!),
      join(to, `still-${String(existing + i + 1).padStart(3, '0')}.png`),
    );
}

async function auditLog(path: string): Promise<AuditEntry[]> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditEntry);
}

async function createKeys(dir: string, specs: readonly string[]): Promise<string[]> {
  const arns: string[] = [];
  for (const spec of specs) {
    const r = await online(dir, ['create-key', '--key-spec', spec, '--json']);
    expect(r.code, r.stderr).toBe(0);
    arns.push((JSON.parse(r.stdout) as { arn: string }).arn);
  }
  return arns;
}

async function keyState(arn: string): Promise<string | undefined> {
  return (await s.kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.KeyState;
}

interface Ceremony {
  readonly onlineDir: string;
  readonly offlineDir: string;
  readonly arns: readonly string[];
  readonly requestCode: string;
}

/** create-key ×n, then prepare --qr on the online machine; returns the request's check code. */
async function prepareByQr(specs: readonly string[], extra: readonly string[]): Promise<Ceremony> {
  const onlineDir = await mkdtemp(join(tmpdir(), 'byok-qr-online-'));
  const offlineDir = await mkdtemp(join(tmpdir(), 'byok-qr-offline-'));
  const arns = await createKeys(onlineDir, specs);
  const prep = await online(onlineDir, [
    'prepare',
    ...arns.flatMap((arn) => ['--key-id', arn]),
    '--out',
    'request.json',
    '--qr',
    'request-qr',
    ...extra,
    ...ONLINE_OPS,
    '--json',
  ]);
  expect(prep.code, prep.stderr).toBe(0);
  const prepared = JSON.parse(prep.stdout) as { checkCode: string; digest: string };
  const density = extra.includes('--qr-density')
    ? extra[extra.indexOf('--qr-density') + 1]!
    : 'normal';
  expect(prep.stderr).toMatch(new RegExp(`QR frame\\(s\\) at density ${density} in .*request-qr`));
  // The head code stays the last line, after the frames' note, where the witness reads it.
  expect(prep.stderr.trimEnd().split('\n').at(-1)).toMatch(/^byok-online: log head code \S+ /);
  const html = await readFile(join(onlineDir, 'request-qr', 'index.html'), 'utf8');
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  // The code travels only by the operators, from this screen: no file of the folder carries it.
  expect(
    codeLeaksInFolder(join(onlineDir, 'request-qr'), prepared.checkCode, prepared.digest),
  ).toEqual([]);
  return { onlineDir, offlineDir, arns, requestCode: prepared.checkCode };
}

async function scanRequest(c: Ceremony, folder: string): Promise<CliResult> {
  return offline(c.offlineDir, ['scan', '--out', 'request.json', folder, '--json']);
}

async function wrapByQr(c: Ceremony): Promise<{ wrappedCode: string; frames: string[] }> {
  const wrap = await offline(c.offlineDir, [
    'wrap',
    '--request',
    'request.json',
    '--out',
    'wrapped.json',
    '--qr',
    'answer-qr',
    ...OFFLINE_OPS,
    ...codes(c.requestCode),
    '--no-backup',
    '--json',
  ]);
  expect(wrap.code, wrap.stderr).toBe(0);
  expect(wrap.stderr).toMatch(/QR frame\(s\) at density high in .*answer-qr/);
  expect(wrap.stderr.trimEnd().split('\n').at(-1)).toMatch(/^byok-offline: log head code \S+ /);
  const wrappedCode = (JSON.parse(wrap.stdout) as { checkCode: string }).checkCode;
  return { wrappedCode, frames: await pngFrames(join(c.offlineDir, 'answer-qr')) };
}

async function importByScan(c: Ceremony, folder: string, code: string): Promise<CliResult> {
  return online(c.onlineDir, [
    'import',
    '--request',
    'request.json',
    '--scan',
    folder,
    ...ONLINE_OPS,
    ...codes(code),
    '--json',
  ]);
}

/** No bundle crossed: the online side never saw wrapped.json; the offline request.json is scan's. */
async function assertOnlyFramesCrossed(c: Ceremony): Promise<void> {
  expect(existsSync(join(c.onlineDir, 'wrapped.json'))).toBe(false);
  const offlineLog = await auditLog(join(c.offlineDir, 'byok-offline-audit.jsonl'));
  const scan = offlineLog.find((e) => e.command === 'scan' && e.outcome === 'ok')!;
  const requestFile = await readFile(join(c.offlineDir, 'request.json'));
  expect(scan.outputs['requestFile']).toBe(createHash('sha256').update(requestFile).digest('hex'));
}

/** Both logs record the same QR transfer digests on both sides, and verify together. */
async function assertLogsLinked(c: Ceremony): Promise<void> {
  const onlineLog = await auditLog(join(c.onlineDir, 'byok-online-audit.jsonl'));
  const offlineLog = await auditLog(join(c.offlineDir, 'byok-offline-audit.jsonl'));
  const prepare = onlineLog.find((e) => e.command === 'prepare')!;
  const imp = onlineLog.find((e) => e.command === 'import' && e.outcome === 'ok')!;
  const [scan, wrap] = offlineLog.filter((e) => e.outcome === 'ok');
  expect(scan!.command).toBe('scan');
  expect(wrap!.command).toBe('wrap');
  expect(scan!.inputs['qrTransfer']).toBe(prepare.outputs['qrTransfer']);
  // scan has confirmed nothing, so it logs no bundle digest; wrap does once the codes matched.
  expect(scan!.outputs['request']).toBeUndefined();
  expect(wrap!.inputs['request']).toBe(prepare.outputs['request']);
  expect(scan!.peerLogHead).toBe(wrap!.peerLogHead);
  expect(imp.inputs['qrTransfer']).toBe(wrap!.outputs['qrTransfer']);
  expect(imp.inputs['wrapped']).toBe(wrap!.outputs['wrapped']);
  expect(imp.inputs['wrappedFile']).toBeUndefined();
  // No operator keys here: the heads, as written on the paper record, anchor wrap and import.
  const heads = await Promise.all(
    [
      join(c.onlineDir, 'byok-online-audit.jsonl'),
      join(c.offlineDir, 'byok-offline-audit.jsonl'),
    ].map(async (log) => ['--expect-head', logHead(await readFile(log, 'utf8'))]),
  );
  const verify = await online(c.onlineDir, [
    'audit',
    'verify',
    'byok-online-audit.jsonl',
    join(c.offlineDir, 'byok-offline-audit.jsonl'),
    ...heads.flat(),
  ]);
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
}

describe('the ceremony by QR images alone, both ways, through the real CLIs', () => {
  it('1 key (RSA_4096 wrapping, the default; low density): shuffled, repeated and at first incomplete stills', async () => {
    // A one-key request is 2 frames at normal density (token hashes, not tokens): low gives several.
    const c = await prepareByQr(['HMAC_256'], ['--qr-density', 'low']);
    const requestFrames = await pngFrames(join(c.onlineDir, 'request-qr'));
    expect(requestFrames.length).toBeGreaterThan(2);
    const last = requestFrames.length - 1;
    const src = join(c.onlineDir, 'request-qr');
    const camera = join(c.offlineDir, 'stills');

    // The camera caught every frame but the second, out of order and some twice.
    const seen = [last, 0, last, ...Array.from({ length: last - 1 }, (_, i) => i + 2), 0];
    await stills(src, requestFrames, seen, camera);
    const first = await scanRequest(c, 'stills');
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/still-003\.png \(seen before\): frames 2\/\d+, missing 2(, |\n)/);
    expect(first.stderr).toMatch(
      new RegExp(`error: QR transfer incomplete: frames ${last}/${last + 1}, missing 2\\b`),
    );
    expect(first.stderr).toMatch(/hint: scan the missing frames too/);
    expect(existsSync(join(c.offlineDir, 'request.json'))).toBe(false);

    // Mixed frames stand in for a missing one: every pure frame but one, then the folder's
    // mixed frames. Which pure frame the mixed ones cover is worked out from the same bundle.
    const all = await allPngFrames(src);
    expect(all).toHaveLength(2 * requestFrames.length);
    const sequence = bundleToQrFrameSequence(
      JSON.parse(await readFile(join(c.onlineDir, 'request.json'), 'utf8')) as ImportRequestBundle,
    );
    const pureIndexes = requestFrames.map((_, i) => i);
    const mixedIndexes = all.map((_, i) => i).slice(requestFrames.length);
    const covered = pureIndexes.find((gap) => {
      const assembler = new FrameAssembler();
      for (const i of [...pureIndexes.filter((i) => i !== gap), ...mixedIndexes])
        assembler.add(sequence.frameAt(i + 1));
      return assembler.progress().complete;
    });
    expect(covered).toBeDefined();
    // Another offline machine, so that this scan is not in the ceremony's own log.
    const another = await mkdtemp(join(tmpdir(), 'byok-qr-mixed-'));
    const withMixed = join(another, 'stills-mixed');
    const order = [...pureIndexes.filter((i) => i !== covered), ...mixedIndexes];
    await stills(src, all, order, withMixed);
    const mixedScan = await offline(another, [
      'scan',
      '--out',
      'request-from-mixed.json',
      'stills-mixed',
      '--json',
    ]);
    expect(mixedScan.code, mixedScan.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(another, 'request-from-mixed.json'), 'utf8'))).toEqual(
      JSON.parse(await readFile(join(c.onlineDir, 'request.json'), 'utf8')),
    );

    // The operator steps the player to frame 2; the camera adds it.
    await stills(src, requestFrames, [1], camera);
    const scan = await scanRequest(c, 'stills');
    expect(scan.code, scan.stderr).toBe(0);
    const scanned = JSON.parse(scan.stdout) as {
      checkCode?: string;
      frames: { received: number; total: number };
    };
    // The offline machine does not show the code: the operators type it off the online screen.
    expect(scanned.checkCode).toBeUndefined();
    expect(scan.stdout + scan.stderr).not.toContain(c.requestCode);
    expect(scanned.frames).toEqual({ received: last + 1, total: last + 1 });
    expect(scan.stderr).toMatch(/complete\n/);
    // The scanned request is the online machine's own bundle (keys in canonical order).
    const readJson = async (path: string): Promise<unknown> =>
      JSON.parse(await readFile(path, 'utf8')) as unknown;
    expect(await readJson(join(c.offlineDir, 'request.json'))).toEqual(
      await readJson(join(c.onlineDir, 'request.json')),
    );

    const { wrappedCode, frames } = await wrapByQr(c);
    expect(frames).toEqual(['frame-001.png']); // a one-key RSA_4096 answer is one frame at high

    const answer = join(c.onlineDir, 'answer-stills');
    await stills(join(c.offlineDir, 'answer-qr'), frames, [0], answer);
    const imp = await importByScan(c, 'answer-stills', wrappedCode);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stderr).toMatch(/still-001\.png: frames 1\/1, complete/);
    const [beforeConfirmed] = imp.stderr.split(
      'byok-online: Check code confirmed by ALICE and BOB\n',
    );
    expect(beforeConfirmed).not.toBe(imp.stderr);
    expect(beforeConfirmed).not.toContain(wrappedCode);
    const result = JSON.parse(imp.stdout) as {
      checkCode: string;
      keys: { keyArn: string; keyState: string; proof: string; proven: boolean }[];
    };
    expect(result.checkCode).toBe(wrappedCode);
    expect(result.keys.map((k) => [k.keyArn, k.keyState, k.proof, k.proven])).toEqual([
      [c.arns[0], 'Enabled', 'hmac', true],
    ]);
    expect(await keyState(c.arns[0]!)).toBe('Enabled');
    await assertOnlyFramesCrossed(c);
    await assertLogsLinked(c);
  });

  it('10 keys (RSA_2048 wrapping keys, to keep the simulator fast): the answer shuffled and repeated, an incomplete scan refused first', async () => {
    const specs = [
      ...Array.from({ length: 7 }, () => 'SYMMETRIC_DEFAULT'),
      'HMAC_256',
      'HMAC_512',
      'ECC_NIST_P256',
    ];
    const c = await prepareByQr(specs, ['--wrapping-key-spec', 'RSA_2048']);
    const requestFrames = await pngFrames(join(c.onlineDir, 'request-qr'));
    expect(requestFrames.length).toBeGreaterThan(5);
    await stills(
      join(c.onlineDir, 'request-qr'),
      requestFrames,
      requestFrames.map((_, i) => i),
      join(c.offlineDir, 'stills'),
    );
    const scan = await scanRequest(c, 'stills');
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stdout + scan.stderr).not.toContain(c.requestCode);

    const { wrappedCode, frames } = await wrapByQr(c);
    expect(frames.length).toBeGreaterThan(2);
    const src = join(c.offlineDir, 'answer-qr');

    // A camera that caught only the first frame, twice: refused, naming the missing frames,
    // before any KMS call. (Two stills, not all but two: the refusal needs no more decoding.)
    const partial = join(c.onlineDir, 'partial');
    await stills(src, frames, [0, 0], partial);
    const refused = await importByScan(c, 'partial', wrappedCode);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `error: QR transfer incomplete: frames 1/${frames.length}, missing ${[...frames.keys()]
          .slice(1)
          .map((i) => i + 1)
          .join(', ')}\n`,
      ),
    );
    for (const arn of c.arns) expect(await keyState(arn)).toBe('PendingImport');
    const afterRefusal = await auditLog(join(c.onlineDir, 'byok-online-audit.jsonl'));
    expect(afterRefusal.at(-1)).toMatchObject({
      command: 'import',
      outcome: 'error',
      error: { code: 'ERR_QR' },
      kmsRequestIds: [],
    });

    // Everything, backwards, with repeats.
    const order = [...frames.keys()].reverse();
    await stills(src, frames, [...order, order[0]!, order[1]!], join(c.onlineDir, 'answer-stills'));
    const imp = await importByScan(c, 'answer-stills', wrappedCode);
    expect(imp.code, imp.stderr).toBe(0);
    const result = JSON.parse(imp.stdout) as { keys: { keyArn: string; keyState: string }[] };
    expect(result.keys.map((k) => k.keyArn)).toEqual(c.arns);
    expect(result.keys.every((k) => k.keyState === 'Enabled')).toBe(true);
    for (const arn of c.arns) expect(await keyState(arn)).toBe('Enabled');
    await assertOnlyFramesCrossed(c);
    await assertLogsLinked(c);
  });
});

describe('QR options of byok-online', () => {
  it('prepare --qr-terminal without a terminal draws each frame once on stderr and ends', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'byok-qr-terminal-'));
    const [arn] = await createKeys(dir, ['SYMMETRIC_DEFAULT']);
    const r = await online(dir, [
      'prepare',
      '--key-id',
      arn!,
      '--out',
      'request.json',
      '--qr-terminal',
      '--qr-density',
      'low',
      ...ONLINE_OPS,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { checkCode, digest } = JSON.parse(r.stdout) as { checkCode: string; digest: string };
    const shown = [...r.stderr.matchAll(/frame (\d+)\/(\d+)\n/g)];
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.map((m) => Number(m[1]))).toEqual(shown.map((_, i) => i + 1));
    // Frames and counters only; the command names the code once the playback has ended.
    const end = shown.at(-1)!.index + shown.at(-1)![0].length;
    expect(codeLeaksInText(r.stderr.slice(0, end), checkCode, digest)).toEqual([]);
    expect(r.stderr.slice(end)).toContain(`Import request, check code ${checkCode}`);
    expect(r.stderr).toMatch(/[▀▄█]{20}/);
    expect(r.stdout).not.toMatch(/[▀▄█]/);
  });

  it('refuses bad QR flag combinations before any KMS call or file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'byok-qr-usage-'));
    const cases: [string[], RegExp][] = [
      [
        ['prepare', '--key-id', 'alias/x', '--out', 'r.json', '--qr-density', 'high'],
        /--qr-density needs --qr DIR or --qr-terminal/,
      ],
      [
        ['prepare', '--key-id', 'alias/x', '--out', 'r.json', '--qr', 'q', '--qr-density', 'huge'],
        /unknown QR density 'huge'/,
      ],
      [
        ['import', '--request', 'r.json', '--wrapped', 'w.json', '--scan', 'q'],
        /--scan cannot be combined with --wrapped/,
      ],
      [
        [
          'import',
          '--key-id',
          'k',
          '--import-token',
          't',
          '--encrypted-key-material',
          'm',
          '--scan',
          'q',
        ],
        /--key-id cannot be combined with --scan/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await online(dir, argv);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/byok-online: hint: /);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('prepare --qr into a folder that is not empty is refused before KMS is asked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'byok-qr-exists-'));
    const [arn] = await createKeys(dir, ['SYMMETRIC_DEFAULT']);
    await mkdir(join(dir, 'q'));
    await writeFile(join(dir, 'q', 'old.png'), 'an earlier transfer');
    const r = await online(dir, [
      'prepare',
      '--key-id',
      arn!,
      '--out',
      'r.json',
      '--qr',
      'q',
      ...ONLINE_OPS,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: QR folder .*q is not empty/);
    expect(existsSync(join(dir, 'r.json'))).toBe(false);
    const last = (await auditLog(join(dir, 'byok-online-audit.jsonl'))).at(-1)!;
    expect(last).toMatchObject({ command: 'prepare', outcome: 'error', kmsRequestIds: [] });
    expect(await keyState(arn!)).toBe('PendingImport');
  });
});
