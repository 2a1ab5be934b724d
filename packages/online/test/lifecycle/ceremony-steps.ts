import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  CeremonyDriver,
  OFFLINE_OPERATORS,
  ONLINE_OPERATORS,
} from '../../../../test/ceremony/driver.mjs';
import {
  OFFLINE_BIN,
  ONLINE_BIN,
  runChild,
  runOnline,
  type CliResult,
} from '../helpers/run-online.js';
import type { SimEnv } from '../helpers/sim-env.js';

export const ONLINE_OPS = ONLINE_OPERATORS;
export const OFFLINE_OPS = OFFLINE_OPERATORS;

/** One command a ceremony ran: the tool and its argv, global flags aside. */
export interface RanCommand {
  readonly tool: 'byok-online' | 'byok-offline';
  readonly argv: readonly string[];
}

/**
 * Two machines' folders and the ceremony's steps (test/ceremony/driver.mjs) through the real
 * CLIs against the simulator: byok-online in-process, or as a child process like byok-offline.
 */
export class Ceremony extends CeremonyDriver {
  /** Every command run through this ceremony, in order: what a test says it covers is checked against it. */
  readonly ran: RanCommand[] = [];

  private constructor(
    readonly s: SimEnv,
    onlineDir: string,
    offlineDir: string,
    private readonly onlineAsChild: boolean,
    /** Extra environment of byok-offline (SOFTHSM2_CONF: the test's own token folder). */
    private readonly offlineEnv: Readonly<Record<string, string>> = {},
  ) {
    super({
      onlineDir,
      offlineDir,
      // online() and offline() below run the commands, each recorded.
      succeeded: (r) => expect(r.code, r.stderr).toBe(0),
    });
  }

  static async start(
    s: SimEnv,
    options: { onlineAsChild?: boolean; offlineEnv?: Readonly<Record<string, string>> } = {},
  ): Promise<Ceremony> {
    return new Ceremony(
      s,
      await mkdtemp(join(tmpdir(), 'byok-life-online-')),
      await mkdtemp(join(tmpdir(), 'byok-life-offline-')),
      options.onlineAsChild ?? false,
      options.offlineEnv,
    );
  }

  override online(
    argv: readonly string[],
    flags: readonly string[] = this.s.flags,
  ): Promise<CliResult> {
    this.ran.push({ tool: 'byok-online', argv });
    const options = { cwd: this.onlineDir, env: this.s.env };
    return this.onlineAsChild
      ? runChild(ONLINE_BIN, [...flags, ...argv], options)
      : runOnline([...flags, ...argv], options);
  }

  /** A byok-online command that changes key material, run by the two online operators. */
  operated(argv: readonly string[]): Promise<CliResult> {
    return this.online([...argv, ...ONLINE_OPS]);
  }

  override offline(argv: readonly string[]): Promise<CliResult> {
    this.ran.push({ tool: 'byok-offline', argv });
    return runChild(OFFLINE_BIN, argv, {
      cwd: this.offlineDir,
      env: { ...this.s.env, ...this.offlineEnv },
    });
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

  /** A throwaway 32-byte material file on the offline machine (tests only). */
  async materialFile(name: string): Promise<string> {
    await writeFile(join(this.offlineDir, name), randomBytes(32), { mode: 0o600 });
    return name;
  }
}
