#!/usr/bin/env node
// A complete two-operator rehearsal ceremony against the embedded byok-kms-sim, in a temporary
// folder: the real CLIs, two "machines" (folders), the bundles carried across like a USB stick.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const { startKmsSim, REHEARSAL_CREDENTIALS } = await import(
  join(root, 'packages/kms-sim/dist/index.js')
);
const run = promisify(execFile);

const KEYS = [
  { spec: 'SYMMETRIC_DEFAULT', description: 'rehearsal: data key' },
  { spec: 'HMAC_256', description: 'rehearsal: MAC key' },
  { spec: 'ECC_NIST_P256', description: 'rehearsal: signing key' },
];
const OPERATORS = ['Alice', 'Bob'];

const say = (text = '') => process.stdout.write(`${text}\n`);
const step = (machine, text) => say(`\n[${machine}] ${text}`);

const workdir = await mkdtemp(join(tmpdir(), 'byok-rehearsal-'));
const online = join(workdir, 'online');
const offline = join(workdir, 'offline');
const usb = join(workdir, 'usb');
// The backup media: the Shamir shares of the generated material go here, one bag each in the room.
const backup = join(workdir, 'backup');
await Promise.all([online, offline, usb].map((dir) => mkdir(dir)));
const emptyConfig = join(workdir, 'aws-config');
await writeFile(emptyConfig, '');

const sim = await startKmsSim();
const env = {
  PATH: process.env.PATH,
  HOME: workdir,
  AWS_ACCESS_KEY_ID: REHEARSAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: REHEARSAL_CREDENTIALS.secretAccessKey,
  AWS_CONFIG_FILE: emptyConfig,
  AWS_SHARED_CREDENTIALS_FILE: emptyConfig,
};

async function tool(name, cwd, args) {
  const bin = join(
    root,
    'packages',
    name === 'byok-online' ? 'online' : 'offline',
    'dist/cli/main.js',
  );
  const shown = args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
  say(`  $ ${name} ${shown}`);
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd,
      env,
      maxBuffer: 1 << 24,
    });
    if (stderr.trim() !== '') say(stderr.replace(/^/gm, '    ').trimEnd());
    return JSON.parse(stdout);
  } catch (error) {
    process.stderr.write(error.stderr ?? String(error));
    throw new Error(`rehearsal stopped: ${name} ${args[0]} failed`, { cause: error });
  }
}

const online_ = (args) =>
  tool('byok-online', online, [
    ...args,
    '--endpoint-url',
    sim.url,
    '--region',
    sim.region,
    '--json',
  ]);
const offline_ = (args) => tool('byok-offline', offline, [...args, '--json']);
const operatorFlags = OPERATORS.flatMap((name) => ['--operator', name]);
const confirm = (code) => OPERATORS.flatMap(() => ['--check-code', code]);

