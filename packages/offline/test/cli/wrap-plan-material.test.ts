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
  const token = loaded({ source: 'hsm', token: 'ceremony', serial: '0a1b2c3d' });

  it("takes --hsm naming the plan's token by label and serial, and carries that URI", () => {
    const uri = `pkcs11:token=ceremony;serial=0a1b2c3d?${MODULE}`;
    expect(refusal(token, uri)).toBe('accepted');
    expect(materialOfPlan(token, { hsm: uri, operator: [] }, (p) => p)).toEqual({
      kind: 'token',
      uri,
    });
    expect(refusal(token, `pkcs11:token=%63eremony;serial=0a1b2c3d?${MODULE}`)).toBe('accepted');
  });

  it('refuses no --hsm, another token, another or no serial, and --hsm with another source', () => {
    expect(refusal(token, undefined)).toBe(
      "the plan's material is generated in the PKCS#11 token ceremony (serial 0a1b2c3d): give --hsm",
    );
    expect(refusal(token, `pkcs11:token=other;serial=0a1b2c3d?${MODULE}`)).toBe(
      "--hsm names token other (serial 0a1b2c3d), the plan's token is ceremony (serial 0a1b2c3d)",
    );
    expect(refusal(token, `pkcs11:token=ceremony?${MODULE}`)).toBe(
      "--hsm names token ceremony and no serial, the plan's token is ceremony (serial 0a1b2c3d)",
    );
    expect(refusal(token, `pkcs11:serial=0a1b2c3d?${MODULE}`)).toMatch(
      /^--hsm names no token label/,
    );
    expect(refusal(token, `pkcs11:token=ceremony;serial=99?${MODULE}`)).toMatch(/\(serial 99\),/);
    expect(refusal(loaded({ source: 'generate' }), `pkcs11:token=ceremony?${MODULE}`)).toBe(
      "--hsm: the plan's material source is generate",
    );
  });

  it('names the token in its hint as a URI that reads back, whatever its label holds', () => {
    const odd = loaded({ source: 'hsm', token: 'a;b?c&d %', serial: '7' });
    let hint = '';
    try {
      materialOfPlan(odd, { operator: [] }, (p) => p);
    } catch (e) {
      hint = String((e as { hint?: string }).hint);
    }
    const uri = /'(pkcs11:[^']+)'/.exec(hint)![1]!.replace('/path/module.so', '/usr/lib/m.so');
    expect(refusal(odd, uri)).toBe('accepted');
  });
});
