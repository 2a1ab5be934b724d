import { REQUEST_LABEL, WRAPPED_LABEL } from '../audit-label.js';
import type { LoggedEntry } from '../verify-chain.js';
import { okWraps } from './logged-entries.js';
import type { CeremonyRun } from './transcript-types.js';

/** With the offline log alone, each successful wrap is a run that no import is known to end. */
export function wrapOnlyRuns(offline: readonly LoggedEntry[]): CeremonyRun[] {
  return okWraps(offline).map((w) => ({
    prepare: null,
    wrap: w,
    import: null,
    requestDigest: w.entry.inputs[REQUEST_LABEL] ?? null,
    wrappedDigest: w.entry.outputs[WRAPPED_LABEL] ?? null,
  }));
}
