import {
  formatKmsUsed,
  NON_DEFAULT_ENDPOINT,
  type CeremonyReport,
  type ReportStep,
} from './report-model.js';
import { CUSTODY_ITEMS, GENERIC_BACKUP_ITEMS } from './report-backups.js';

/**
 * Text copied from a log, made inert: the characters of emphasis, code, links, images and table
 * cells backslash-escaped, `<`, `>` and `&` as entities (no HTML gets through a renderer), line
 * breaks as spaces (no copied text starts a line, so no list, heading or rule can be made).
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()!|~]/g, (c) => `\\${c}`);
}

/** A digest, code, fingerprint, ARN or URL as the screens show it; escaped text if it could break out. */
function code(text: string): string {
  return /^[^`|\r\n]+$/.test(text) ? `\`${text}\`` : markdownText(text);
}

/** Table cells are built from escaped text and code spans only. */
function cell(text: string | null): string {
  return text ?? '–';
}

function table(head: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** One step's row: where and when, the command, its operators and every value compared. */
function stepRow(s: ReportStep): string[] {
  const t = markdownText;
  return [
    t(`${s.tool} ${s.file}:${s.line}`),
    t(s.time),
    t(`${s.command} (${s.outcome})`),
    t(s.operators.join(', ') || '–'),
    [
      ...s.checkCodes.map(([k, v]) => `check code ${t(k)}: **${code(v)}**`),
      ...s.digests.map(([k, v]) => `${t(k)}: ${code(v)}`),
      ...s.signatures.map(([op, fp]) => `signed by ${t(op)} (key ${code(fp)})`),
      ...(s.peerLogHead === null ? [] : [`peer head ${code(s.peerLogHead)}`]),
      ...(s.kms === null
        ? []
        : [s.kms.endpoint === null ? t(formatKmsUsed(s.kms)) : `**${t(formatKmsUsed(s.kms))}**`]),
      ...(s.kmsRequestIds.length === 0
        ? []
        : [`KMS request ids: ${t(s.kmsRequestIds.join(', '))}`]),
      ...s.exceptions.map((x) => `exception: ${t(x)}`),
      ...(s.error === null ? [] : [`failed: ${t(s.error)}`]),
      `entry hash ${code(s.hash)}`,
    ].join('<br>'),
  ];
}

function verdictLine(verdict: CeremonyReport['verdict']): string {
  return verdict === 'VERIFIED'
    ? '> **VERIFIED**: the audit logs are intact, interlocked and complete, and every wrap and import is covered by an anchor.'
    : verdict === 'UNANCHORED'
      ? "> **UNANCHORED**: nothing the verifier trusts covers every wrap and import. The logs agree with each other, which proves nothing by itself: verify again with the heads from the paper record (--expect-head, --paper-record) or the operators' pinned keys (--operator-pubkey)."
      : '> **VERIFICATION FAILED**: do not accept this ceremony until every problem below is explained.';
}

/** Title, ceremony, time span, verdict, a rehearsal's warning and the problems found. */
function summaryLines(r: CeremonyReport): string[] {
  const t = markdownText;
  return [
    `# ${t(r.title)}`,
    '',
    `Ceremony ${r.ceremonyId === null ? 'none' : code(r.ceremonyId)} (check code of the import request), record digest ${code(r.recordDigest)}.`,
    '',
    ...r.plans.flatMap((p) => [
      `Plan ${t(p.name)}: plan code ${code(p.code)} (compare with the signed plan sheet; digest ${code(p.digest)}).`,
      '',
    ]),
    t(
      `From ${r.firstTime ?? '–'} to ${r.lastTime ?? '–'}. Report made ${r.generatedAt} by ${r.generatedBy}. Tools: ${r.tools.join(', ')}.`,
    ),
    '',
    verdictLine(r.verdict),
    '',
    ...(r.nonDefaultEndpoints.length === 0
      ? []
      : [
          `> **${NON_DEFAULT_ENDPOINT}**: ${r.nonDefaultEndpoints.map((u) => code(u)).join(', ')}. The online steps talked to this endpoint, not to AWS KMS's own: a rehearsal server proves nothing about keys in AWS.`,
          '',
        ]),
    ...(r.problems.length === 0
      ? []
      : ['## Problems found', '', ...r.problems.map((p) => `- ${t(p)}`), '']),
  ];
}

function logsTable(r: CeremonyReport): string {
  const t = markdownText;
  return table(
    ['file', 'machine', 'lines', 'head code', 'head (SHA-256)'],
    r.logs.map((l) => [
      t(l.file),
      t(l.tool),
      String(l.lines),
      l.headCode === null ? null : `**${code(l.headCode)}**`,
      code(l.head),
    ]),
  );
}

function keysTable(r: CeremonyReport): string {
  const t = markdownText;
  return table(
    [
      'alias',
      'key ARN',
      'spec / group',
      'wrapping key',
      'KCV',
      'KeyMaterialId',
      'final state',
      'proof',
    ],
    r.keys.map((k) => [
      k.alias === null ? null : `**${code(k.alias)}**`,
      code(k.keyArn),
      t(`${k.keySpec ?? '–'} / ${k.materialGroup ?? '–'}`),
      k.wrappingKeyFingerprint === null ? null : code(k.wrappingKeyFingerprint),
      k.kcv === null ? null : `**${code(k.kcv)}**`,
      k.keyMaterialId === null ? null : code(k.keyMaterialId),
      k.keyState === null ? null : t(k.keyState),
      k.proof === null ? null : t(k.proof),
    ]),
  );
}

/** Each backup a step made or took material from: its scheme, split-id and what it holds. */
function backupLines(r: CeremonyReport): string[] {
  const t = markdownText;
  if (r.backups.length === 0) return ['None recorded.', ''];
  return r.backups
    .flatMap((b) => [
      `- ${b.made ? 'Made by' : 'Material from a backup, in'} step ${b.step} (${t(b.command)}): **${t(b.scheme)}**${b.splitId === null ? '' : `, split-id ${code(b.splitId)}`}${b.setDigest === null ? '' : `, material set digest ${code(b.setDigest)}`}; holds ${b.covers.map(t).join(', ') || '–'}.`,
    ])
    .concat(['']);
}

/** One row per share and age file made (else the generic backup media), then the other media. */
function custodyItems(r: CeremonyReport): [string, string | null][] {
  const t = markdownText;
  const made = r.backups.flatMap((b) =>
    b.items.map(
      (i) =>
        [
          `${t(i.item)}${i.splitId === null ? '' : ` split-id ${code(i.splitId)}`}`,
          i.sha256 === null ? null : code(i.sha256),
        ] as [string, string | null],
    ),
  );
  return [
    ...(made.length > 0
      ? made
      : GENERIC_BACKUP_ITEMS.map((item) => [item, ' '] as [string, string | null])),
    ...CUSTODY_ITEMS.map((item) => [item, ' '] as [string, string | null]),
  ];
}

/** The parts people fill in by hand: bag serials and custody, then their signatures. */
function paperLines(r: CeremonyReport): string[] {
  const people = [
    ...r.operators.map((o) => ['Operator', markdownText(o)]),
    ['Witness', markdownText(r.witness ?? '')],
    ['Ceremony administrator', ''],
  ];
  return [
    '## Tamper-evident bags and custody',
    '',
    table(
      ['item', 'SHA-256', 'bag serial', 'sealed by', 'custodian, where', 'custody signature'],
      custodyItems(r).map(([item, digest]) => [item, digest, ' ', ' ', ' ', ' ']),
    ),
    '',
    '## Signatures',
    '',
    'By signing, each person states that they saw the values above compared aloud, that the bag serials and custody above are as written, and that this record matches what happened.',
    '',
    table(
      ['role', 'name', 'signature', 'date'],
      people.map(([role, name]) => [role!, name!, ' ', ' ']),
    ),
    '',
  ];
}

/** The same record as Markdown, for a repository or a ticket. Every copied text is escaped. */
export function renderReportMarkdown(r: CeremonyReport): string {
  const t = markdownText;
  return [
    ...summaryLines(r),
    '## Audit logs',
    '',
    ...(r.anchors.length === 0 ? [] : [`Anchors: ${t(r.anchors.join('; '))}.`, '']),
    logsTable(r),
    '',
    '## Keys',
    '',
    keysTable(r),
    '',
    '## Backups',
    '',
    ...backupLines(r),
    '## Steps',
    '',
    table(
      ['machine · line', 'time', 'command', 'operators', 'values compared'],
      r.steps.map(stepRow),
    ),
    '',
    '## Exceptions',
    '',
    ...(r.exceptions.length === 0 ? ['None recorded.'] : r.exceptions.map((x) => `- ${t(x)}`)),
    '',
    ...paperLines(r),
  ].join('\n');
}
