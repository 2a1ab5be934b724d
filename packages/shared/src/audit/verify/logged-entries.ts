import type { AuditEntry } from '../record.js';
import type { LoggedEntry } from '../verify-chain.js';
import { WRAPPING_COMMANDS } from './ceremony-commands.js';

/** The successful entries of one command, in log order. */
export function okEntries(log: readonly LoggedEntry[], command: string): LoggedEntry[] {
  return log.filter((e) => e.entry.command === command && e.entry.outcome === 'ok');
}

/** The successful wraps and recovers: each wrote a wrapped-key bundle for a request. */
export function okWraps(log: readonly LoggedEntry[]): LoggedEntry[] {
  return log.filter((e) => WRAPPING_COMMANDS.includes(e.entry.command) && e.entry.outcome === 'ok');
}

/** The hash of the entry before e (null for the first), or undefined if that entry is missing. */
export function predecessorHash(
  log: readonly LoggedEntry[],
  e: LoggedEntry,
): string | null | undefined {
  if (e.entry.seq === 0) return null;
  return log.find((x) => x.entry.seq === e.entry.seq - 1)?.hash;
}

/** The entry among writers whose output under label has this digest (none for no digest). */
export function writerOf(
  writers: readonly LoggedEntry[],
  label: string,
  digest: string | undefined,
): LoggedEntry | undefined {
  return writers.find((x) => digest !== undefined && x.entry.outputs[label] === digest);
}

/** Two entries agree on a bundle's check code, or one of them records none. */
export function sameCheckCode(a: AuditEntry, b: AuditEntry, label: string): boolean {
  const x = a.checkCodes[label];
  const y = b.checkCodes[label];
  return x === undefined || y === undefined || x === y;
}
