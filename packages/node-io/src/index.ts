// The Node-side I/O both ceremony CLIs share. No network module and no AWS SDK, ever: byok-offline loads all of it.
export { assertOutputAbsent, writeFileExclusive } from './io/output-file.js';
export { parseJsonFile, readInputFile } from './io/read-input-file.js';
export { appendAuditEntry, readAuditLogPosition } from './io/audit-log.js';
export { readOperatorKeyFile, readOperatorPublicKey } from './io/operator-key-file.js';
export { promptPassphrase, readPassphraseFile } from './io/operator-key-passphrase.js';
export { assertOperatorKeyFlags, unlockOperatorKeys } from './io/operator-key-signers.js';
export { unlockOperatorKey } from './ops/operator-key-unlock.js';
export { promptCheckCodes } from './io/prompt-check-codes.js';
// The QR image decoders (pngjs, jpeg-js, zxing-wasm) are loaded on use: import '@byok-ceremony/node-io/qr-scan'.
export { writeQrFrameDirectory } from './io/qr-write.js';
export { playQrTerminal, type PlayQrTerminalOptions } from './io/qr-terminal.js';
export { assertQrFolderUsable } from './io/qr-folder.js';
