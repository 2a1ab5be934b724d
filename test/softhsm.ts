import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's SoftHSM2 module (package softhsm2, installed by .ci/run). */
export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/** A SoftHSM token of the test's own: its config and token folder under a new temp folder. */
export interface SoftHsmToken {
  readonly dir: string;
  readonly label: string;
  /** The serial SoftHSM gave the token at initialisation (CK_TOKEN_INFO.serialNumber). */
  readonly serial: string;
  readonly pin: string;
  /** SOFTHSM2_CONF for every process that opens the token. */
  readonly env: Readonly<Record<string, string>>;
  /** The PIN file (mode 0600) the URI's pin-source names. */
  readonly pinFile: string;
  /** pkcs11:token=…?module-path=…&pin-source=file:… */
  readonly uri: string;
  /** OpenSC's pkcs11-tool on this token, logged in: the independent peer. */
  readonly pkcs11Tool: (args: readonly string[]) => Promise<{ stdout: string; stderr: string }>;
}

/** Initialises a fresh token (softhsm2-util --init-token) in its own folder. */
export async function softHsmToken(label = 'byok-test'): Promise<SoftHsmToken> {
  const dir = await mkdtemp(join(tmpdir(), 'byok-softhsm-'));
  await mkdir(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  await writeFile(
    conf,
    `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
  );
  const env = { SOFTHSM2_CONF: conf };
  // Not digits alone: the tests search logs for the PIN, and a log's hex (digests, object ids)
  // holds about a thousand six-digit windows, one of which would match '246813' once in 17,000.
  const pin = 'pin-246813-test';
  await run(
    'softhsm2-util',
    ['--init-token', '--free', '--label', label, '--so-pin', '975310', '--pin', pin],
    { env: { ...process.env, ...env } },
  );
  const slots = await run('softhsm2-util', ['--show-slots'], { env: { ...process.env, ...env } });
  const serial = /Serial number:\s+(\S+)\s+Initialized:\s+yes/.exec(slots.stdout)?.[1];
  if (serial === undefined) throw new Error(`no initialised token in:\n${slots.stdout}`);
  const pinFile = join(dir, 'pin.txt');
  await writeFile(pinFile, `${pin}\n`, { mode: 0o600 });
  return {
    dir,
    label,
    serial,
    pin,
    env,
    pinFile,
    uri: `pkcs11:token=${label}?module-path=${SOFTHSM_MODULE}&pin-source=file:${pinFile}`,
    pkcs11Tool: (args) =>
      run(
        'pkcs11-tool',
        ['--module', SOFTHSM_MODULE, '--token-label', label, '--login', '--pin', pin, ...args],
        { env: { ...process.env, ...env }, encoding: 'buffer' },
      ).then((r) => ({ stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString() })),
  };
}
