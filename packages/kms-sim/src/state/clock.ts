/** The simulator's clock: real time plus an offset that tests move forward. */
export class SimClock {
  #offsetSeconds: number;

  constructor(offsetSeconds = 0) {
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

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError('the clock only moves forward by a finite number of seconds');
    }
    this.#offsetSeconds += seconds;
  }
}
