export * from './errors.js';
export * from './kms/rules.js';
export * from './encoding/base64.js';
export * from './encoding/hex.js';
export * from './encoding/utf8.js';
export * from './encoding/strict-json.js';
export * from './digest/sha256.js';
export * from './digest/canonical-json.js';
export * from './bundle/types.js';
export * from './bundle/assert-import-request.js';
export * from './bundle/assert-wrapped-keys.js';
export * from './bundle/assert-answers-request.js';
export * from './bundle/digest.js';
export * from './check-code/check-code.js';
export * from './check-code/confirm.js';
export * from './material/aes-cmac.js';
export * from './material/key-check-value.js';
export * from './material/fingerprint.js';
export * from './material/proof-message.js';
export * from './validation/field-checker.js';
export {
  OPERATOR_NAME,
  OPERATOR_NAME_RULE,
  assertDistinctOperators,
  normalizeOperatorName,
  operatorIdentity,
  operatorNameCollisions,
  parseOperatorName,
  parseOperatorNames,
} from './validation/operator-name.js';
export * from './audit/record.js';
export * from './audit/chain.js';
export * from './audit/audit-finding.js';
export * from './audit/audit-entry-problems.js';
export * from './audit/verify-chain.js';
export * from './audit/signed-confirmation.js';
export * from './audit/verify-transcript.js';
export * from './cli/format-error.js';
export * from './qr/index.js';
export * from './audit/operator-key-file.js';
export * from './audit/transcript-summary.js';
export * from './audit/report-model.js';
export * from './audit/render-report-html.js';
export * from './audit/render-report-md.js';
export * from './audit/verification-failed.js';
export {
  anchorCoverage,
  type AnchorLog,
  type AnchorRoot,
  type Coverage,
} from './audit/anchor-coverage.js';
export {
  HEAD_CODE_BITS,
  HEAD_CODE_GROUPS,
  headCodeOf,
  headMatches,
  parseExpectedHead,
  type ExpectedHead,
} from './audit/head-code.js';
export {
  PAPER_RECORD_MAGIC,
  PAPER_RECORD_MAX_BYTES,
  PAPER_RECORD_MAX_HEADS,
  paperRecordLine,
  parsePaperRecord,
} from './audit/paper-record.js';
