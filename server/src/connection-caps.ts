import { isIP } from 'node:net';

// Long-lived connections (WebSockets and event streams) each hold a file
// descriptor and memory for as long as the client likes. Without a cap, one
// pupil's page opening streams in a loop exhausts the descriptors and every
// other connection fails. They are counted here per token subject, per
// client address and overall.

/** The caps; see `Limits` in config.ts for their meaning and defaults. */
export interface CapLimits {
  readonly maxConnectionsPerSubject: number;
  readonly maxConnectionsPerAddress: number;
  readonly maxConnections: number;
}

/** Why a connection was refused: an HTTP status for a refusal before the upgrade, and a sentence. */
export interface CapRefusal {
  readonly status: 429 | 503;
  readonly error: string;
  readonly code: 'too-many-connections' | 'server-full';
}

/** A held slot; `release` (idempotent) gives it back. */
export interface Slot {
  release(): void;
  /** Counts the slot against `subject` too; returns a refusal (and counts nothing) when it is over its cap. */
  claimSubject(subject: string): CapRefusal | null;
}

const loopback = (address: string): boolean =>
  address === '::1' || (isIP(address) === 4 && address.startsWith('127.'));

/**
 * Counts the long-lived connections of a server. The address cap does not
 * apply to loopback peers (this machine, or a reverse proxy on it that is not
 * named in CANDYCE_TRUSTED_PROXY, through which a whole school would come).
 */
export class ConnectionCaps {
  private total = 0;
  private readonly byAddress = new Map<string, number>();
  private readonly bySubject = new Map<string, number>();

  constructor(private readonly limits: CapLimits) {}

  /** Open connections now. */
  get size(): number {
    return this.total;
  }

  /** Takes a slot for a connection from `address`, or returns why not. */
  take(address: string): Slot | CapRefusal {
    if (this.total >= this.limits.maxConnections)
      return {
        status: 503,
        error: `The server is full (${this.limits.maxConnections} connections); try again in a moment`,
        code: 'server-full',
      };
    const counted = !loopback(address);
    if (counted && (this.byAddress.get(address) ?? 0) >= this.limits.maxConnectionsPerAddress)
      return {
        status: 429,
        error: `Too many connections from one address (${this.limits.maxConnectionsPerAddress}); close some pages`,
        code: 'too-many-connections',
      };
    this.total++;
    if (counted) bump(this.byAddress, address, 1);
    let subject: string | null = null;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        if (counted) bump(this.byAddress, address, -1);
        if (subject !== null) bump(this.bySubject, subject, -1);
      },
      claimSubject: (sub) => {
        if (released || subject !== null) return null;
        if ((this.bySubject.get(sub) ?? 0) >= this.limits.maxConnectionsPerSubject)
          return {
            status: 429,
            error: `Too many connections for one user (${this.limits.maxConnectionsPerSubject}); close some pages`,
            code: 'too-many-connections',
          };
        subject = sub;
        bump(this.bySubject, sub, 1);
        return null;
      },
    };
  }
}

const bump = (map: Map<string, number>, key: string, by: number): void => {
  const next = (map.get(key) ?? 0) + by;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
};

/** True when `take` refused. */
export const isRefusal = (value: Slot | CapRefusal): value is CapRefusal => 'status' in value;
