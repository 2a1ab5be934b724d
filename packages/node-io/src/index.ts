// The Node-side I/O both ceremony CLIs share. No network module and no AWS SDK, ever: byok-offline loads all of it.

// Files: exclusive atomic outputs, inputs, audit logs.
export { assertOutputAbsent, writeFileExclusive } from './io/output-file.js';
export { parseJsonFile, readInputFile } from './io/read-input-file.js';
export { readPlanFile, type LoadedPlan } from './io/read-plan-file.js';
export { assertPlanOperatorKeys } from './io/plan-operator-keys.js';
export { planSummaryLines } from './cli/plan-summary.js';
export { INPUT_FILE_LIMITS, type InputFileKind } from './io/input-limits.js';
export { readAuditLogPosition } from './io/audit-log.js';
export {
  readAuditLogEntries,
  readIntactAuditLogEntries,
  type LoggedAuditEntry,
} from './io/audit-log-entries.js';

// The audited runner both tools run every ceremony command through.
export { AuditSession, type PortRecorder } from './audit/audit-session.js';
export {
  factsOfFailure,
  FactsBuilder,
  inputFact,
  mergeFacts,
  outputFact,
  sha256Hex,
  withFailureFacts,
  type Ceremony,
  type CeremonyFacts,
  type KmsUsed,
} from './audit/ceremony-facts.js';
export {
  interruptedError,
  runAudited,
  type AuditedRun,
  type RunAuditedOptions,
  type SignalSource,
} from './audit/run-audited.js';
export { fileOutputWriter, type OutputWriter } from './audit/file-output-writer.js';
export { qrFramesPort, type QrFramesPort } from './audit/qr-frames-port.js';
export { readAuditLogFile } from './io/read-audit-log-file.js';
export { verifyEd25519, verifyLogFiles } from './io/verify-log-files.js';
export { logHeads } from './io/log-heads.js';

// Operators: key files, passphrases, signers, check-code prompts.
export { readOperatorKeyFile, readOperatorPublicKey } from './io/operator-key-file.js';
export { promptPassphrase, readPassphraseFile } from './io/operator-key-passphrase.js';
export { promptNewPassphrase } from './io/prompt-new-passphrase.js';
export {
  assertOperatorKeyFlags,
  mistypedPassphraseException,
  openOperatorKeys,
  PASSPHRASE_TRIES,
  type OperatorKeysToUnlock,
} from './io/operator-key-signers.js';
export { unlockOperatorKey } from './ops/operator-key-unlock.js';
export {
  CHECK_CODE_TRIES,
  mistypedCheckCodeException,
  promptCheckCodes,
  type CheckCodeRetry,
} from './io/prompt-check-codes.js';
export { readHiddenLine, type HiddenLineOptions } from './io/read-hidden-line.js';

// QR frames out: the player page, the terminal. The encoders (qrcode, pngjs) are loaded on use,
// as '@byok-ceremony/node-io/qr-encode'; the image decoders (pngjs, jpeg-js, jsQR, zxing-wasm)
// as '@byok-ceremony/node-io/qr-scan'.
export type { QrMatrix } from './qr/qr-matrix.js';
export type { QrPngOptions } from './qr/qr-png.js';
export { writeQrFrameDirectory } from './io/qr-write.js';
export { playQrTerminal, type PlayQrTerminalOptions } from './io/qr-terminal.js';
export { assertQrFolderUsable } from './io/qr-folder.js';

// The CLI: runner, deps, the commands and flags both tools share.
export { processDeps, type CliDeps } from './cli/deps.js';
export {
  createCliMain,
  type CliMain,
  type CliSpec,
  type CommandRegistrar,
} from './cli/create-cli-main.js';
export { auditCommand } from './cli/audit-verify.js';
export { withAuditVerifyOptions } from './cli/audit-verify-options.js';
export { qrShowFlagsOf, withQrShowOptions, type QrShowFlags } from './cli/qr-options.js';
export {
  describeQrFrames,
  playQrFramesOnTerminal,
  presentQrFrames,
  writeBundleQrFrames,
  type QrFramesWritten,
} from './cli/show-qr.js';
export { scanProgressPrinter } from './cli/scan-progress.js';
