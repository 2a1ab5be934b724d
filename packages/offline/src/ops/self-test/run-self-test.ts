import { ByokError } from '@byok-ceremony/shared';
import { katAesCmac } from './aes-cmac.js';
import { katAesKeyWrap } from './aes-key-wrap.js';
import { katEd25519 } from './ed25519.js';
import { katHmac } from './hmac.js';
import { katKeyCheckValue } from './key-check-value.js';
import type { KatResult } from './kat-result.js';
import { katRsaOaep } from './rsa-oaep.js';
import { katSha256 } from './sha256.js';
import { katShamir } from './shamir.js';

export interface SelfTestReport {
  readonly passed: boolean;
  readonly results: readonly KatResult[];
}

/** Every known-answer test of byok-offline, in a fixed order. */
export async function runSelfTest(): Promise<SelfTestReport> {
  const results = [
    katRsaOaep(),
    katAesKeyWrap(),
    katAesCmac(),
    katHmac(),
    katKeyCheckValue(),
    katEd25519(),
    katSha256(),
    await katShamir(),
  ];
  return { passed: results.every((r) => r.failures.length === 0), results };
}

/** The failure of a self-test, as the error that stops a command. */
export function selfTestError(report: SelfTestReport): ByokError {
  const failures = report.results.flatMap((r) => r.failures.map((f) => `${r.family}: ${f}`));
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more failed checks)` : '';
  return new ByokError('ERR_SELF_TEST', `self-test failed: ${failures[0] ?? 'no result'}${more}`, {
    hint: "This machine's cryptography does not give the known answers: do not use it for the ceremony. Check the Node.js and OpenSSL installation, and the SHA-256 of byok-offline with sha256sum (docs/airgap.md, Verify).",
    details: failures,
  });
}

/** Run first by every command that touches key material: refuses to go on when any test fails. */
export async function assertSelfTestPasses(): Promise<void> {
  const report = await runSelfTest();
  if (!report.passed) throw selfTestError(report);
}
