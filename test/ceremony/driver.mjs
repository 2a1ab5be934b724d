// The ceremony's choreography, written once for the end-to-end tests and the benchmarks: the
// argv of prepare, wrap and import, the USB stick between the two machines' folders, and the
// simulator started as a child process. Plain ESM, so that the benchmarks load it with node
// after `npm run build` and the tests import it with its types from driver.d.mts.
import { spawn } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The two operators at the online machine and the two at the offline machine. */
export const ONLINE_OPERATORS = Object.freeze(['--operator', 'ALICE', '--operator', 'BOB']);
export const OFFLINE_OPERATORS = Object.freeze(['--operator', 'CAROL', '--operator', 'DAVE']);

/** `--key-id` once per key. */
export const keyIdFlags = (arns) => arns.flatMap((arn) => ['--key-id', arn]);

/** byok-online prepare of the keys `argv` names, writing the request bundle `out`. */
export function prepareArgv(out, argv, operators = ONLINE_OPERATORS) {
  return ['prepare', ...argv, '--out', out, ...operators];
}

/**
 * byok-offline wrap of `request` into `out`, the request's check code typed by both operators;
 * with `code` undefined, no --check-code at all (the operators are asked for it, or refused).
 */
export function wrapArgv(
  request,
  code,
  out,
  material = ['--no-backup'],
  operators = OFFLINE_OPERATORS,
) {
  return [
    'wrap',
    '--request',
    request,
    '--out',
    out,
    ...material,
    ...operators,
    ...(code === undefined ? [] : ['--check-code', code, '--check-code', code]),
  ];
}

/**
 * byok-offline wrap of `request` into `out` by one operator (--single-operator, recorded as an
 * exception), generated material with --no-backup: the shortest wrap the offline tests run.
 */
export function soloWrapArgv(request, code, out = 'wrapped.json') {
  return [
    'wrap',
    '--request',
    request,
    '--out',
    out,
    '--no-backup',
    '--single-operator',
    '--operator',
    'ALICE',
    '--check-code',
    code,
  ];
}

/** byok-online import of `wrapped` against `request`, the wrapped bundle's code typed twice. */
export function importArgv(request, wrapped, code, extra = [], operators = ONLINE_OPERATORS) {
  return [
    'import',
    '--request',
    request,
    '--wrapped',
    wrapped,
    ...operators,
    '--check-code',
    code,
    '--check-code',
    code,
    ...extra,
  ];
}

/**
 * Raw mode, the seed procedure's files: prepare of one key with the seed's step 4 parameters
 * (RSAES_OAEP_SHA_256, RSA_2048), its PublicKey.bin and ImportToken.bin under `rawDir`/KEY-ID.
 */
export function rawPrepareArgv(keyId, { out = 'request.json', rawDir = 'raw' } = {}) {
  return [
    'prepare',
    '--key-id',
    keyId,
    '--wrapping-algorithm',
    'RSAES_OAEP_SHA_256',
    '--wrapping-key-spec',
    'RSA_2048',
    '--out',
    out,
    '--raw-dir',
    rawDir,
  ];
}

/** The flags of byok-offline wrap (or wrap raw) in raw mode: the seed's file names by default. */
export function rawWrapFlags({
  publicKey = 'PublicKey.bin',
  material = 'PlaintextKeyMaterial.bin',
  out = 'EncryptedKeyMaterial.bin',
} = {}) {
  return [
    '--public-key',
    publicKey,
    '--wrapping-algorithm',
    'RSAES_OAEP_SHA_256',
    '--material-file',
    material,
    '--out',
    out,
  ];
}

/** The flags of byok-online import (or import raw) of one key's raw files from prepare --raw-dir. */
export function rawImportFlags(
  keyId,
  { encrypted = 'EncryptedKeyMaterial.bin', rawDir = 'raw' } = {},
) {
  return [
    '--key-id',
    keyId,
    '--import-token',
    join(rawDir, keyId, 'ImportToken.bin'),
    '--encrypted-key-material',
    encrypted,
  ];
}

/** The seed's step 7: openssl wraps `material` for the DER `publicKey` into `out`. */
export function opensslWrapArgv(material, out, publicKey) {
  return [
    'pkeyutl',
    '-in',
    material,
    '-out',
    out,
    '-inkey',
    publicKey,
    '-keyform',
    'DER',
    '-pubin',
    '-encrypt',
    '-pkeyopt',
    'rsa_padding_mode:oaep',
    '-pkeyopt',
    'rsa_oaep_md:sha256',
  ];
}

/** Carries files between the machines' folders, as the USB stick does. */
export async function carry(from, to, names) {
  if (from === to) return;
  for (const name of names) await copyFile(join(from, name), join(to, name));
}

/**
 * byok-kms-sim (`bin`) as a child process on a free port with `flags`; resolves once it says
 * where it listens. Its own output goes to this process's stderr.
 */
export function startSimProcess(bin, flags = []) {
  const child = spawn(process.execPath, [bin, '--port', '0', ...flags], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((done, fail) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(out);
      if (found !== null) done({ url: found[1], child, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => fail(new Error(`byok-kms-sim exited with ${code}`)));
  });
}

/** What a command must have done: exited 0, or the ceremony stops there with its stderr. */
export function mustSucceed(result, what) {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}:\n${result.stderr}`);
}

/**
 * The ceremony's steps between an online folder and an offline one: each step runs its command
 * through the runner given for that machine, checks it succeeded, and carries its bundle across.
 */
export class CeremonyDriver {
  constructor({ onlineDir, offlineDir, online, offline, succeeded = mustSucceed }) {
    this.onlineDir = onlineDir;
    this.offlineDir = offlineDir;
    this.runOnline = online;
    this.runOffline = offline;
    this.succeeded = succeeded;
  }

  online(argv) {
    return this.runOnline(argv);
  }

  offline(argv) {
    return this.runOffline(argv);
  }

  async createKey(extra = []) {
    const r = await this.online(['create-key', ...extra, '--json']);
    this.succeeded(r, 'create-key');
    return JSON.parse(r.stdout).arn;
  }

  /** prepare (JSON out); carries the request to the offline folder. */
  async prepare(name, argv) {
    const r = await this.online([...prepareArgv(name, argv), '--json']);
    this.succeeded(r, 'prepare');
    await carry(this.onlineDir, this.offlineDir, [name]);
    return { ...JSON.parse(r.stdout), stderr: r.stderr };
  }

  wrapRaw(request, code, out, material) {
    return this.offline([...wrapArgv(request, code, out, material), '--json']);
  }

  /** wrap (material flags, or generated with --no-backup); carries the bundle back; its code. */
  async wrap(request, code, out, material = ['--no-backup']) {
    const r = await this.wrapRaw(request, code, out, material);
    this.succeeded(r, 'wrap');
    await carry(this.offlineDir, this.onlineDir, [out]);
    return JSON.parse(r.stdout).checkCode;
  }

  importRaw(request, wrapped, code, extra = []) {
    return this.online([...importArgv(request, wrapped, code, extra), '--json']);
  }

  async import(request, wrapped, code, extra = []) {
    const r = await this.importRaw(request, wrapped, code, extra);
    this.succeeded(r, 'import');
    return JSON.parse(r.stdout);
  }
}
