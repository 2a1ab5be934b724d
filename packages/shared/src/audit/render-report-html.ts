import {
  formatKmsUsed,
  NON_DEFAULT_ENDPOINT,
  type CeremonyReport,
  type ReportStep,
} from './report-model.js';

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
body{font:11pt/1.4 "DejaVu Sans",Arial,sans-serif;color:#111;margin:2em auto;max-width:60em;padding:0 1em}
h1{font-size:18pt;margin:0 0 .2em}h2{font-size:13pt;border-bottom:1px solid #999;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #999;padding:.25em .4em;text-align:left;vertical-align:top}
th{background:#eee}code,.mono{font-family:"DejaVu Sans Mono",monospace;font-size:9.5pt;word-break:break-all}
.verdict{font-size:16pt;font-weight:bold;padding:.6em;border:3px solid}.ok{color:#0a5c0a;border-color:#0a5c0a;background:#eaf7ea}
.failed{color:#8b0000;border-color:#8b0000;background:#fbeaea}.check{font-size:13pt;letter-spacing:.08em;font-weight:bold}
.endpoint{color:#8b0000}.sign td{height:2.6em}.tick{width:3em}ul{margin:.3em 0}
@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}tr,.verdict,.sign{break-inside:avoid}a{color:inherit;text-decoration:none}}
`;

function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  className = '',
): string {
  const cls = className === '' ? '' : ` class="${className}"`;
  return `<table${cls}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function mono(text: string | null): string {
  return text === null ? '–' : `<span class="mono">${esc(text)}</span>`;
}

function stepValues(step: ReportStep): string {
  const items = [
    ...step.checkCodes.map(
      ([k, v]) => `check code ${esc(k)}: <span class="check">${esc(v)}</span>`,
    ),
    ...step.digests.map(([k, v]) => `${esc(k)}: ${mono(v)}`),
    ...step.signatures.map(([op, fp]) => `signed by ${esc(op)}, key ${mono(fp)}`),
    ...(step.peerLogHead === null ? [] : [`other machine's log head: ${mono(step.peerLogHead)}`]),
    ...(step.kms === null
      ? []
      : [
          step.kms.endpoint === null
            ? esc(formatKmsUsed(step.kms))
            : `<strong class="endpoint">${esc(formatKmsUsed(step.kms))}</strong>`,
        ]),
    ...(step.kmsRequestIds.length === 0
      ? []
      : [`KMS request ids: ${mono(step.kmsRequestIds.join(', '))}`]),
    ...step.exceptions.map((x) => `<strong>exception: ${esc(x)}</strong>`),
    ...(step.error === null ? [] : [`<strong>failed: ${esc(step.error)}</strong>`]),
    `entry hash: ${mono(step.hash)}`,
  ];
  return `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

/** A self-contained, printable HTML page: inline CSS, no script, no network resource. */
export function renderReportHtml(r: CeremonyReport): string {
  const verdict = r.verified
    ? `<div class="verdict ok">VERIFIED: the audit logs are intact, interlocked and complete.</div>`
    : `<div class="verdict failed">VERIFICATION FAILED: do not accept this ceremony until every problem below is explained.</div>`;
  const people = [
    ...r.operators.map((o) => ['Operator', esc(o)]),
    ['Witness', esc(r.witness ?? '')],
    ['Ceremony administrator', ''],
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(r.title)}</title><style>${STYLE}</style></head><body>
<h1>${esc(r.title)}</h1>
<p>From ${esc(r.firstTime ?? '–')} to ${esc(r.lastTime ?? '–')}. Report made ${esc(r.generatedAt)} by ${esc(r.generatedBy)}. Tools: ${esc(r.tools.join(', '))}.</p>
${verdict}
${r.nonDefaultEndpoints.length === 0 ? '' : `<div class="verdict failed">${esc(NON_DEFAULT_ENDPOINT)}: ${r.nonDefaultEndpoints.map((u) => `<span class="mono">${esc(u)}</span>`).join(', ')}. The online steps talked to this endpoint, not to AWS KMS's own: a rehearsal server proves nothing about keys in AWS.</div>`}
${r.problems.length === 0 ? '' : `<h2>Problems found</h2><ul>${r.problems.map((p) => `<li class="mono">${esc(p)}</li>`).join('')}</ul>`}
<h2>Audit logs</h2>
<p>Write each head on the paper record; <code>audit verify --expect-head</code> checks it later.</p>
${table(
  ['file', 'machine', 'lines', 'head (SHA-256)'],
  r.logs.map((l) => [esc(l.file), esc(l.tool), String(l.lines), mono(l.head)]),
)}
<h2>Keys</h2>
${table(
  ['key ARN', 'spec / group', 'wrapping key', 'KCV', 'KeyMaterialId', 'final state', 'proof', '✓'],
  r.keys.map((k) => [
    mono(k.keyArn),
    esc(`${k.keySpec ?? '–'} / ${k.materialGroup ?? '–'}`),
    mono(k.wrappingKeyFingerprint),
    k.kcv === null ? '–' : `<span class="check">${esc(k.kcv)}</span>`,
    mono(k.keyMaterialId),
    esc(k.keyState ?? '–'),
    esc(k.proof ?? '–'),
    '',
  ]),
)}
<h2>Steps</h2>
${table(
  ['machine · line', 'time', 'command', 'operators', 'values compared', '✓'],
  r.steps.map((s) => [
    esc(`${s.tool} · ${s.file}:${s.line}`),
    esc(s.time),
    `<strong>${esc(s.command)}</strong> ${esc(s.outcome)}`,
    esc(s.operators.join(', ') || '–'),
    stepValues(s),
    '',
  ]),
)}
<h2>Exceptions</h2>
${r.exceptions.length === 0 ? '<p>None recorded.</p>' : `<ul>${r.exceptions.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`}
<h2>Signatures</h2>
<p>By signing, each person states that they saw the values above compared aloud and that this record matches what happened.</p>
${table(
  ['role', 'name', 'signature', 'date'],
  people.map(([role, name]) => [esc(role!), name!, '', '']),
  'sign',
)}
</body></html>
`;
}
