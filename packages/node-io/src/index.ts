// The Node-side I/O both ceremony CLIs share. No network module and no AWS SDK, ever: byok-offline loads all of it.
export { assertOutputAbsent, writeFileExclusive } from './io/output-file.js';
export { parseJsonFile, readInputFile } from './io/read-input-file.js';
export { appendAuditEntry, readAuditLogPosition } from './io/audit-log.js';
