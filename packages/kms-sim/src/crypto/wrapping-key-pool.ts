import { generateKeyPair } from 'node:crypto';
import type { WrappingKeySpec } from '@byok-ceremony/shared';

export interface WrappingKeyPair {
  publicKeyDer: Buffer;
  privateKeyDer: Buffer;
}

const MODULUS_BITS: Record<WrappingKeySpec, number> = {
  RSA_2048: 2048,
  RSA_3072: 3072,
  RSA_4096: 4096,
};

function generate(spec: WrappingKeySpec): Promise<WrappingKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: MODULUS_BITS[spec],
        publicKeyEncoding: { type: 'spki', format: 'der' },
        privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      },
      (error, publicKeyDer, privateKeyDer) => {
        if (error !== null) reject(error);
        else resolve({ publicKeyDer, privateKeyDer });
      },
    );
  });
}

/**
 * Fresh RSA wrapping key pairs, a few kept ready per spec so GetParametersForImport answers
 * fast even for RSA_4096. One background generation at a time, so a 2-core machine is not
 * starved; a spec's pool starts filling on its first request (RSA_4096 at start).
 */
export class WrappingKeyPool {
  readonly #ready = new Map<WrappingKeySpec, WrappingKeyPair[]>();
  readonly #wanted = new Set<WrappingKeySpec>();
  readonly #enabled: boolean;
  readonly #target: number;
  #filling = false;
  #closed = false;

  constructor(options: { enabled: boolean; target?: number }) {
    this.#enabled = options.enabled;
    this.#target = options.target ?? 2;
  }

  /** Starts keeping keys of this spec ready. */
  warm(spec: WrappingKeySpec): void {
    if (!this.#enabled || this.#closed) return;
    this.#wanted.add(spec);
    this.#fill();
  }

  /** A key pair no one else gets. */
  async take(spec: WrappingKeySpec): Promise<WrappingKeyPair> {
    const ready = this.#ready.get(spec);
    const pair = ready?.shift();
    this.warm(spec);
    return pair ?? generate(spec);
  }

  close(): void {
    this.#closed = true;
    for (const pairs of this.#ready.values()) for (const pair of pairs) pair.privateKeyDer.fill(0);
    this.#ready.clear();
  }

  #fill(): void {
    if (this.#filling || this.#closed) return;
    const spec = [...this.#wanted].find((s) => (this.#ready.get(s)?.length ?? 0) < this.#target);
    if (spec === undefined) return;
    this.#filling = true;
    generate(spec).then(
      (pair) => {
        this.#filling = false;
        if (this.#closed) {
          pair.privateKeyDer.fill(0);
          return;
        }
        const ready = this.#ready.get(spec) ?? [];
        ready.push(pair);
        this.#ready.set(spec, ready);
        this.#fill();
      },
      () => {
        this.#filling = false;
      },
    );
  }
}
