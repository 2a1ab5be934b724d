import { readFileSync, writeFileSync } from 'node:fs';

// Linux only. Node has no setrlimit, and spawning prlimit(1) would load child_process and with it
// `net` in every command, so RLIMIT_CORE is left to the launcher (`ulimit -c 0`, docs/airgap.md).
const FILTER = '/proc/self/coredump_filter';
const LIMITS = '/proc/self/limits';

/**
 * Excludes every memory mapping from this process's core dumps (coredump_filter 0: no anonymous
 * or file-backed pages, so no heap, no key material), also when the kernel pipes dumps to a
 * collector. Best effort: where /proc is missing nothing changes, and coreDumpState says so.
 */
export function excludeMemoryFromCoreDumps(): void {
  if (process.platform !== 'linux') return;
  try {
    writeFileSync(FILTER, '0');
  } catch {
    // Reported by coreDumpState (self-test, version) rather than failing every command.
  }
}

export interface CoreDumpState {
  /** True when a crash cannot write this process's memory: no mapping dumped, or core size 0. */
  readonly memoryProtected: boolean;
  /** The coredump_filter bits (hex), or undefined where there is none. */
  readonly coredumpFilter: string | undefined;
  /** The soft RLIMIT_CORE (`0`, a size in bytes, or `unlimited`), or undefined where unknown. */
  readonly coreSizeLimit: string | undefined;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function coreDumpState(): CoreDumpState {
  const filter = readOrUndefined(FILTER)?.trim();
  const limit = /^Max core file size\s+(\S+)/m.exec(readOrUndefined(LIMITS) ?? '')?.[1];
  const filtered = filter !== undefined && /^0+$/.test(filter);
  return {
    memoryProtected: filtered || limit === '0',
    coredumpFilter: filter,
    coreSizeLimit: limit,
  };
}

/** One line for self-test and version. */
export function describeCoreDumpState(state: CoreDumpState): string {
  const filter =
    state.coredumpFilter === undefined
      ? 'no coredump_filter on this system'
      : `coredump_filter ${state.coredumpFilter}`;
  const limit =
    state.coreSizeLimit === undefined
      ? 'core size limit unknown'
      : `core size limit ${state.coreSizeLimit}`;
  const verdict = state.memoryProtected
    ? 'a crash writes no memory of this process'
    : 'WARNING: a crash may write this process memory to disk; start it with `ulimit -c 0`';
  return `Core dumps: ${verdict} (${filter}, ${limit})`;
}
