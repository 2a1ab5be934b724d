import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { OFFLINE_BIN, runChild, runOnline, type CliResult } from '../helpers/run-online.js';
import type { SimEnv } from '../helpers/sim-env.js';

export const ONLINE_OPS = ['--operator', 'ALICE', '--operator', 'BOB'];
export const OFFLINE_OPS = ['--operator', 'CAROL', '--operator', 'DAVE'];

/** One command a ceremony ran: the tool and its argv, global flags aside. */
export interface RanCommand {
  readonly tool: 'byok-online' | 'byok-offline';
  readonly argv: readonly string[];
}

/** Two machines' folders and the three ceremony steps through the real CLIs against the simulator. */
export class Ceremony {
  /** Every command run through this ceremony, in order: what a test says it covers is checked against it. */
  readonly ran: RanCommand[] = [];

  private constructor(
    readonly s: SimEnv,
    readonly onlineDir: string,
    readonly offlineDir: string,
  ) {}

  static async start(s: SimEnv): Promise<Ceremony> {
    return new Ceremony(
      s,
      await mkdtemp(join(tmpdir(), 'byok-life-online-')),
      await mkdtemp(join(tmpdir(), 'byok-life-offline-')),
    );
  }

  online(argv: readonly string[], flags: readonly string[] = this.s.flags): Promise<CliResult> {
    this.ran.push({ tool: 'byok-online', argv });
    return runOnline([...flags, ...argv], { cwd: this.onlineDir, env: this.s.env });
  }

  /** A byok-online command that changes key material, run by the two online operators. */
  operated(argv: readonly string[]): Promise<CliResult> {
    return this.online([...argv, ...ONLINE_OPS]);
  }

  offline(argv: readonly string[]): Promise<CliResult> {
    this.ran.push({ tool: 'byok-offline', argv });
    return runChild(OFFLINE_BIN, argv, { cwd: this.offlineDir, env: this.s.env });
  }

  /**
   * audit verify of both machines' logs, anchored by both heads as the paper record gives them:
   * the verdict and every finding (--json).
   */
  async verifyLogs(): Promise<{
    verdict: string;
    findings: { severity: string; code: string; message: string }[];
  }> {
    const logs = [
      join(this.onlineDir, 'byok-online-audit.jsonl'),
      join(this.offlineDir, 'byok-offline-audit.jsonl'),
    ];
    const heads = await this.online(['audit', 'head', ...logs, '--json']);
    expect(heads.code, heads.stderr).toBe(0);
    const expected = (JSON.parse(heads.stdout) as { logs: { head: string }[] }).logs.flatMap(
      (l) => ['--expect-head', l.head],
    );
    const r = await this.online(['audit', 'verify', ...logs, ...expected, '--json']);
    return JSON.parse(r.stdout) as Awaited<ReturnType<Ceremony['verifyLogs']>>;
  }

  async createKey(extra: readonly string[] = []): Promise<string> {
    const r = await this.online(['create-key', ...extra, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { arn: string }).arn;
  }

  /** A throwaway 32-byte material file on the offline machine (tests only). */
  async materialFile(name: string): Promise<string> {
    await writeFile(join(this.offlineDir, name), randomBytes(32), { mode: 0o600 });
    return name;
  }

  async prepare(
    name: string,
    argv: readonly string[],
  ): Promise<{ checkCode: string; targets: Record<string, unknown>[]; stderr: string }> {
    const r = await this.online(['prepare', ...argv, '--out', name, ...ONLINE_OPS, '--json']);
    expect(r.code, r.stderr).toBe(0);
    await copyFile(join(this.onlineDir, name), join(this.offlineDir, name));
    return {
      ...(JSON.parse(r.stdout) as { checkCode: string; targets: Record<string, unknown>[] }),
      stderr: r.stderr,
    };
  }

  wrapRaw(
    request: string,
    code: string,
    out: string,
    material: readonly string[],
  ): Promise<CliResult> {
    return this.offline([
      'wrap',
      '--request',
      request,
      '--out',
      out,
      ...material,
      ...OFFLINE_OPS,
      '--check-code',
      code,
      '--check-code',
      code,
      '--json',
    ]);
  }

  /** wrap (material flags, or generated with --no-backup); copies the bundle back; returns its code. */
  async wrap(
    request: string,
    code: string,
    out: string,
    material: readonly string[] = ['--no-backup'],
  ): Promise<string> {
    const r = await this.wrapRaw(request, code, out, material);
    expect(r.code, r.stderr).toBe(0);
    await copyFile(join(this.offlineDir, out), join(this.onlineDir, out));
    return (JSON.parse(r.stdout) as { checkCode: string }).checkCode;
  }

  importRaw(
    request: string,
    wrapped: string,
    code: string,
    extra: readonly string[] = [],
  ): Promise<CliResult> {
    return this.online([
      'import',
      '--request',
      request,
      '--wrapped',
      wrapped,
      ...ONLINE_OPS,
      '--check-code',
      code,
      '--check-code',
      code,
      ...extra,
      '--json',
    ]);
  }

  async import<T = Record<string, unknown>>(
    request: string,
    wrapped: string,
    code: string,
    extra: readonly string[] = [],
  ): Promise<T> {
    const r = await this.importRaw(request, wrapped, code, extra);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  }
}
