import { execFileSync } from 'node:child_process';
import {
  KEY_SPECS,
  KEY_SPEC_RULES,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  checkWrappingCombination,
  isImportableKeySpec,
} from '@byok-ceremony/shared';
import type { KeySpec } from '@byok-ceremony/shared';
import { describe, expect, it } from 'vitest';
import { checkKeyMaterial } from '../src/crypto/material.js';
import { derOid } from '../src/crypto/pkcs8.js';
import { IMPORT_ACCEPTANCE, acceptsWrapping } from '../src/model/import-acceptance.js';
import type { AcceptedMaterial } from '../src/model/import-acceptance.js';

const importable = KEY_SPECS.filter(isImportableKeySpec);
const acceptanceOf = (spec: string) => IMPORT_ACCEPTANCE[spec as keyof typeof IMPORT_ACCEPTANCE]!;

type ToolsMaterial = NonNullable<(typeof KEY_SPEC_RULES)[KeySpec]['material']>;
type Comparable = Record<string, string | number>;

/** The tools' material rule in the simulator's terms, for a field-by-field comparison. */
function asAccepted(rule: ToolsMaterial): Comparable {
  switch (rule.kind) {
    case 'symmetric':
      return { kind: 'secret', minBytes: rule.bytes, maxBytes: rule.bytes };
    case 'hmac':
      return { kind: 'secret', minBytes: rule.minBytes, maxBytes: rule.maxBytes };
    case 'rsa-private':
      return { kind: 'rsa', modulusBits: rule.modulusBits };
    case 'ec-private':
      return { kind: 'ec', curve: rule.curve };
  }
}

/** The simulator's material rule without the curve OID, which the tools do not record. */
function withoutOid(material: AcceptedMaterial): Comparable {
  return material.kind === 'ec' ? { kind: 'ec', curve: material.curve } : { ...material };
}

// The simulator's table is written from the Developer Guide; the tools' table is packages/shared's.
describe("the simulator's import acceptance, written apart from the tools' rules, agrees with them", () => {
  it('takes material for the same key specs', () => {
    expect(Object.keys(IMPORT_ACCEPTANCE).sort()).toEqual([...importable].sort());
  });

  it.each(importable)('%s: the same kind of material, sizes, modulus and curve', (spec) => {
    expect(withoutOid(acceptanceOf(spec).material)).toEqual(
      asAccepted(KEY_SPEC_RULES[spec].material!),
    );
  });

  it.each(importable)('%s: the same key usages and wrapping algorithms', (spec) => {
    expect([...acceptanceOf(spec).usages].sort()).toEqual(
      [...KEY_SPEC_RULES[spec].keyUsages].sort(),
    );
    expect([...acceptanceOf(spec).algorithms].sort()).toEqual(
      [...KEY_SPEC_RULES[spec].wrappingAlgorithms].sort(),
    );
  });

  it('allows the same wrapping algorithm and wrapping key spec for every key spec', () => {
    const disagreements: string[] = [];
    for (const spec of KEY_SPECS)
      for (const algorithm of WRAPPING_ALGORITHMS)
        for (const wks of WRAPPING_KEY_SPECS) {
          const sim = acceptsWrapping(spec, algorithm, wks);
          const tools = checkWrappingCombination(spec, algorithm, wks).allowed;
          if (sim !== tools)
            disagreements.push(`${spec} ${algorithm} ${wks}: sim ${sim}, tools ${tools}`);
        }
    expect(disagreements).toEqual([]);
  });
});

describe("the simulator's curves, checked with openssl", () => {
  const curves = Object.entries(IMPORT_ACCEPTANCE).flatMap(([spec, acceptance]) =>
    acceptance.material.kind === 'ec' ? [{ spec, ...acceptance.material }] : [],
  );

  it('lists the four importable curves', () => {
    expect(curves.map((c) => c.spec).sort()).toEqual([
      'ECC_NIST_P256',
      'ECC_NIST_P384',
      'ECC_NIST_P521',
      'ECC_SECG_P256K1',
    ]);
  });

  it.each(curves)('$spec: $curve has the OID $curveOid', ({ curve, curveOid }) => {
    // openssl writes a named curve's ECParameters as the DER of its OID.
    const named = execFileSync('openssl', ['ecparam', '-name', curve, '-outform', 'DER']);
    expect(derOid(curveOid).toString('hex')).toBe(named.toString('hex'));
  });

  it('refuses a key on the right curve given with explicit parameters instead of its name', () => {
    const explicit = execFileSync('sh', [
      '-c',
      'openssl ecparam -name secp384r1 -param_enc explicit -genkey -noout | openssl pkcs8 -topk8 -nocrypt -outform DER',
    ]);
    const named = execFileSync('sh', [
      '-c',
      'openssl ecparam -name secp384r1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -outform DER',
    ]);
    expect(() => checkKeyMaterial('ECC_NIST_P384', explicit)).toThrow(/secp384r1/);
    expect(() => checkKeyMaterial('ECC_NIST_P384', named)).not.toThrow();
  });
});
