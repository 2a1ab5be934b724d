import { KmsError } from '../errors.js';

/** Injected faults: `throttle=0.1,internal=0.05,reset=0.02,latency=50ms`. */
export interface FaultSpec {
  throttle: number;
  internal: number;
  reset: number;
  latencyMs: number;
}

export class FaultSyntaxError extends Error {
  override readonly name = 'FaultSyntaxError';
}

const PROBABILITIES = ['throttle', 'internal', 'reset'] as const;

export function parseFaults(text: string | undefined): FaultSpec {
  const spec: FaultSpec = { throttle: 0, internal: 0, reset: 0, latencyMs: 0 };
  if (text === undefined || text.trim() === '') return spec;
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const match = /^\s*([a-z]+)\s*=\s*([^\s]+)\s*$/.exec(part);
    if (match === null) throw new FaultSyntaxError(`fault '${part}' is not NAME=VALUE`);
    const [, name, value] = match as unknown as [string, string, string];
    if (seen.has(name)) throw new FaultSyntaxError(`fault '${name}' is given twice`);
    seen.add(name);
    if (name === 'latency') {
      const latency = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(value);
      if (latency === null)
        throw new FaultSyntaxError(`latency '${value}' must be a duration like 50ms or 1s`);
      spec.latencyMs = Number(latency[1]) * (latency[2] === 's' ? 1000 : 1);
      continue;
    }
    if (!(PROBABILITIES as readonly string[]).includes(name)) {
      throw new FaultSyntaxError(
        `unknown fault '${name}'; known faults: throttle, internal, reset, latency`,
      );
    }
    const probability = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || !(probability >= 0 && probability <= 1)) {
      throw new FaultSyntaxError(
        `fault '${name}' needs a probability between 0 and 1, not '${value}'`,
      );
    }
    spec[name as (typeof PROBABILITIES)[number]] = probability;
  }
  if (spec.throttle + spec.internal + spec.reset > 1) {
    throw new FaultSyntaxError('the fault probabilities add up to more than 1');
  }
  return spec;
}

/** mulberry32: a small seeded PRNG, so a seeded run injects the same faults in the same order. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FaultDecision = 'none' | 'throttle' | 'internal' | 'reset';

/** One draw per request decides its fault, so the sequence depends only on the seed. */
export function decideFault(spec: FaultSpec, random: () => number): FaultDecision {
  if (spec.throttle + spec.internal + spec.reset === 0) return 'none';
  const draw = random();
  if (draw < spec.reset) return 'reset';
  if (draw < spec.reset + spec.throttle) return 'throttle';
  if (draw < spec.reset + spec.throttle + spec.internal) return 'internal';
  return 'none';
}

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/** Waits the injected latency, then draws the request's fault. */
export async function injectFault(spec: FaultSpec, random: () => number): Promise<FaultDecision> {
  if (spec.latencyMs > 0) await delay(spec.latencyMs);
  return decideFault(spec, random);
}

/** The error an injected throttle or internal fault answers with, as KMS words it. */
export function faultError(fault: 'throttle' | 'internal'): KmsError {
  return fault === 'throttle'
    ? new KmsError('ThrottlingException', 'Rate exceeded')
    : new KmsError(
        'KMSInternalException',
        'The request was rejected because an internal exception occurred. (injected fault)',
        500,
      );
}
