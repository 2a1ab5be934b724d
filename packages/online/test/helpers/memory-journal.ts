import {
  parseImportJournal,
  type JournalLine,
  type OpenJournalFile,
} from '../../src/ops/import-journal.js';

/** An import journal kept in memory with the file's rules: exclusive start, strict resume. */
export function memoryJournal(): { readonly lines: JournalLine[]; readonly open: OpenJournalFile } {
  const lines: JournalLine[] = [];
  const text = () => lines.map((l) => `${JSON.stringify(l)}\n`).join('');
  const open: OpenJournalFile = ({ resume, request, digests }) => {
    if (resume === (lines.length === 0))
      return Promise.reject(new Error(resume ? 'no journal to resume' : 'journal exists'));
    const resumedBytes = resume ? new TextEncoder().encode(text()) : undefined;
    const earlier = resume
      ? parseImportJournal(text(), '/m/request.json.journal.jsonl', request, digests)
      : { keys: new Map(), resumes: 0 };
    const time = new Date(0).toISOString();
    if (resume) lines.push({ event: 'resumed', time });
    else
      lines.push({
        format: 'byok-import-journal/2',
        request: digests.request,
        wrapped: digests.wrapped,
        targets: request.targets.length,
        time,
      });
    return Promise.resolve({
      path: '/m/request.json.journal.jsonl',
      earlier,
      resumedBytes,
      append: (line) => {
        lines.push(line);
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    });
  };
  return { lines, open };
}
