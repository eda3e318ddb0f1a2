/**
 * Counts wrong join and pair codes per key over a sliding minute, so that
 * codes cannot be guessed by brute force. Each key has its own limit (see
 * {@link attemptKeys}): a pupil's browser, the school's address as a whole,
 * or the token of a pupil who already joined.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    /** Wrong codes allowed per browser (or per token subject) per window. */
    readonly limit = 60,
    private readonly windowMs = 60_000,
    /**
     * Wrong codes allowed per address per window, over every browser behind
     * it: a ceiling for a guesser who makes up a new browser id each time.
     */
    readonly addressLimit = 10 * limit,
  ) {}

  /**
   * True when one of `keys` made as many wrong attempts in the last window as
   * its limit (a plain string is a key with the per-browser limit).
   */
  blocked(keys: string | readonly AttemptKey[], now = Date.now()): boolean {
    return this.keysOf(keys).some(({ key, limit }) => this.recent(key, now).length >= limit);
  }

  /** Records one wrong attempt against each of `keys`. */
  fail(keys: string | readonly AttemptKey[], now = Date.now()): void {
    for (const { key } of this.keysOf(keys)) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.set(key, times);
    }
    // Forget keys that went quiet, so the map stays small.
    if (this.failures.size > 10_000)
      for (const [key, list] of this.failures)
        if ((list.at(-1) ?? 0) < now - this.windowMs) this.failures.delete(key);
  }

  private keysOf(keys: string | readonly AttemptKey[]): readonly AttemptKey[] {
    return typeof keys === 'string' ? [{ key: keys, limit: this.limit }] : keys;
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }
}

/** One counter a join attempt is checked and counted against. */
export interface AttemptKey {
  readonly key: string;
  readonly limit: number;
}

const devicePattern = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * The counters of one join attempt. A pupil who already holds a token (a
 * returning pupil, a partner joining a pair) is counted by its subject, so a
 * guesser behind the same address does not lock them out. An anonymous
 * attempt is counted by browser (the random `X-Candyce-Device` id the join
 * page keeps; attempts without one share one counter per address) and by
 * address with a ceiling ten times higher: the rest of a class behind one
 * NAT keeps joining while one browser guesses. Every attempt also counts
 * in its address's ceiling, so fresh tokens or browser ids do not multiply guesses.
 */
export const attemptKeys = (
  limiter: AttemptLimiter,
  subject: string | null,
  address: string,
  device: string | string[] | undefined,
): AttemptKey[] => {
  const ceiling = { key: `addr ${address}`, limit: limiter.addressLimit };
  if (subject !== null) return [{ key: `sub ${subject}`, limit: limiter.limit }, ceiling];
  const browser = typeof device === 'string' && devicePattern.test(device) ? device : '';
  return [{ key: `dev ${address} ${browser}`, limit: limiter.limit }, ceiling];
};
