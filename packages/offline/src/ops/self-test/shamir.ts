import { randomBytes } from 'node:crypto';
import { hex, type KatResult } from './kat-result.js';
import { SHAMIR_VECTOR, type ShamirVector } from './vectors.js';

/** Every `size`-element subset of [0, n). */
function subsets(n: number, size: number): number[][] {
  if (size === 0) return [[]];
  if (n < size) return [];
  return [...subsets(n - 1, size - 1).map((s) => [...s, n - 1]), ...subsets(n - 1, size)];
}

/**
 * Shamir secret sharing (shamir-secret-sharing): every threshold subset of the fixed shares
 * combines to the fixed secret, fewer shares do not, and a fresh split of a random secret
 * combines back.
 */
export async function katShamir(v: ShamirVector = SHAMIR_VECTOR): Promise<KatResult> {
  const { combine, split } = await import('shamir-secret-sharing');
  const failures: string[] = [];
  let checks = 0;
  const check = async (name: string, run: () => Promise<boolean>): Promise<void> => {
    checks += 1;
    try {
      if (!(await run())) failures.push(`${name}: wrong answer`);
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message}`);
    }
  };
  // The library takes plain Uint8Arrays, not Buffers.
  const shares = v.shares.map((share) => new Uint8Array(hex(share)));
  const secret = hex(v.secret);
  for (const subset of subsets(shares.length, v.threshold)) {
    await check(`${v.name}, shares ${subset.map((i) => i + 1).join('+')}`, async () =>
      Buffer.from(await combine(subset.map((i) => shares[i]!))).equals(secret),
    );
  }
  await check(`${v.name}, ${v.threshold - 1} shares must not recover the secret`, async () => {
    const below = await combine(shares.slice(0, v.threshold - 1));
    return !Buffer.from(below).equals(secret);
  });
  await check('split and combine of a random 32-byte secret, 2 of 3', async () => {
    const fresh = new Uint8Array(randomBytes(32));
    try {
      const parts = await split(fresh, 3, 2);
      const back = Buffer.from(await combine([parts[2]!, parts[0]!]));
      const equal = back.equals(fresh);
      back.fill(0);
      for (const part of parts) part.fill(0);
      return equal;
    } finally {
      fresh.fill(0);
    }
  });
  return { family: 'Shamir secret sharing', checks, failures };
}
