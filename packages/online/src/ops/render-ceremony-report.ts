import {
  ceremonyReport,
  renderReportHtml,
  renderReportMarkdown,
  type ReportMeta,
  type TranscriptResult,
} from '@byok-ceremony/shared';

export type ReportFormat = 'html' | 'md';

/** The printable ceremony record of verified logs, as HTML or Markdown. */
export function renderCeremonyReport(
  result: TranscriptResult,
  meta: ReportMeta,
  format: ReportFormat,
): string {
  const report = ceremonyReport(result, meta);
  return format === 'html' ? renderReportHtml(report) : renderReportMarkdown(report);
}
