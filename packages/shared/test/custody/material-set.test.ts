import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MATERIAL_SET_MAX_CHARS,
  parseMaterialSet,
  serializeMaterialSet,
  serializeMaterialSetBytes,
} from '../../src/custody/material-set.js';
import { sampleSet } from './helpers.js';

interface MaterialSetDoc {
  [field: string]: unknown;
  groups: { kcv: string; material: string; keySpec: string; keyArns: string[] }[];
}

function refusal(text: string): { code: string; message: string } {
  try {
    parseMaterialSet(text);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('accepted');
}

describe('material set format', () => {
  it('serializes to bytes without a string of the material: the same bytes as the UTF-8 text', () => {
    for (let n = 0; n < 40; n++) {
      const set = sampleSet();
      // Every padding case of base64 (length mod 3), and no group at all.
      const groups = set.groups.map((g, i) => ({
        ...g,
        material: randomBytes(1 + ((n + i) % 7) * 11),
      }));
      const sized = { ...set, groups: n === 0 ? [] : groups };
      const bytes = serializeMaterialSetBytes(sized);
      expect(Buffer.from(bytes).equals(Buffer.from(serializeMaterialSet(sized), 'utf8'))).toBe(
        true,
      );
    }
  });

  it('round-trips every field and the material bytes', () => {
    const set = sampleSet();
    const parsed = parseMaterialSet(serializeMaterialSet(set));
    expect(parsed.ceremonyId).toBe(set.ceremonyId);
    expect(parsed.groups.map((g) => [g.materialGroup, g.keySpec, g.keyArns, g.kcv])).toEqual(
      set.groups.map((g) => [g.materialGroup, g.keySpec, g.keyArns, g.kcv]),
    );
    expect(
      Buffer.from(parsed.groups[1]!.material).equals(Buffer.from(set.groups[1]!.material)),
    ).toBe(true);
  });

  it('names every bad field by path, never the material', () => {
    const doc = JSON.parse(serializeMaterialSet(sampleSet())) as MaterialSetDoc;
    doc['extra'] = 1;
    doc.groups[0]!.kcv = 'abc';
    doc.groups[1]!.material = Buffer.alloc(31).toString('base64');
    doc.groups[1]!.keyArns.push(doc.groups[0]!.keyArns[0]!);
    const error = refusal(JSON.stringify(doc));
    expect(error.code).toBe('ERR_MATERIAL_SET_INVALID');
    expect(error.message).toContain('$.extra: unknown field');
    expect(error.message).toContain('$.groups[0].kcv');
    expect(error.message).toContain(
      '$.groups[1].material: must be 32–128 bytes for HMAC_256, got 31',
    );
    expect(error.message).toContain('$.groups[1].keyArns[2]: names a key that another entry names');
  });

  it('refuses a duplicate key, another version, a wrong format, private keys that are not DER, and oversize text', () => {
    const text = serializeMaterialSet(sampleSet());
    expect(refusal(text.replace('"version": 1,', '"version": 1, "version": 1,')).message).toMatch(
      /duplicate-key/,
    );
    expect(refusal(text.replace('"version": 1', '"version": 2')).message).toMatch(
      /version: is not a version/,
    );
    expect(refusal(text.replace('material-set', 'wrapped-keys')).message).toMatch(/\$\.format/);
    const doc = JSON.parse(text) as MaterialSetDoc;
    doc.groups[0]!.keySpec = 'ECC_NIST_P256';
    expect(refusal(JSON.stringify(doc)).message).toMatch(
      /PKCS#8 DER private key for ECC_NIST_P256/,
    );
    doc.groups[0]!.keySpec = 'ML_DSA_44';
    expect(refusal(JSON.stringify(doc)).message).toMatch(/takes no imported material/);
    expect(refusal(' '.repeat(MATERIAL_SET_MAX_CHARS + 1)).message).toMatch(/more than the/);
    expect(refusal('{"format":').code).toBe('ERR_MATERIAL_SET_INVALID');
  });
});
