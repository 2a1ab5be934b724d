import { RAW_IMPORT_TOKEN_LABEL } from '../raw-labels.js';
import type { LoggedEntry } from '../verify-chain.js';
import { okRaw, rawParameterOf } from './raw-entries.js';
import { where, type Report } from './report.js';

/**
 * A raw ceremony is done when every key of the prepare --raw-dir that the last import raw
 * answers holds material and is Enabled. Raw mode proves nothing more (its entries record the
 * raw-mode exception), so no proof is required.
 */
export function checkRawCompletion(
  online: readonly LoggedEntry[],
  last: LoggedEntry,
  report: Report,
): void {
  const prepares = online.filter((e) => e.entry.command === 'prepare' && e.entry.outcome === 'ok');
  const token = rawParameterOf(prepares, 'ImportToken', last.entry.inputs[RAW_IMPORT_TOKEN_LABEL]);
  if (token === undefined) {
    report('error', 'incomplete', last, `${where(last)} answers no prepare --raw-dir in this log`);
    return;
  }
  const answering = okRaw(online, 'import').filter(
    (i) =>
      rawParameterOf(prepares, 'ImportToken', i.entry.inputs[RAW_IMPORT_TOKEN_LABEL])?.prepare ===
      token.prepare,
  );
  for (const { keyArn } of token.prepare.entry.keys) {
    if (keyArn === null) continue;
    const key = answering
      .flatMap((i) => i.entry.keys)
      .filter((k) => k.keyArn === keyArn)
      .at(-1);
    if (key === undefined)
      report(
        'error',
        'incomplete',
        last,
        `no import raw put material into ${keyArn}, which the prepare at line ${token.prepare.line} names`,
      );
    else if (key.keyState !== 'Enabled')
      report(
        'error',
        'incomplete',
        last,
        `${keyArn} ended in state ${key.keyState ?? 'unknown'} after import raw, not Enabled`,
      );
  }
}
