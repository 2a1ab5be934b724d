import type { AuditFinding } from '../audit-finding.js';

/** How a chain rule records an error at a line of the one log it checks. */
export type ChainReport = (code: AuditFinding['code'], line: number, message: string) => void;
