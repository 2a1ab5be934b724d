import { REQUEST_LABEL, WRAPPED_LABEL } from '../audit-label.js';
import type { LoggedEntry } from '../verify-chain.js';
import { predecessorHash, sameCheckCode, writerOf } from './logged-entries.js';
import { where, type Report } from './report.js';
import type { CeremonyRun } from './transcript-types.js';

/** The wrap that wrote an import's bundle: the entry right after the offline head it names. */
function wrapOfImport(
  i: LoggedEntry,
  wraps: readonly LoggedEntry[],
  offline: readonly LoggedEntry[],
): LoggedEntry | undefined {
  const wrapped = i.entry.inputs[WRAPPED_LABEL];
  const writers = wraps.filter(
    (x) => wrapped !== undefined && x.entry.outputs[WRAPPED_LABEL] === wrapped,
  );
  return writers.find((x) => predecessorHash(offline, x) === i.entry.peerLogHead) ?? writers[0];
}

/**
 * Each key imported into was wrapped for by w, with the KCV w recorded: an import that leaves
 * out the KCV its wrap recorded would escape every check that compares KCVs.
 */
function checkImportedKeysWrapped(i: LoggedEntry, w: LoggedEntry, report: Report): void {
  for (const key of i.entry.keys) {
    const wrappedKey = w.entry.keys.find((k) => k.keyArn === key.keyArn);
    if (wrappedKey === undefined) {
      report(
        'error',
        'interlock',
        i,
        `${where(i)} imported into ${key.keyArn}, which offline line ${w.line} did not wrap for`,
      );
    } else if (wrappedKey.kcv !== undefined && key.kcv === undefined) {
      report(
        'error',
        'interlock',
        i,
        `${where(i)} records no KCV for ${key.keyArn}, which offline line ${w.line} wrapped with KCV ${wrappedKey.kcv}`,
      );
    } else if (
      key.kcv !== undefined &&
      wrappedKey.kcv !== undefined &&
      key.kcv !== wrappedKey.kcv
    ) {
      report(
        'error',
        'interlock',
        i,
        `${where(i)}: KCV ${key.kcv} of ${key.keyArn} differs from ${wrappedKey.kcv} at offline line ${w.line}`,
      );
    }
  }
}

/** The import follows the wrap that wrote its bundle and the prepare that wrote its request. */
function checkImportFollows(
  i: LoggedEntry,
  w: LoggedEntry,
  p: LoggedEntry | undefined,
  offline: readonly LoggedEntry[],
  report: Report,
): void {
  if (i.entry.peerLogHead !== predecessorHash(offline, w)) {
    report(
      'error',
      'interlock',
      i,
      `${where(i)} names offline log head ${i.entry.peerLogHead ?? 'null'}, but the bundle was written by the wrap at offline line ${w.line}, after another entry`,
    );
  }
  if (w.entry.inputs[REQUEST_LABEL] !== i.entry.inputs[REQUEST_LABEL])
    report(
      'error',
      'interlock',
      i,
      `${where(i)} and offline line ${w.line} name different requests`,
    );
  if (p !== undefined && p.entry.seq > i.entry.seq)
    report(
      'error',
      'interlock',
      i,
      `${where(i)} comes before the prepare at line ${p.line} that it answers`,
    );
  if (!sameCheckCode(w.entry, i.entry, WRAPPED_LABEL))
    report(
      'error',
      'interlock',
      i,
      `${where(i)} records another wrapped check code than offline line ${w.line}`,
    );
}

/**
 * Each import sent a wrapped bundle that a wrap of the offline log wrote, for the request and
 * keys that wrap read. Returns the runs the imports complete.
 */
export function checkImportsAnswerWraps(
  imports: readonly LoggedEntry[],
  wraps: readonly LoggedEntry[],
  prepares: readonly LoggedEntry[],
  offline: readonly LoggedEntry[],
  report: Report,
): CeremonyRun[] {
  const runs: CeremonyRun[] = [];
  for (const i of imports) {
    const request = i.entry.inputs[REQUEST_LABEL];
    const w = wrapOfImport(i, wraps, offline);
    const p = writerOf(prepares, REQUEST_LABEL, request);
    runs.push({
      prepare: p ?? null,
      wrap: w ?? null,
      import: i,
      requestDigest: request ?? null,
      wrappedDigest: i.entry.inputs[WRAPPED_LABEL] ?? null,
    });
    if (w === undefined) {
      report(
        'error',
        'interlock',
        i,
        `${where(i)} imported a wrapped bundle that no wrap in the offline log wrote`,
      );
      continue;
    }
    checkImportFollows(i, w, p, offline, report);
    checkImportedKeysWrapped(i, w, report);
  }
  return runs;
}
