import type { CeremonyPlan } from '@byok-ceremony/shared';
import type { LoadedPlan } from '@byok-ceremony/node-io';
import { describe, expect, it } from 'vitest';
import { materialOfPlan } from '../../src/cli/wrap-plan-material.js';

const MODULE = 'module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:pin.txt';

function loaded(material: CeremonyPlan['material']): LoadedPlan {
  return { plan: { material, backup: 'none' } } as unknown as LoadedPlan;
}

function refusal(plan: LoadedPlan, hsm: string | undefined): string {
  try {
    materialOfPlan(plan, { hsm, operator: [] }, (p) => p);
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
}

describe("wrap --plan's material from a plan that names a token", () => {
  const token = loaded({ source: 'hsm', token: 'ceremony', serial: null });
  const pinned = loaded({ source: 'hsm', token: 'ceremony', serial: '0a1b2c3d' });

  it('takes --hsm naming the plan’s token, and its serial where the plan pins one', () => {
    expect(refusal(token, `pkcs11:token=ceremony?${MODULE}`)).toBe('accepted');
    expect(refusal(pinned, `pkcs11:token=ceremony;serial=0a1b2c3d?${MODULE}`)).toBe('accepted');
  });

  it('refuses no --hsm, another token, another or no serial, and --hsm with another source', () => {
    expect(refusal(token, undefined)).toBe(
      "the plan's material is generated in the PKCS#11 token ceremony: give --hsm",
    );
    expect(refusal(token, `pkcs11:token=other?${MODULE}`)).toBe(
      "--hsm names token other, the plan's token is ceremony",
    );
    expect(refusal(token, `pkcs11:serial=0a1b2c3d?${MODULE}`)).toBe(
      "--hsm names no token label (serial 0a1b2c3d), the plan's token is ceremony",
    );
    expect(refusal(pinned, `pkcs11:token=ceremony;serial=99?${MODULE}`)).toMatch(
      /the plan's token is ceremony \(serial 0a1b2c3d\)$/,
    );
    expect(refusal(pinned, `pkcs11:token=ceremony?${MODULE}`)).toMatch(/\(serial 0a1b2c3d\)$/);
    expect(refusal(loaded({ source: 'generate' }), `pkcs11:token=ceremony?${MODULE}`)).toBe(
      "--hsm: the plan's material source is generate",
    );
  });
});
