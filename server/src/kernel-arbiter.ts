import { randomInt } from 'node:crypto';
import {
  HostArbiter,
  kernelField,
  readKernelPresence,
  type ServerKernel,
  type ServerSideKernel,
  serverField,
  type Volunteer,
} from '@candyce/protocol';
import type { Awareness } from 'y-protocols/awareness';

/** What the arbiter knows of one browser's part in the kernel. */
interface Known {
  since: number;
  clock: number;
}

/**
 * The room's referee of its shared browser kernel (see
 * @candyce/protocol's kernel-lease.ts): it reads the volunteers from the
 * room's presence states, names one host at a time, and publishes the
 * decision as the server's own presence state (`server.kernel`), which the
 * stock y-websocket client relays like any other. It also vets every
 * presence state before the room takes it ({@link admit}): no client may
 * speak as the server, a reader may not ask for runs, and only the named
 * host of the current epoch may publish a host state.
 */
export class KernelArbiter {
  private readonly arbiter = new HostArbiter(randomInt(1, 2 ** 40));
  private readonly known = new Map<number, Known>();
  private nextSince = 0;
  private timer: NodeJS.Timeout | null = null;
  private deciding = false;
  private destroyed = false;
  private published: string | null = null;
  private serverKernel: ServerSideKernel | null = null;

  constructor(
    private readonly awareness: Awareness,
    /** True when the member owning this client id may write to the room now (and so run code). */
    private readonly mayHost: (clientId: number) => boolean,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Who hosts now, as published. */
  current(): ServerKernel {
    return this.arbiter.current();
  }

  /**
   * Returns the JSON to keep of a presence state the member owning
   * `clientId` sent (`writer`: it may write now): the same string when
   * nothing is to drop, else the state without what it may not say.
   */
  admit(clientId: number, json: string, state: unknown, writer: boolean): string {
    if (state === null || typeof state !== 'object' || Array.isArray(state)) return json;
    const record = state as Record<string, unknown>;
    if (!(serverField in record) && !(kernelField in record)) return json;
    const kept = { ...record };
    delete kept[serverField];
    if (kernelField in kept) {
      const presence = readKernelPresence(kept);
      if (!writer || presence === null) delete kept[kernelField];
      else if (presence.host) {
        const current = this.arbiter.current();
        if (current.host !== clientId || presence.host.epoch !== current.epoch)
          kept[kernelField] = { ...(kept[kernelField] as object), host: null };
      }
    }
    return JSON.stringify(kept);
  }

  /** Call after presence states changed (any id): re-decides who hosts. */
  changed(ids: Iterable<number>): void {
    const states = this.awareness.getStates();
    const meta = this.awareness.meta;
    for (const id of ids) {
      if (id === this.awareness.clientID) continue;
      const present = states.has(id);
      const presence = present ? readKernelPresence(states.get(id)) : null;
      // A browser that says it no longer takes part knows it: its kernel is handed over at once.
      if (present && !presence?.can) this.arbiter.left(id, true);
      if (presence?.can) {
        const known = this.known.get(id);
        const clock = meta.get(id)?.clock ?? 0;
        if (known) known.clock = clock;
        else this.known.set(id, { since: this.nextSince++, clock });
      } else this.known.delete(id);
    }
    this.decide();
  }

  /** The states `ids` are leaving with their connection: `clean` when the browser closed it itself. */
  left(ids: Iterable<number>, clean: boolean): void {
    for (const id of ids) this.arbiter.left(id, clean);
  }

  /** Publishes the state of the room's kernel on the server (`kernel="server"`), beside the browser host record. */
  setServerKernel(kernel: ServerSideKernel | null): void {
    this.serverKernel = kernel;
    if (!this.destroyed) this.publish();
  }

  /** Stops the timer; the room is going away. */
  destroy(): void {
    this.destroyed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private decide(): void {
    if (this.deciding || this.destroyed) return;
    this.deciding = true;
    try {
      const states = this.awareness.getStates();
      const hostId = this.arbiter.current().host;
      const hostState = hostId === null ? null : readKernelPresence(states.get(hostId))?.host;
      const volunteers = new Map<number, Volunteer>();
      for (const [id, known] of this.known) {
        const presence = readKernelPresence(states.get(id));
        if (!presence?.can || !this.mayHost(id)) continue;
        const taken = hostState?.taken[String(id)] ?? -1;
        volunteers.set(id, {
          clientId: id,
          clock: known.clock,
          since: known.since,
          pending: presence.req.some((ask) => ask.s > taken),
          host: presence.host,
        });
      }
      const now = this.now();
      this.arbiter.decide(volunteers, now);
      this.publish();
      this.arm(now);
    } finally {
      this.deciding = false;
    }
  }

  private publish(): void {
    const record = this.arbiter.current();
    const said = { kernel: record, ...(this.serverKernel ? { serverKernel: this.serverKernel } : {}) };
    const json = JSON.stringify(said);
    // Nobody ever hosted here and no server kernel ran: the server says nothing (rooms without code stay quiet).
    if (json === this.published || (this.published === null && record.host === null && !this.serverKernel))
      return;
    this.published = json;
    this.awareness.setLocalState({ [serverField]: said });
  }

  private arm(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const wait = this.arbiter.untilExpiry(now);
    if (wait === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.decide();
    }, wait + 10);
    this.timer.unref();
  }
}
