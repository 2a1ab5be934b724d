import type { AuditEntry } from '../record.js';

export const OFFLINE_TOOL = 'byok-offline';
export const ONLINE_TOOL = 'byok-online';
/** Commands that write a wrapped-key bundle: recover wraps recovered material exactly as wrap does. */
export const WRAPPING_COMMANDS: readonly string[] = ['wrap', 'recover'];
/** Commands that use a bundle and so must be confirmed by two operators. */
export const TWO_PERSON_COMMANDS: readonly string[] = [...WRAPPING_COMMANDS, 'import'];
/** Commands that change a key's material in KMS without a bundle: two operators all the same. */
export const MATERIAL_CHANGE_COMMANDS: readonly string[] = ['rotate', 'delete-material'];
export const SINGLE_OPERATOR_EXCEPTION = 'single-operator';

/** A successful wrap or import: what the signature and anchor rules are strictest about. */
export function isTwoPersonSuccess(entry: AuditEntry): boolean {
  return TWO_PERSON_COMMANDS.includes(entry.command) && entry.outcome === 'ok';
}
