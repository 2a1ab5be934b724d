import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { combineComponents } from '../../src/ops/combine-components.js';
import { makeComponents, xorComponents } from '../../src/ops/make-components.js';
import { materialKcv } from '../../src/ops/material-kcv.js';
import { tempDir } from '../helpers/run-cli.js';

/** The KCV of a symmetric key by OpenSSL, an independent peer: AES-256-CMAC of a zero block. */
function opensslKcv(key: Buffer): string {
  const dir = tempDir();
  const zero = join(dir, 'zero.bin');
  writeFileSync(zero, Buffer.alloc(16));
  const mac = execFileSync('openssl', [
    'mac',
    '-cipher',
    'AES-256-CBC',
    '-macopt',
    `hexkey:${key.toString('hex')}`,
    '-in',
    zero,
    'CMAC',
  ]);
  return mac.toString().trim().slice(0, 6).toUpperCase();
}

describe('XOR key components', () => {
  for (const custodians of [2, 3]) {
    it(`${custodians} custodians: the components combine to the key, with the expected KCV`, () => {
      const made = makeComponents('SYMMETRIC_DEFAULT', custodians);
      expect(made.components).toHaveLength(custodians);
      expect(made.keyKcv).toBe(opensslKcv(made.material));
      for (const c of made.components) expect(c.kcv).toBe(opensslKcv(c.component));
      const entries = made.components.map((c, i) => ({
        custodian: `C${i + 1}`,
        component: c.component,
        kcv: c.kcv,
      }));
      const combined = combineComponents('SYMMETRIC_DEFAULT', entries, made.keyKcv);
      expect(combined.material.equals(made.material)).toBe(true);
      expect(combined.kcv).toBe(made.keyKcv);
    });
  }

  it('HMAC components combine too; the XOR is byte by byte', () => {
    const made = makeComponents('HMAC_256', 2);
    expect(xorComponents(made.components.map((c) => c.component)).equals(made.material)).toBe(true);
    expect(materialKcv('HMAC_256', made.material)).toBe(made.keyKcv);
  });

  it('catches a wrong component by its own KCV before combining, naming its custodian', () => {
    const made = makeComponents('SYMMETRIC_DEFAULT', 3);
    const typo = Buffer.from(made.components[1]!.component);
    typo[5]! ^= 0x10;
    const entries = made.components.map((c, i) => ({
      custodian: `C${i + 1}`,
      component: i === 1 ? typo : c.component,
      kcv: c.kcv,
    }));
    expect(() => combineComponents('SYMMETRIC_DEFAULT', entries, made.keyKcv)).toThrow(
      expect.objectContaining({
        code: 'ERR_COMPONENT_INVALID',
        message: expect.stringMatching(/^C2's component has KCV [0-9A-F]{6}, not /),
      }),
    );
  });

  it('refuses a component of the wrong length, and components of another key', () => {
    const made = makeComponents('SYMMETRIC_DEFAULT', 2);
    const short = made.components[0]!.component.subarray(0, 31);
    expect(() =>
      combineComponents(
        'SYMMETRIC_DEFAULT',
        [
          { custodian: 'C1', component: short, kcv: made.components[0]!.kcv },
          {
            custodian: 'C2',
            component: made.components[1]!.component,
            kcv: made.components[1]!.kcv,
          },
        ],
        made.keyKcv,
      ),
    ).toThrow(/C1's component has 31 bytes: SYMMETRIC_DEFAULT components are 32 bytes/);
    const other = makeComponents('SYMMETRIC_DEFAULT', 2);
    const mixed = [made.components[0]!, other.components[1]!].map((c, i) => ({
      custodian: `C${i + 1}`,
      component: c.component,
      kcv: c.kcv,
    }));
    expect(() => combineComponents('SYMMETRIC_DEFAULT', mixed, made.keyKcv)).toThrow(
      /the combined key has KCV [0-9A-F]{6}, not [0-9A-F]{6}, the key KCV of the forms/,
    );
  });

  it('refuses a forged component that carries its own KCV: only the key KCV of the forms catches it', () => {
    const made = makeComponents('SYMMETRIC_DEFAULT', 2);
    const forged = makeComponents('SYMMETRIC_DEFAULT', 2).components[0]!;
    const entries = [made.components[0]!, forged].map((c, i) => ({
      custodian: `C${i + 1}`,
      component: c.component,
      kcv: c.kcv,
    }));
    expect(() => combineComponents('SYMMETRIC_DEFAULT', entries, made.keyKcv)).toThrow(
      expect.objectContaining({
        code: 'ERR_COMPONENT_INVALID',
        message: expect.stringContaining(`not ${made.keyKcv}, the key KCV of the forms`),
        hint: expect.stringContaining('Nothing was wrapped'),
      }),
    );
    // The typed key KCV is compared in any case, surrounding spaces ignored.
    const honest = made.components.map((c, i) => ({ custodian: `C${i + 1}`, ...c }));
    const combined = combineComponents(
      'SYMMETRIC_DEFAULT',
      honest,
      ` ${made.keyKcv.toLowerCase()} `,
    );
    expect(combined.material.equals(made.material)).toBe(true);
  });

  it('refuses private-key specs and fewer than two custodians', () => {
    expect(() => makeComponents('ECC_NIST_P256', 2)).toThrow(/cannot be split into XOR components/);
    expect(() => makeComponents('SYMMETRIC_DEFAULT', 1)).toThrow(/2 to 9 custodians/);
  });
});
