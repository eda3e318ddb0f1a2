// Who hosts a room's shared browser kernel. The server alone decides (one
// arbiter per room, fed by the presence states it relays); a browser hosts
// only while it holds a lease that ends before the server could name anyone
// else. The lease needs no shared clock: the host counts from when it *sent*
// the beat the server echoed, which is before the server heard it, so its
// lease always ends first (clock rates aside, which the margin covers).

import { type HostState, hostLeaseMs, hostMarginMs, type ServerKernel } from './kernel-host.js';

/** One browser that can host, as the server sees it. */
export interface Volunteer {
  readonly clientId: number;
  /** The presence clock of its state: it changes whenever the browser speaks. */
  readonly clock: number;
  /** When it started volunteering (any increasing number): the earliest is chosen first. */
  readonly since: number;
  /** True when it asks for runs that nobody has taken yet. */
  readonly pending: boolean;
  /** What it publishes as host, if anything. */
  readonly host: HostState | null;
}

/**
 * The server's side: one per room. Feed it the room's volunteers at every
 * presence change and on a timer ({@link decide}); tell it when a
 * connection's states leave ({@link left}). It keeps one host at a time:
 *
 * - a new host is chosen when there is none: a volunteer that waits for a
 *   run first, else the one that volunteered first; a new host gets a new epoch;
 * - the host keeps the kernel while it beats; it loses it when the server
 *   has not heard a beat for {@link hostLeaseMs}, when it stops volunteering,
 *   or at once when its connection closed cleanly (the browser closed it, so
 *   it knows). A connection that vanished (no close frame) keeps the lease
 *   to its end: that browser may still believe it hosts;
 * - a host that lost its lease while still present is not chosen again until
 *   it speaks again (a new presence clock), so a frozen tab does not get the
 *   kernel back.
 */
export class HostArbiter {
  private host: number | null = null;
  private epoch: number;
  private beat = -1;
  private heard = 0;
  private ran = 0;
  private lost = false;
  private cleanlyGone = false;
  /** The host whose lease ran out unheard (cut off, not gone): preferred when it is back. */
  private previous: number | null = null;
  private readonly silent = new Map<number, number>();

  constructor(
    /** The first epoch minus one: random per process, so that a restarted server never repeats an epoch. */
    epochBase: number,
    private readonly leaseMs = hostLeaseMs,
  ) {
    this.epoch = epochBase;
  }

  /** The record to publish. */
  current(): ServerKernel {
    return { host: this.host, epoch: this.epoch, beat: this.beat, lost: this.lost };
  }

  /** The states of `clientId` left the room: cleanly (a close frame) or not. */
  left(clientId: number, clean: boolean): void {
    if (clientId === this.host && clean) this.cleanlyGone = true;
    this.silent.delete(clientId);
  }

  /** Re-decides who hosts at time `now` (milliseconds); returns true when the record changed. */
  decide(volunteers: ReadonlyMap<number, Volunteer>, now: number): boolean {
    let changed = false;
    if (this.host !== null) {
      const v = volunteers.get(this.host);
      if (v?.host && v.host.epoch === this.epoch) {
        // What the kernel holds is read from every state of the host, not only from new beats.
        const lost = v.host.lost !== null;
        if (v.host.ran !== this.ran || lost !== this.lost) changed = true;
        this.ran = v.host.ran;
        // The host says when the variables are back (a re-run); until then they stay lost.
        this.lost = lost;
        if (v.host.beat > this.beat) {
          this.beat = v.host.beat;
          this.heard = now;
          changed = true;
        }
      }
      const expired = now - this.heard >= this.leaseMs;
      if ((v === undefined && this.cleanlyGone) || expired) {
        if (v && expired) this.silent.set(v.clientId, v.clock);
        this.lost = this.lost || this.ran > 0;
        this.previous = this.cleanlyGone ? null : this.host;
        this.host = null;
        changed = true;
      }
    }
    for (const [id, clock] of this.silent) {
      const v = volunteers.get(id);
      if (!v || v.clock !== clock) this.silent.delete(id);
    }
    if (this.host === null) {
      let best: Volunteer | null = null;
      for (const v of volunteers.values()) {
        if (this.silent.has(v.clientId)) continue;
        // The last host, back on a new connection, still holds the variables: it comes first.
        if (v.clientId === this.previous) {
          best = v;
          break;
        }
        if (
          best === null ||
          (v.pending && !best.pending) ||
          (v.pending === best.pending && v.since < best.since)
        )
          best = v;
      }
      if (best) {
        this.previous = null;
        this.host = best.clientId;
        this.epoch += 1;
        this.beat = -1;
        this.heard = now;
        this.ran = 0;
        this.cleanlyGone = false;
        changed = true;
      }
    }
    return changed;
  }

  /** Milliseconds until the host's lease ends unheard (when {@link decide} must run again), or null without a host. */
  untilExpiry(now: number): number | null {
    return this.host === null ? null : Math.max(0, this.heard + this.leaseMs - now);
  }
}

/**
 * A browser's side: whether it may run the room's kernel now. It hosts from
 * the server's first echo of one of its beats until {@link hostLeaseMs} minus
 * {@link hostMarginMs} after it sent the last echoed beat, and never while
 * disconnected (the caller checks that) or named no longer.
 */
export class HostLease {
  private epoch = -1;
  private beat = -1;
  private until = Number.NEGATIVE_INFINITY;
  private readonly sent = new Map<number, number>();

  constructor(
    private readonly leaseMs = hostLeaseMs,
    private readonly marginMs = hostMarginMs,
  ) {}

  /** The epoch this browser was named host for, or -1. */
  get hostEpoch(): number {
    return this.epoch;
  }

  /** Takes in the server's record: whether it names `me`, and which beat it heard. */
  serverSaid(record: ServerKernel, me: number): void {
    if (record.host !== me) {
      this.reset();
      return;
    }
    if (record.epoch !== this.epoch) {
      this.reset();
      this.epoch = record.epoch;
    }
    const at = this.sent.get(record.beat);
    if (at === undefined) return;
    this.until = Math.max(this.until, at + this.leaseMs - this.marginMs);
    for (const beat of this.sent.keys()) if (beat <= record.beat) this.sent.delete(beat);
  }

  /** Returns the next beat to publish, sent at `now`; null when not named host. */
  nextBeat(now: number): number | null {
    if (this.epoch < 0) return null;
    this.beat += 1;
    this.sent.set(this.beat, now);
    // Beats the server never echoed (lost) are forgotten after a while.
    if (this.sent.size > 16) this.sent.delete(this.sent.keys().next().value as number);
    return this.beat;
  }

  /** True while this browser holds the kernel at `now`. */
  holds(now: number): boolean {
    return this.epoch >= 0 && now < this.until;
  }

  /**
   * Forgets the lease (disconnected, or named no longer). Beats keep
   * counting up: a host that reconnects before its lease ended goes on
   * beating in the same epoch, and the server takes those beats as new.
   */
  reset(): void {
    this.epoch = -1;
    this.until = Number.NEGATIVE_INFINITY;
    this.sent.clear();
  }
}
