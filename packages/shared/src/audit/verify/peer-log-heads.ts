import type { LoggedEntry } from '../verify-chain.js';
import { OFFLINE_TOOL, ONLINE_TOOL } from './ceremony-commands.js';
import { where, type Report } from './report.js';

/** Every peer log head a bundle carried must be a line of the other machine's log. */
export function checkPeerLogHeadsExist(
  offline: readonly LoggedEntry[],
  online: readonly LoggedEntry[],
  report: Report,
): void {
  const hashes = new Map<string, Set<string>>([
    [OFFLINE_TOOL, new Set(offline.map((e) => e.hash))],
    [ONLINE_TOOL, new Set(online.map((e) => e.hash))],
  ]);
  for (const e of [...offline, ...online]) {
    const head = e.entry.peerLogHead;
    const other = e.entry.tool === OFFLINE_TOOL ? ONLINE_TOOL : OFFLINE_TOOL;
    if (head !== null && !hashes.get(other)!.has(head)) {
      report(
        'error',
        'interlock',
        e,
        `${where(e)} read a bundle written after ${other} log entry ${head.slice(0, 16)}…, which is not in the ${other} log: that log was edited or truncated`,
      );
    }
  }
}
