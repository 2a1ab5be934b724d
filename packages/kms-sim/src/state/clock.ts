/** How far ahead of real time the clock may go: 100 years, so every date stays a valid Date. */
export const MAX_CLOCK_OFFSET_SECONDS = 100 * 365 * 24 * 3600;

function checkOffset(seconds: number, what: string): void {
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_CLOCK_OFFSET_SECONDS) {
    throw new RangeError(
      `${what} must be a finite number of seconds from 0 to ${MAX_CLOCK_OFFSET_SECONDS}, not ${seconds}`,
    );
  }
}

/** The simulator's clock: real time plus an offset that tests move forward. */
export class SimClock {
  #offsetSeconds: number;

  constructor(offsetSeconds = 0) {
    checkOffset(offsetSeconds, 'the clock offset');
    this.#offsetSeconds = offsetSeconds;
  }

  get offsetSeconds(): number {
    return this.#offsetSeconds;
  }

  /** Simulated now, in epoch milliseconds. */
  nowMs(): number {
    return Date.now() + this.#offsetSeconds * 1000;
  }

  /** Simulated now, in epoch seconds (fractional, as KMS timestamps are). */
  nowSeconds(): number {
    return this.nowMs() / 1000;
  }

  /** Moves the clock forward; it never moves back. */
  advance(seconds: number): void {
    checkOffset(seconds, 'the clock only moves forward, and the step');
    checkOffset(this.#offsetSeconds + seconds, 'the clock offset after the step');
    this.#offsetSeconds += seconds;
  }
}
