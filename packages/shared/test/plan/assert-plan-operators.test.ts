import { describe, expect, it } from 'vitest';
import { assertPlanOperators } from '../../src/plan/assert-plan-operators.js';
import type { CeremonyPlan } from '../../src/plan/plan-types.js';

const plan = {
  operators: [
    { name: 'ALICE', operatorKey: 'a'.repeat(64) },
    { name: 'BOB', operatorKey: 'b'.repeat(64) },
  ],
} as unknown as CeremonyPlan;

function refusal(given: string[]): string {
  try {
    assertPlanOperators(given, plan);
  } catch (e) {
    return String((e as Error).message);
  }
  return 'accepted';
}

describe('assertPlanOperators', () => {
  it('accepts no list (the plan names them) and the plan list as written', () => {
    expect(refusal([])).toBe('accepted');
    expect(refusal(['ALICE', 'BOB'])).toBe('accepted');
    // Full-width letters are the same name once normalised (NFKC), as on the record.
    expect(refusal(['\uff21\uff2c\uff29\uff23\uff25', 'BOB'])).toBe('accepted');
  });

  it('refuses another order, another count, another case and a look-alike', () => {
    for (const given of [
      ['BOB', 'ALICE'],
      ['ALICE'],
      ['ALICE', 'BOB', 'CAROL'],
      ['alice', 'BOB'],
      ['ALICE', '\u0412\u041e\u0412'], // Cyrillic ВОВ
      ['ALICE', 'BOB '],
    ])
      expect(refusal(given)).toBe(
        `--operator ${given.join(', ')} is not the plan's operators ALICE, BOB`,
      );
  });
});
