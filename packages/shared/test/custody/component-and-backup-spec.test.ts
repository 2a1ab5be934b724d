import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertBackupSpecsCombine, parseBackupSpec } from '../../src/custody/backup-spec.js';
import {
  formatComponentFile,
  parseComponentFile,
  parseComponentHex,
  type ComponentFile,
} from '../../src/custody/component-file.js';
import { isSameKeyOrReplica } from '../../src/custody/key-arn-match.js';
import { sha256 } from './helpers.js';

const RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

describe('component file', () => {
  const component: ComponentFile = {
    ceremonyId: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f',
    materialGroup: 'k1',
    keySpec: 'SYMMETRIC_DEFAULT',
    index: 1,
    count: 2,
    componentKcv: '0A0B0C',
    keyKcv: '112233',
    component: randomBytes(32),
  };
  it('round-trips, and refuses a changed character and the wrong length', () => {
    const text = formatComponentFile(component, sha256);
    expect(
      Buffer.from(parseComponentFile(text, sha256).component).equals(
        Buffer.from(component.component),
      ),
    ).toBe(true);
    const changed = text.replace('key-kcv: 112233', 'key-kcv: 112234');
    expect(() => parseComponentFile(changed, sha256)).toThrow(/fails its check/);
    const short = formatComponentFile({ ...component, component: randomBytes(31) }, sha256);
    expect(() => parseComponentFile(short, sha256)).toThrow(
      /components are 32 bytes \(64 hex digits\), got 31/,
    );
    const rsa = formatComponentFile({ ...component, keySpec: 'RSA_2048' }, sha256);
    expect(() => parseComponentFile(rsa, sha256)).toThrow(/cannot be split into XOR components/);
  });
  it('reads typed hex with spaces and dashes, and refuses other text', () => {
    expect(parseComponentHex('0a0B 0c-0d')).toEqual(Uint8Array.of(10, 11, 12, 13));
    expect(parseComponentHex('0a0')).toBeUndefined();
    expect(parseComponentHex('zz')).toBeUndefined();
  });
});

describe('--backup', () => {
  it('parses the three schemes and refuses the rest', () => {
    expect(parseBackupSpec('shamir:2-of-3')).toEqual({ kind: 'shamir', threshold: 2, shares: 3 });
    expect(parseBackupSpec(`age:${RECIPIENT}`)).toEqual({
      kind: 'age-recipient',
      recipient: RECIPIENT,
    });
    expect(parseBackupSpec('age:passphrase')).toEqual({ kind: 'age-passphrase' });
    for (const bad of [
      'shamir:1-of-3',
      'shamir:4-of-3',
      'shamir:2-of-256',
      'age:age1xyz',
      'tape',
      'shamir:2of3',
    ])
      expect(() => parseBackupSpec(bad), bad).toThrow(
        expect.objectContaining({ code: 'ERR_USAGE' }),
      );
  });
  it('combines recipients and one split, but not a passphrase with recipients or two splits', () => {
    const s = parseBackupSpec('shamir:2-of-3');
    const r = parseBackupSpec(`age:${RECIPIENT}`);
    const p = parseBackupSpec('age:passphrase');
    expect(() => assertBackupSpecsCombine([s, r])).not.toThrow();
    expect(() => assertBackupSpecsCombine([s, p])).not.toThrow();
    expect(() => assertBackupSpecsCombine([r, p])).toThrow(/cannot go into one age file/);
    expect(() => assertBackupSpecsCombine([s, s])).toThrow(/once/);
    expect(() => assertBackupSpecsCombine([r, r])).toThrow(/named twice/);
  });
});

describe('isSameKeyOrReplica', () => {
  const mrk = 'arn:aws:kms:eu-west-2:111122223333:key/mrk-0123456789abcdef0123456789abcdef';
  it('matches the same key and multi-Region replicas only', () => {
    expect(isSameKeyOrReplica(mrk, mrk.replace('eu-west-2', 'us-east-1'))).toBe(true);
    expect(isSameKeyOrReplica(mrk, mrk.replace('111122223333', '444455556666'))).toBe(false);
    const single = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(isSameKeyOrReplica(single, single.replace('eu-west-2', 'us-east-1'))).toBe(false);
  });
});
