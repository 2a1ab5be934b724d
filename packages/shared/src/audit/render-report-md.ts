import { formatKmsUsed, NON_DEFAULT_ENDPOINT, type CeremonyReport } from './report-model.js';

function cell(text: string | null): string {
  return (text ?? '–').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(head: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** The same record as Markdown, for a repository or a ticket. */
export function renderReportMarkdown(r: CeremonyReport): string {
  const steps = r.steps.map((s) => [
    `${s.tool} ${s.file}:${s.line}`,
    s.time,
    `${s.command} (${s.outcome})`,
    s.operators.join(', ') || '–',
    [
      ...s.checkCodes.map(([k, v]) => `check code ${k}: **${v}**`),
      ...s.digests.map(([k, v]) => `${k}: \`${v}\``),
      ...s.signatures.map(([op, fp]) => `signed by ${op} (key \`${fp}\`)`),
      ...(s.peerLogHead === null ? [] : [`peer head \`${s.peerLogHead}\``]),
      ...(s.kms === null
        ? []
        : [s.kms.endpoint === null ? formatKmsUsed(s.kms) : `**${formatKmsUsed(s.kms)}**`]),
      ...s.exceptions.map((x) => `exception: ${x}`),
      ...(s.error === null ? [] : [`failed: ${s.error}`]),
    ].join('<br>'),
  ]);
  const people = [
    ...r.operators.map((o) => ['Operator', o]),
    ['Witness', r.witness ?? ''],
    ['Ceremony administrator', ''],
  ];
  return [
    `# ${r.title}`,
    '',
    `From ${r.firstTime ?? '–'} to ${r.lastTime ?? '–'}. Report made ${r.generatedAt} by ${r.generatedBy}. Tools: ${r.tools.join(', ')}.`,
    '',
    r.verified
      ? '> **VERIFIED**: the audit logs are intact, interlocked and complete.'
      : '> **VERIFICATION FAILED**: do not accept this ceremony until every problem below is explained.',
    '',
    ...(r.nonDefaultEndpoints.length === 0
      ? []
      : [
          `> **${NON_DEFAULT_ENDPOINT}**: ${r.nonDefaultEndpoints.map((u) => `\`${u}\``).join(', ')}. The online steps talked to this endpoint, not to AWS KMS's own: a rehearsal server proves nothing about keys in AWS.`,
          '',
        ]),
    ...(r.problems.length === 0
      ? []
      : ['## Problems found', '', ...r.problems.map((p) => `- ${p}`), '']),
    '## Audit logs',
    '',
    table(
      ['file', 'machine', 'lines', 'head (SHA-256)'],
      r.logs.map((l) => [l.file, l.tool, String(l.lines), `\`${l.head}\``]),
    ),
    '',
    '## Keys',
    '',
    table(
      ['key ARN', 'spec / group', 'wrapping key', 'KCV', 'KeyMaterialId', 'final state', 'proof'],
      r.keys.map((k) => [
        `\`${k.keyArn}\``,
        `${k.keySpec ?? '–'} / ${k.materialGroup ?? '–'}`,
        k.wrappingKeyFingerprint,
        k.kcv === null ? null : `**${k.kcv}**`,
        k.keyMaterialId,
        k.keyState,
        k.proof,
      ]),
    ),
    '',
    '## Steps',
    '',
    table(['machine · line', 'time', 'command', 'operators', 'values compared'], steps),
    '',
    '## Exceptions',
    '',
    ...(r.exceptions.length === 0 ? ['None recorded.'] : r.exceptions.map((x) => `- ${x}`)),
    '',
    '## Signatures',
    '',
    table(
      ['role', 'name', 'signature', 'date'],
      people.map(([role, name]) => [role!, name!, ' ', ' ']),
    ),
    '',
  ].join('\n');
}
