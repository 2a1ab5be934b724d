import {
  KEY_SPECS,
  KEY_SPEC_RULES,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  checkWrappingCombination,
  isImportableKeySpec,
} from '@byok-ceremony/shared';
import { describe, expect, it } from 'vitest';
import { IMPORT_ACCEPTANCE, acceptsWrapping } from '../src/model/import-acceptance.js';

// The simulator's table is written from the Developer Guide; the tools' table is packages/shared's.
describe("the simulator's import acceptance, written apart from the tools' rules, agrees with them", () => {
  it('takes material for the same key specs, with the same usages', () => {
    const importable = KEY_SPECS.filter(isImportableKeySpec);
    expect(Object.keys(IMPORT_ACCEPTANCE).sort()).toEqual([...importable].sort());
    for (const spec of importable)
      expect([...IMPORT_ACCEPTANCE[spec]!.usages].sort()).toEqual(
        [...KEY_SPEC_RULES[spec].keyUsages].sort(),
      );
  });

  it('allows the same wrapping algorithm and wrapping key spec for every key spec', () => {
    const disagreements: string[] = [];
    for (const spec of KEY_SPECS.filter(isImportableKeySpec))
      for (const algorithm of WRAPPING_ALGORITHMS)
        for (const wks of WRAPPING_KEY_SPECS) {
          const sim = acceptsWrapping(spec, algorithm, wks);
          const tools = checkWrappingCombination(spec, algorithm, wks).allowed;
          if (sim !== tools)
            disagreements.push(`${spec} ${algorithm} ${wks}: sim ${sim}, tools ${tools}`);
        }
    expect(disagreements).toEqual([]);
  });

  it('takes the same sizes of symmetric and HMAC material', () => {
    for (const spec of KEY_SPECS.filter(isImportableKeySpec)) {
      const sim = IMPORT_ACCEPTANCE[spec]!.material;
      const tools = KEY_SPEC_RULES[spec].material!;
      if (tools.kind === 'symmetric')
        expect(sim).toEqual({ kind: 'secret', minBytes: tools.bytes, maxBytes: tools.bytes });
      else if (tools.kind === 'hmac')
        expect(sim).toEqual({ kind: 'secret', minBytes: tools.minBytes, maxBytes: tools.maxBytes });
      else expect(sim.kind).not.toBe('secret');
    }
  });
});
