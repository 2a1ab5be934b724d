import type { AuditChainResult } from '../verify-chain.js';
import type { Report } from './report.js';

/** Each machine's log by its tool; a second log of one tool is refused, not merged. */
export function checkOneLogPerMachine(
  chains: readonly AuditChainResult[],
  report: Report,
): Map<string, AuditChainResult> {
  const byTool = new Map<string, AuditChainResult>();
  for (const chain of chains) {
    if (chain.tool === null) continue;
    const other = byTool.get(chain.tool);
    if (other !== undefined) {
      report(
        'error',
        'interlock',
        null,
        `${other.file} and ${chain.file} are both ${chain.tool} logs: give one log per machine`,
      );
    } else {
      byTool.set(chain.tool, chain);
    }
  }
  return byTool;
}
