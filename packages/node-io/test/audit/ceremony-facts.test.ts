import { describe, expect, it } from 'vitest';
import { ByokError } from '@byok-ceremony/shared';
import {
  FactsBuilder,
  factsOfFailure,
  mergeFacts,
  withFailureFacts,
} from '../../src/audit/ceremony-facts.js';

describe('mergeFacts', () => {
  it('appends lists, merges labels (the later wins) and lets a later piece replace the keys', () => {
    const merged = mergeFacts(
      {
        exceptions: ['single-operator'],
        inputs: { requestFile: 'a' },
        keys: [{ keyArn: 'arn:one' }],
        kmsRequestIds: ['r1'],
        written: ['/x'],
      },
      {
        exceptions: ['raw-mode'],
        inputs: { request: 'b', requestFile: 'c' },
        keys: [{ keyArn: 'arn:one', kcv: 'ABCDEF' }],
        kmsRequestIds: ['r2'],
        peerLogHead: null,
        written: ['/y'],
      },
    );
    expect(merged).toEqual({
      exceptions: ['single-operator', 'raw-mode'],
      inputs: { requestFile: 'c', request: 'b' },
      keys: [{ keyArn: 'arn:one', kcv: 'ABCDEF' }],
      kmsRequestIds: ['r1', 'r2'],
      peerLogHead: null,
      written: ['/x', '/y'],
    });
  });

  it('keeps what the later piece does not name', () => {
    expect(mergeFacts({ keys: [{ keyArn: 'arn:one' }], peerLogHead: 'h' }, {})).toEqual({
      keys: [{ keyArn: 'arn:one' }],
      peerLogHead: 'h',
    });
  });
});

describe('FactsBuilder.run', () => {
  it('a failure leaves as the same error, carrying the facts gathered so far and those it carried', async () => {
    const failure = new ByokError('ERR_KMS', 'no answer');
    const facts = new FactsBuilder();
    facts.add({ checkCodes: { request: 'CODE' } });
    const attempt = facts.run(() =>
      Promise.reject(withFailureFacts(failure, { keys: [{ keyArn: 'arn:one' }] })),
    );
    await expect(attempt).rejects.toBe(failure);
    expect(factsOfFailure(failure)).toEqual({
      checkCodes: { request: 'CODE' },
      keys: [{ keyArn: 'arn:one' }],
    });
    // Not enumerable: the error prints and serialises as before.
    expect(JSON.stringify(failure)).not.toContain('CODE');
  });

  it('an error no operation caught carries nothing', () => {
    expect(factsOfFailure(new Error('x'))).toEqual({});
    expect(factsOfFailure('x')).toEqual({});
  });
});
