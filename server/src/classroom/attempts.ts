/**
 * Counts wrong join and pair codes per client address over a sliding minute,
 * so that codes cannot be guessed by brute force. The limit is high enough
 * for a whole class behind one school address making typing mistakes.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    /** Wrong codes allowed per address per window. */
    private readonly limit = 60,
    private readonly windowMs = 60_000,
  ) {}

  /** True when `address` made too many wrong attempts in the last window. */
  blocked(address: string, now = Date.now()): boolean {
    return this.recent(address, now).length >= this.limit;
  }

  /** Records one wrong attempt of `address`. */
  fail(address: string, now = Date.now()): void {
    const times = this.recent(address, now);
    times.push(now);
    this.failures.set(address, times);
    // Forget addresses that went quiet, so the map stays small.
    if (this.failures.size > 10_000)
      for (const [key, list] of this.failures)
        if ((list.at(-1) ?? 0) < now - this.windowMs) this.failures.delete(key);
  }

  private recent(address: string, now: number): number[] {
    const times = (this.failures.get(address) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.failures.delete(address);
    else this.failures.set(address, times);
    return times;
  }
}
