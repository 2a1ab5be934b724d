import { readFileSync } from 'node:fs';

/** The journal's header and `imported` lines, read loosely: only to tell a finished import. */
function linesOf(text: string): Record<string, unknown>[] {
  return text.split('\n').flatMap((line): Record<string, unknown>[] => {
    try {
      const value: unknown = JSON.parse(line);
      return typeof value === 'object' && value !== null ? [{ ...value }] : [];
    } catch {
      return [];
    }
  });
}

/**
 * The keys of a finished import (every target of its request imported, by its journal), in
 * target order; undefined when the journal is missing, unreadable or not finished. Only words
 * the answer to a run of the same import again: a journal that is not finished goes to
 * `--resume`, which parses it strictly against the request.
 */
export function finishedImportKeys(journalPath: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(journalPath, 'utf8');
  } catch {
    return undefined;
  }
  const [header, ...events] = linesOf(text);
  const targets = header?.['targets'];
  if (typeof targets !== 'number' || !Number.isInteger(targets) || targets < 1) return undefined;
  const imported = new Map<number, string>();
  for (const e of events)
    if (
      e['event'] === 'imported' &&
      typeof e['target'] === 'number' &&
      typeof e['keyArn'] === 'string'
    )
      imported.set(e['target'], e['keyArn']);
  if (imported.size !== targets) return undefined;
  return [...imported].sort(([a], [b]) => a - b).map(([, arn]) => arn);
}
