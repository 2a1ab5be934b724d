import { randomBytes } from 'node:crypto';
import type { KatResult } from './kat-result.js';

export type RandomSource = (length: number) => Buffer;

const SAMPLE_BYTES = 65_536;
const BLOCK = 16;
/**
 * SP 800-90B 4.4.1 repetition count test for 8-bit samples claimed at full entropy (H = 8) with
 * a false-alarm rate of 2^-40: C = 1 + ceil(40 / 8).
 */
export const REPETITION_CUTOFF = 6;
/** SP 800-90B 4.4.2 adaptive proportion test, W = 512, H = 8, alpha = 2^-40 (binomial tail). */
export const PROPORTION_WINDOW = 512;
export const PROPORTION_CUTOFF = 20;

function longestRun(sample: Buffer): number {
  let longest = 1;
  let run = 1;
  for (let i = 1; i < sample.length; i++) {
    run = sample[i] === sample[i - 1] ? run + 1 : 1;
    if (run > longest) longest = run;
  }
  return longest;
}

function mostFrequentInWindow(sample: Buffer): number {
  let worst = 0;
  for (let start = 0; start + PROPORTION_WINDOW <= sample.length; start += PROPORTION_WINDOW) {
    const first = sample[start];
    let count = 0;
    for (let i = start; i < start + PROPORTION_WINDOW; i++) if (sample[i] === first) count++;
    if (count > worst) worst = count;
  }
  return worst;
}

function hasRepeatedBlock(sample: Buffer): boolean {
  const seen = new Set<string>();
  for (let i = 0; i + BLOCK <= sample.length; i += BLOCK) {
    const block = sample.toString('hex', i, i + BLOCK);
    if (seen.has(block)) return true;
    seen.add(block);
  }
  return false;
}

/**
 * A health check of the random source the material is generated from (node:crypto, OpenSSL's
 * DRBG): two samples, neither constant nor equal, no repeated 16-byte block, and the SP 800-90B
 * repetition count and adaptive proportion tests. It catches a broken or stuck source; it
 * cannot prove randomness.
 */
export function katCsprng(random: RandomSource = randomBytes): KatResult {
  const first = random(SAMPLE_BYTES);
  const second = random(SAMPLE_BYTES);
  try {
    const failures: string[] = [];
    const run = Math.max(longestRun(first), longestRun(second));
    const proportion = Math.max(mostFrequentInWindow(first), mostFrequentInWindow(second));
    if (first.length !== SAMPLE_BYTES || second.length !== SAMPLE_BYTES)
      failures.push(`asked for ${SAMPLE_BYTES} bytes, got ${first.length} and ${second.length}`);
    if (first.every((b) => b === first[0])) failures.push('a sample is one repeated byte');
    if (first.equals(second)) failures.push('two samples are equal');
    if (hasRepeatedBlock(first) || hasRepeatedBlock(second))
      failures.push('a 16-byte block repeats within a sample');
    if (run >= REPETITION_CUTOFF)
      failures.push(`repetition count test: a byte repeats ${run} times in a row`);
    if (proportion >= PROPORTION_CUTOFF)
      failures.push(
        `adaptive proportion test: a byte occurs ${proportion} times in ${PROPORTION_WINDOW}`,
      );
    return { family: 'CSPRNG health (SP 800-90B style)', checks: 6, failures };
  } finally {
    first.fill(0);
    second.fill(0);
  }
}