try {
  say(`byok-ceremony rehearsal in ${workdir}`);
  say(`byok-kms-sim at ${sim.url} (region ${sim.region}, account ${sim.account})`);

  step('online', 'The ceremony administrator creates three EXTERNAL-origin keys.');
  const keys = [];
  for (const key of KEYS) {
    const created = await online_([
      'create-key',
      '--key-spec',
      key.spec,
      '--description',
      key.description,
      ...operatorFlags,
    ]);
    keys.push({ ...key, arn: created.arn });
    say(`    ${key.spec.padEnd(18)} ${created.arn}`);
  }

  step('online', 'Prepare: import parameters for every key, written to the import request.');
  const prepared = await online_([
    'prepare',
    ...keys.flatMap((k) => ['--key-id', k.arn]),
    '--out',
    'request.json',
    ...operatorFlags,
  ]);
  await copyFile(join(online, 'request.json'), join(usb, 'request.json'));
  await copyFile(join(usb, 'request.json'), join(offline, 'request.json'));
  say(`\n  HAND-OFF 1: request.json goes to the air-gapped machine on removable media.`);
  say(`  The online screen shows the request's check code:   ${prepared.checkCode}`);
  say(`  Alice and Bob each read it aloud and type it on the offline machine.`);

  step(
    'offline',
    'Wrap: check code confirmed by both operators; material generated, split 2-of-3 onto the backup media, wrapped, zeroed.',
  );
  const wrapped = await offline_([
    'wrap',
    '--request',
    'request.json',
    '--out',
    'wrapped.json',
    ...operatorFlags,
    ...confirm(prepared.checkCode),
    '--backup',
    'shamir:2-of-3',
    '--backup-dir',
    backup,
  ]);
  say(`    shares: ${backup}/share-1-of-3.txt … share-3-of-3.txt (and a printable page each)`);
  for (const m of wrapped.materials)
    say(`    ${m.materialGroup}: ${m.keySpec.padEnd(18)} KCV ${m.kcv}`);
  await copyFile(join(offline, 'wrapped.json'), join(usb, 'wrapped.json'));
  await copyFile(join(usb, 'wrapped.json'), join(online, 'wrapped.json'));
  say(`\n  HAND-OFF 2: wrapped.json comes back to the online machine.`);
  say(`  The offline screen shows the wrapped bundle's check code: ${wrapped.checkCode}`);
  say(`  Alice and Bob each read it aloud and type it on the online machine.`);

  step('online', 'Import: check code confirmed; material imported; keys Enabled; material proven.');
  const imported = await online_([
    'import',
    '--request',
    'request.json',
    '--wrapped',
    'wrapped.json',
    ...operatorFlags,
    ...confirm(wrapped.checkCode),
  ]);

  say('\nResult');
  let ok = true;
  for (const key of imported.keys) {
    const spec = keys.find((k) => k.arn === key.keyArn)?.spec ?? '?';
    const proven =
      key.proof === 'kcv-only'
        ? `KCV ${key.kcv}, KeyMaterialId recorded`
        : key.proven
          ? `${key.proof} proof passed`
          : 'PROOF FAILED';
    ok &&= key.keyState === 'Enabled' && (key.proof === 'kcv-only' || key.proven === true);
    say(`  ${spec.padEnd(18)} ${key.keyState.padEnd(8)} ${proven}`);
    say(`  ${''.padEnd(18)} ${key.keyArn}`);
    say(`  ${''.padEnd(18)} KeyMaterialId ${key.keyMaterialId}`);
  }
  say(`\nAudit logs: ${join(online, 'byok-online-audit.jsonl')}`);
  say(`            ${join(offline, 'byok-offline-audit.jsonl')}`);
  if (!ok)
    throw new Error('rehearsal finished, but not every key is Enabled with its material proven');

  // No operator keys in the rehearsal: the heads written on the paper record anchor the logs.
  step('offline', 'Closing: the witness writes the offline log head on the paper record.');
  const offlineHead = await tool('byok-offline', offline, [
    'audit',
    'head',
    'byok-offline-audit.jsonl',
    '--json',
  ]);
  say(`    byok-offline-audit.jsonl   head ${offlineHead.logs[0].head}`);
  say('  The offline audit log goes to the online machine on the stick.');
  await copyFile(join(offline, 'byok-offline-audit.jsonl'), join(usb, 'byok-offline-audit.jsonl'));
  await copyFile(join(usb, 'byok-offline-audit.jsonl'), join(online, 'byok-offline-audit.jsonl'));
  step('online', 'The witness writes the online log head on the paper record.');
  const onlineHead = await tool('byok-online', online, [
    'audit',
    'head',
    'byok-online-audit.jsonl',
    '--json',
  ]);
  say(`    byok-online-audit.jsonl    head ${onlineHead.logs[0].head}`);
  const paperHeads = [offlineHead, onlineHead].flatMap((h) => ['--expect-head', h.logs[0].head]);

  step(
    'online',
    'Verify both logs as one transcript against the heads on the paper record: chains, interlock, two-person rule, completion.',
  );
  const logs = ['byok-online-audit.jsonl', 'byok-offline-audit.jsonl'];
  const verified = await tool('byok-online', online, [
    'audit',
    'verify',
    ...logs,
    ...paperHeads,
    '--json',
  ]);
  for (const log of verified.logs)
    say(`    ${log.file.padEnd(26)} ${log.lineCount} entries, head ${log.head}`);
  for (const f of verified.findings.filter((x) => x.severity !== 'info'))
    say(`    ${f.severity}: ${f.file ?? ''}${f.line === null ? '' : `:${f.line}`} ${f.message}`);
  for (const use of verified.kmsEndpoints)
    say(`    KMS endpoint ${use.endpoint ?? "the SDK's default"} (${use.aws ? 'AWS' : 'not AWS'})`);
  const rehearsal = verified.rehearsal === null ? '' : ` (rehearsal: ${verified.rehearsal})`;
  say(`  Verdict: ${verified.verdict}${rehearsal}`);
  if (!verified.ok) throw new Error('the audit logs did not verify');
  // Against the embedded simulator, verify must never let the record pass for a production one.
  if (verified.rehearsal === null) throw new Error('audit verify did not mark the rehearsal');

  step('online', 'The printable ceremony record, for the operators and the witness to sign.');
  const report = await tool('byok-online', online, [
    'report',
    ...logs.flatMap((log) => ['--log', log]),
    ...paperHeads,
    '--witness',
    'Wendy',
    '--out',
    'ceremony-record.html',
    '--json',
  ]);
  const markdown = await tool('byok-online', online, [
    'report',
    ...logs.flatMap((log) => ['--log', log]),
    ...paperHeads,
    '--witness',
    'Wendy',
    '--out',
    'ceremony-record.md',
    '--json',
  ]);
  if (!report.ok || !markdown.ok)
    throw new Error('the ceremony record reports a failed verification');
  say(`    ${report.out}`);
  say(`    ${markdown.out}`);
  say('\nRehearsal complete: every key is Enabled, its material proven, and both logs verified.');
} catch (error) {
  process.stderr.write(`\n${error.message}\n`);
  process.exitCode = 1;
} finally {
  await sim.close();
}
