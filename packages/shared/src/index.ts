// The public surface of the shared package: what the tools, the simulator and their tests use.

export { ByokError, isByokError, type ByokErrorCode, type ByokErrorOptions } from './errors.js';

// KMS rules.
export {
  DEFAULT_WRAPPING_KEY_SPEC,
  IMPORT_PARAMETERS_LIFETIME_SECONDS,
  KEY_SPECS,
  KEY_SPEC_RULES,
  KEY_USAGES,
  MAX_VALID_TO_SECONDS,
  MODULUS_BYTES,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  checkWrappingCombination,
  defaultWrappingAlgorithm,
  hashOfWrappingAlgorithm,
  isAesKeyWrapAlgorithm,
  isImportableKeySpec,
  isKeySpec,
  isKeyUsage,
  isWrappingAlgorithm,
  isWrappingKeySpec,
  maxMaterialBytes,
  type KeySpec,
  type KeyUsage,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from './kms/rules.js';

// Encodings and digests.
export { decodeBase64, encodeBase64 } from './encoding/base64.js';
export { encodeHex } from './encoding/hex.js';
export { escapeHtml } from './encoding/escape-html.js';
export { parseStrictJson } from './encoding/strict-json.js';
export { quoteForMessage } from './encoding/bounded-text.js';
export { sha256 } from './digest/sha256.js';
export { canonicalJson } from './digest/canonical-json.js';

// Bundles and their check codes.
export {
  BUNDLE_VERSION,
  IMPORT_REQUEST_FORMAT,
  IMPORT_REQUEST_VERSION,
  WRAPPED_KEYS_FORMAT,
  type Bundle,
  type ImportRequestBundle,
  type ImportRequestVersion,
  type ImportType,
  type ImportTarget,
  type MaterialProof,
  type MaterialRecord,
  type MaterialSource,
  type WrappedKeyBundle,
  type WrappedTarget,
} from './bundle/types.js';
export { assertImportRequestBundle } from './bundle/assert-import-request.js';
export {
  IMPORT_TOKENS_FORMAT,
  IMPORT_TOKENS_SUFFIX,
  IMPORT_TOKENS_VERSION,
  assertImportTokensFile,
  importTokensPathOf,
  type ImportTokensFile,
} from './bundle/import-tokens.js';
export { assertWrappedKeyBundle } from './bundle/assert-wrapped-keys.js';
export {
  assertWrappedAnswersRequest,
  type KnownRequestDigests,
} from './bundle/assert-answers-request.js';
export { BUNDLE_DIGEST_DOMAIN, bundleDigest } from './bundle/digest.js';
export { expectedKcvOf } from './bundle/material-lifecycle.js';
export { checkCodeOf, normalizeCheckCode } from './check-code/check-code.js';
export { codeDifference } from './check-code/code-difference.js';
export { READ_ALOUD_HEX_DIGITS, sha256ReadAloud } from './digest/sha256-read-aloud.js';
export {
  assertCheckCodesConfirmed,
  assertOperators,
  formatCheckCodeConfirmed,
} from './check-code/confirm.js';

export {
  FieldChecker,
  HEX_DIGEST,
  KMS_KEY_ARN,
  UUID,
  listedProblems,
} from './validation/field-checker.js';

// Key material checks.
export { aesCmac } from './material/aes-cmac.js';
export { KCV_INPUT_BLOCK, keyCheckValue } from './material/key-check-value.js';
export { formatFingerprint, wrappingKeyFingerprint } from './material/fingerprint.js';
export { proofMessage } from './material/proof-message.js';

// Audit logs, their verification and the ceremony report.
export type {
  AuditBackupRecord,
  AuditHsmRecord,
  AuditEntry,
  AuditKeyRecord,
  AuditPlanRecord,
  AuditKmsRecord,
  AuditRecord,
} from './audit/record.js';
export {
  AUDIT_ENTRY_DOMAIN,
  auditEntryHash,
  nextAuditEntry,
  nextAuditEntryLine,
  type ChainPosition,
} from './audit/chain.js';
export { formatAuditFinding, type AuditFinding } from './audit/audit-finding.js';
export { verifyAuditChain, type AuditChainResult } from './audit/verify-chain.js';
export {
  signAuditEntry,
  type AuditSigner,
  type VerifyEd25519,
} from './audit/signed-confirmation.js';
export { verifyTranscript } from './audit/verify-transcript.js';
export {
  type PinnedOperatorKey,
  type TranscriptOptions,
  type TranscriptResult,
} from './audit/verify/transcript-types.js';
export { isAuditLabel, rotationLabel } from './audit/audit-label.js';
export { transcriptJson, transcriptSummaryLines } from './audit/transcript-summary.js';
export { isAwsKmsEndpoint, type KmsEndpointUse } from './audit/verify/kms-endpoints.js';
export {
  RAW_IMPORT_TOKEN_LABEL,
  RAW_MATERIAL_LABEL,
  RAW_PUBLIC_KEY_LABEL,
  rawParameterLabel,
} from './audit/raw-labels.js';
export { verificationFailed } from './audit/verification-failed.js';
export {
  MIN_PASSPHRASE_LENGTH,
  OPERATOR_KEY_FORMAT,
  OPERATOR_KEY_VERSION,
  OPERATOR_PUBLIC_KEY_FORMAT,
  operatorKeyAad,
  parseOperatorKeyFile,
  parseOperatorPublicKey,
  scryptMemoryBytes,
  scryptProblems,
  type OperatorKeyFile,
  type OperatorPublicKeyFile,
  type ScryptParameters,
} from './audit/operator-key-file.js';
export { ceremonyReport, type ReportMeta } from './audit/report-model.js';
export { renderReportHtml } from './audit/render-report-html.js';
export { renderReportMarkdown } from './audit/render-report-md.js';

// CLI error lines.
export { formatErrorLines } from './cli/format-error.js';

// QR transfer: frames, their reassembly, bundles in compact form.
export {
  BASE45_ALPHABET,
  DEFAULT_QR_DENSITY,
  FrameAssembler,
  QR_DENSITIES,
  QR_DENSITY_PROFILES,
  decodeBase45,
  encodeBase45,
  bundleFromQrTransfer,
  bundleToQrFrameSequence,
  bundleToQrFrames,
  encodeCompactBundle,
  QrFrameSequence,
  parseQrDensity,
  qrKindOfBundle,
  splitIntoFrames,
  type AssembledTransfer,
  type FrameAddStatus,
  type FrameProgress,
  type QrDensity,
  type QrPayloadKind,
} from './qr/index.js';

// Operator names, log anchors, head codes and the paper record.
export {
  assertDistinctOperators,
  operatorIdentities,
  sameOperator,
  operatorNameCollisions,
  parseOperatorName,
  parseOperatorNames,
} from './validation/operator-name.js';
export { type AnchorRoot, type Coverage } from './audit/verify/anchor-coverage.js';
export {
  HEAD_CODE_BITS,
  headCodeOf,
  headMatches,
  parseExpectedHead,
  type ExpectedHead,
} from './audit/head-code.js';
export {
  PAPER_RECORD_MAGIC,
  PAPER_RECORD_MAX_BYTES,
  paperRecordLine,
  parsePaperRecord,
} from './audit/paper-record.js';
export {
  MATERIAL_SET_MAX_CHARS,
  parseMaterialSet,
  serializeMaterialSet,
  serializeMaterialSetBytes,
  zeroMaterialSet,
  type MaterialSet,
  type MaterialSetGroup,
} from './custody/material-set.js';
export {
  formatShareFile,
  materialSetDigest,
  parseShareFile,
  type Sha256,
  type ShareCover,
  type ShareFile,
} from './custody/share-file.js';
export {
  componentBytesProblem,
  formatComponentFile,
  parseComponentFile,
  parseComponentHex,
  type ComponentFile,
} from './custody/component-file.js';
export {
  assertBackupSpecsCombine,
  parseBackupSpec,
  type BackupSpec,
} from './custody/backup-spec.js';
export { isSameKeyOrReplica } from './custody/key-arn-match.js';
export { materialsHeldAt, type MaterialsHeld } from './audit/materials-held.js';
export {
  PLAN_FORMAT,
  PLAN_MAX_BYTES,
  PLAN_MAX_KEYS,
  PLAN_VERSION,
  type CeremonyPlan,
  type DigestedPlan,
  type PlanKey,
  type PlanMaterial,
  type PlanOperator,
} from './plan/plan-types.js';
export { parsePlanText } from './plan/parse-plan-text.js';
export { checkPlan } from './plan/check-plan.js';
export { CEREMONY_NAME } from './plan/ceremony-name.js';
export { digestPlan } from './plan/plan-digest.js';
export { AWS_ACCOUNT, AWS_REGION } from './plan/plan-regions.js';
export { planMaterialGroup } from './plan/plan-material-group.js';
export { assertRequestOfPlan } from './plan/assert-request-of-plan.js';
export { assertPlanOperators } from './plan/assert-plan-operators.js';
export { assertLogsRanPlan } from './plan/plan-on-record.js';
