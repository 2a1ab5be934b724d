import {
  formatKmsUsed,
  NON_DEFAULT_ENDPOINT,
  type CeremonyReport,
  type ReportKey,
  type ReportStep,
} from './report-model.js';
import { CUSTODY_ITEMS, GENERIC_BACKUP_ITEMS, type ReportBackup } from './report-backups.js';
import { escapeHtml as esc } from '../encoding/escape-html.js';

/** A CSS string literal: only the footer's ids go here, but escape as if anything could. */
function cssString(text: string): string {
  return `"${text.replace(/[^A-Za-z0-9 .:,()-]/g, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
}

/**
 * Print layout: A4 pages whose margin boxes carry the ceremony id, the record digest and
 * "page N of M" (Chromium prints @page margin boxes); codes and fingerprints never wrap.
 */
function style(footer: string): string {
  return `
@page{size:A4;margin:13mm 12mm 15mm 12mm;
@bottom-left{content:${cssString(footer)};font:7pt "DejaVu Sans Mono",monospace;color:#333}
@bottom-right{content:"page " counter(page) " of " counter(pages);font:7.5pt "DejaVu Sans",Arial,sans-serif;color:#333}}
body{font:8pt/1.25 "DejaVu Sans",Arial,sans-serif;color:#111;margin:0 auto;max-width:186mm}
h1{font-size:13pt;margin:0 0 .2em}h2{font-size:10pt;border-bottom:1px solid #999;margin:.7em 0 .2em;break-after:avoid}
p{margin:.2em 0}table{border-collapse:collapse;width:100%;margin:.1em 0}
th,td{border:1px solid #999;padding:0 .3em;text-align:left;vertical-align:top}th{background:#eee;font-weight:bold}
.mono,code{font-family:"DejaVu Sans Mono",monospace;font-size:7.5pt;white-space:nowrap}
.check{font-family:"DejaVu Sans Mono",monospace;font-size:9pt;font-weight:bold;letter-spacing:.05em;white-space:nowrap}
.verdict{font-size:9.5pt;font-weight:bold;padding:.25em .5em;border:2px solid;margin:.3em 0}
.ok{color:#0a5c0a;border-color:#0a5c0a;background:#eaf7ea}.failed{color:#8b0000;border-color:#8b0000;background:#fbeaea}
.unanchored{color:#7a4a00;border-color:#7a4a00;background:#fff4dd}.endpoint{color:#8b0000}
.ids td{white-space:nowrap}.kv th{width:33mm;font-weight:normal;font-size:7.5pt;background:#f6f6f6;white-space:nowrap}
.kms{font-size:7.5pt}.step{break-inside:avoid;margin:.25em 0}.key{break-inside:avoid;page-break-inside:avoid;margin:.25em 0}.step-head{font-weight:bold;margin:.05em 0}
.logs td:first-child{width:60mm}
.custody td:nth-child(3){width:22mm}.custody td:nth-child(4){width:18mm}.custody td:nth-child(6){width:26mm}
.tick{width:6mm}.write td{height:5.5mm}.sign-block{break-inside:avoid}.sign-block td{height:8mm}
.screen-footer{display:none}
@media screen{body{margin:2em auto;padding:0 1em}.screen-footer{display:block;color:#555;border-top:1px solid #999;margin-top:2em}}
@media print{a{color:inherit;text-decoration:none}tr{break-inside:avoid}}
`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  const c = cls === '' ? '' : ` class="${cls}"`;
  return `<table${c}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Label → value rows; the values are already HTML. */
function kv(rows: readonly (readonly [string, string])[]): string {
  return `<table class="kv"><tbody>${rows
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td><td class="tick"></td></tr>`)
    .join('')}</tbody></table>`;
}

function mono(text: string | null): string {
  return text === null ? '–' : `<span class="mono">${esc(text)}</span>`;
}

function check(text: string | null): string {
  return text === null ? '–' : `<span class="check">${esc(text)}</span>`;
}

function stepRows(step: ReportStep): [string, string][] {
  return [
    ...step.checkCodes.map(([k, v]) => [`check code ${k}`, check(v)] as [string, string]),
    ...step.digests.map(([k, v]) => [k, mono(v)] as [string, string]),
    ...step.signatures.map(([op, fp]) => [`signed by ${op}`, mono(fp)] as [string, string]),
    ...(step.peerLogHead === null
      ? []
      : [["other machine's head", mono(step.peerLogHead)] as [string, string]]),
    ...(step.kms === null
      ? []
      : [
          [
            'KMS',
            step.kms.endpoint === null
              ? `<span class="kms">${esc(formatKmsUsed(step.kms))}</span>`
              : `<strong class="endpoint kms">${esc(formatKmsUsed(step.kms))}</strong>`,
          ] as [string, string],
        ]),
    ...(step.kmsRequestIds.length === 0
      ? []
      : [['KMS request ids', step.kmsRequestIds.map(mono).join(', ')] as [string, string]]),
    ...step.exceptions.map((x) => ['exception', `<strong>${esc(x)}</strong>`] as [string, string]),
    ...(step.error === null
      ? []
      : [['failed', `<strong>${esc(step.error)}</strong>`] as [string, string]]),
    ['entry hash', mono(step.hash)],
  ];
}

function stepBlock(step: ReportStep, index: number): string {
  const head = `${index + 1}. ${step.command} ${step.outcome} · ${step.operators.join(', ') || 'no operator'} · ${step.time} · ${step.tool} ${step.file}:${step.line}`;
  return `<div class="step"><p class="step-head">${esc(head)}</p>${kv(stepRows(step))}</div>`;
}

/** One key's values in one block that print never splits across pages. */
function keyBlock(k: ReportKey, index: number): string {
  const head = `Key ${index + 1}${k.alias === null ? '' : ` · ${k.alias}`}`;
  return `<div class="key"><p class="step-head">${esc(head)}</p>${kv([
    ['alias', k.alias === null ? '–' : `<strong class="mono">${esc(k.alias)}</strong>`],
    ['key ARN', mono(k.keyArn)],
    ['spec / group', esc(`${k.keySpec ?? '–'} / ${k.materialGroup ?? '–'}`)],
    ['wrapping key', mono(k.wrappingKeyFingerprint)],
    ['KCV', check(k.kcv)],
    ['KeyMaterialId', mono(k.keyMaterialId)],
    ['final state / proof', esc(`${k.keyState ?? '–'} / ${k.proof ?? '–'}`)],
  ])}</div>`;
}

/** A SHA-256 in two halves, so the custody table keeps room for the handwritten cells. */
function splitDigest(hex: string | null): string {
  return hex === null ? '–' : `${mono(hex.slice(0, 32))}<br>${mono(hex.slice(32))}`;
}

function backupBlock(b: ReportBackup): string {
  return `<div class="key"><p class="step-head">${esc(`${b.made ? 'Made by' : 'Material from a backup, in'} step ${b.step} (${b.command})`)}</p>${kv(
    [
      ['scheme', `<strong>${esc(b.scheme)}</strong>`],
      ['split-id', b.splitId === null ? '–' : `<span class="check">${esc(b.splitId)}</span>`],
      ['material set digest', mono(b.setDigest)],
      ['holds', b.covers.map((c) => esc(c)).join('<br>') || '–'],
    ],
  )}</div>`;
}

function verdictBox(r: CeremonyReport): string {
  if (r.verdict === 'VERIFIED')
    return `<div class="verdict ok">VERIFIED: the audit logs are intact, interlocked and complete, and every wrap and import is covered by an anchor.</div>`;
  if (r.verdict === 'UNANCHORED')
    return `<div class="verdict unanchored">UNANCHORED: nothing the verifier trusts covers every wrap and import. The logs agree with each other, which proves nothing by itself: verify again with the heads from the paper record (--expect-head, --paper-record) or the operators' pinned keys (--operator-pubkey).</div>`;
  return `<div class="verdict failed">VERIFICATION FAILED: do not accept this ceremony until every problem below is explained.</div>`;
}

/** One row per share and age file made, then the media every ceremony bags, then a blank row. */
function custodyRows(r: CeremonyReport): string[][] {
  const items = r.backups.flatMap((b) =>
    b.items.map((i) => [
      `${esc(i.item)}${i.splitId === null ? '' : `<br>split-id <span class="mono">${esc(i.splitId)}</span>`}`,
      splitDigest(i.sha256),
    ]),
  );
  const backups = items.length > 0 ? items : GENERIC_BACKUP_ITEMS.map((item) => [esc(item), '']);
  return [...backups, ...CUSTODY_ITEMS.map((item) => [esc(item), '']), ['', '']].map((row) => [
    ...row,
    '',
    '',
    '',
    '',
  ]);
}

/** A self-contained, printable HTML page: inline CSS, no script, no network resource. */
export function renderReportHtml(r: CeremonyReport): string {
  const ceremony = r.ceremonyId ?? 'none';
  const footer = `Ceremony ${ceremony} · record ${r.recordDigest}`;
  const people = [
    ...r.operators.map((o) => ['Operator', esc(o)]),
    ['Witness', esc(r.witness ?? '')],
    ['Ceremony administrator', ''],
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(r.title)}</title><style>${style(footer)}</style></head><body>
<h1>${esc(r.title)}</h1>
<table class="kv ids"><tbody>
<tr><th>ceremony</th><td>${check(ceremony)} <span>(check code of the import request)</span></td></tr>
${r.plans.map((p) => `<tr><th>plan</th><td>${esc(p.name)}: plan code ${check(p.code)} <span>(compare with the signed plan sheet; digest ${esc(p.digest)})</span></td></tr>`).join('\n')}
<tr><th>record digest</th><td>${check(r.recordDigest)} <span>(the same on every page)</span></td></tr>
<tr><th>time</th><td>${esc(`${r.firstTime ?? '–'} to ${r.lastTime ?? '–'}`)}</td></tr>
<tr><th>made</th><td>${esc(`${r.generatedAt} by ${r.generatedBy}; tools ${r.tools.join(', ')}`)}</td></tr>
</tbody></table>
${verdictBox(r)}
${r.nonDefaultEndpoints.length === 0 ? '' : `<div class="verdict failed">${esc(NON_DEFAULT_ENDPOINT)}: ${r.nonDefaultEndpoints.map((u) => `<span class="mono">${esc(u)}</span>`).join(', ')}. The online steps talked to this endpoint, not to AWS KMS's own: a rehearsal server proves nothing about keys in AWS.</div>`}
${r.problems.length === 0 ? '' : `<h2>Problems found</h2><ul>${r.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`}
<h2>Audit logs</h2>
<p>Compare each head code with the paper record. ${r.anchors.length === 0 ? 'No anchor covers any line.' : `Anchors: ${esc(r.anchors.join('; '))}.`}</p>
${table(
  ['log', 'head code, and head', '✓'],
  r.logs.map((l) => [
    esc(`${l.file} (${l.tool}, ${l.lines} line(s))`),
    `${check(l.headCode)}<br>${mono(l.head)}`,
    '',
  ]),
  'logs',
)}
<h2>Keys</h2>
${r.keys.length === 0 ? '<p>None.</p>' : r.keys.map(keyBlock).join('')}
<h2>Backups</h2>
${r.backups.length === 0 ? '<p>None recorded.</p>' : r.backups.map(backupBlock).join('')}
<h2>Steps</h2>
${r.steps.map(stepBlock).join('')}
<h2>Exceptions</h2>
${r.exceptions.length === 0 ? '<p>None recorded.</p>' : `<ul>${r.exceptions.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`}
<h2>Tamper-evident bags and custody</h2>
${table(
  ['item', 'SHA-256', 'bag serial', 'sealed by', 'custodian, where', 'custody signature'],
  custodyRows(r),
  'write custody',
)}
<div class="sign-block">
<h2>Signatures</h2>
<p>By signing, each person states that they saw the values above compared aloud, that the bag serials and custody above are as written, and that this record (ceremony ${esc(ceremony)}, record digest ${esc(r.recordDigest)}) matches what happened.</p>
${table(
  ['role', 'name', 'signature', 'date'],
  people.map(([role, name]) => [esc(role!), name!, '', '']),
)}
</div>
<p class="screen-footer">${esc(footer)}</p>
</body></html>
`;
}
