import type { LoggedEntry } from '../verify-chain.js';

/** What vouches for one entry: an anchor on it, or an anchored entry that names it. */
export interface Coverage {
  /** The anchor the protection starts from, e.g. `the paper-record head of online.jsonl`. */
  readonly anchor: string;
}

export interface AnchorLog {
  readonly tool: string;
  readonly entries: readonly LoggedEntry[];
}

export interface AnchorRoot {
  readonly entry: LoggedEntry;
  readonly anchor: string;
}

/**
 * Which entries a trusted anchor covers. An anchored entry covers every earlier entry its `prev`
 * links reach, and the entry of the other log its `peerLogHead` names (and that one's chain); a
 * claim by an entry no anchor covers covers nothing, since whoever forged it chose its hashes.
 */
export function anchorCoverage(
  logs: readonly AnchorLog[],
  roots: readonly AnchorRoot[],
): Map<LoggedEntry, Coverage> {
  const byHash = new Map<string, Map<string, LoggedEntry>>();
  for (const log of logs) {
    const hashes = byHash.get(log.tool) ?? new Map<string, LoggedEntry>();
    for (const e of log.entries) hashes.set(e.hash, e);
    byHash.set(log.tool, hashes);
  }
  const covered = new Map<LoggedEntry, Coverage>();
  // Roots in the order given, so an entry is credited to the first anchor that reaches it.
  for (const root of roots) {
    const work: LoggedEntry[] = [root.entry];
    for (let entry = work.pop(); entry !== undefined; entry = work.pop()) {
      if (covered.has(entry)) continue;
      covered.set(entry, { anchor: root.anchor });
      const own = byHash.get(entry.entry.tool);
      const before = entry.entry.prev === null ? undefined : own?.get(entry.entry.prev);
      if (before !== undefined && before.entry.seq === entry.entry.seq - 1) work.push(before);
      const peer = entry.entry.peerLogHead;
      if (peer === null) continue;
      for (const [tool, hashes] of byHash) {
        const named = tool === entry.entry.tool ? undefined : hashes.get(peer);
        if (named !== undefined) work.push(named);
      }
    }
  }
  return covered;
}
