/** The outcome of one family of known-answer tests. */
export interface KatResult {
  /** e.g. `RSA-OAEP decryption`. */
  readonly family: string;
  /** How many vectors or checks were run. */
  readonly checks: number;
  /** One line per failed check, naming the vector; empty when the family passed. */
  readonly failures: readonly string[];
}

/** Runs each check, turning a throw into a failure of that check: one broken vector never hides the others. */
export function runChecks(
  family: string,
  checks: readonly (readonly [name: string, check: () => boolean])[],
): KatResult {
  const failures: string[] = [];
  for (const [name, check] of checks) {
    try {
      if (!check()) failures.push(`${name}: wrong answer`);
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message}`);
    }
  }
  return { family, checks: checks.length, failures };
}

export const hex = (value: string): Buffer => Buffer.from(value, 'hex');
