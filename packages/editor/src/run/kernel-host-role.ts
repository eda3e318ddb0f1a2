import { appendOutput, cellIdOf, cellsOf, cellTypeOf, setExecutionState } from '@candyce/model';
import {
  type HostActNotice,
  type HostState,
  type InputAsk,
  type LostReason,
  maxShownQueue,
  readKernelPresence,
} from '@candyce/protocol';
import type * as Y from 'yjs';
import type { CellRunner, InputHandler, InputRequest, KernelLoad, RunState } from './cell-runner.js';
import { codeCellsBelow, executedInOrder } from './executed-order.js';

/** Browsers whose requests and acts a host remembers (the protocol's bound on those maps). */
const maxRemembered = 64;

/** What the host role needs from its runner. */
export interface KernelHostRoleOptions {
  doc: Y.Doc;
  /** This browser's presence client id. */
  me: number;
  /** Makes this browser's kernel, with the input handler to give it. */
  makeLocal: (input: InputHandler) => CellRunner;
  /** Asks this browser's user (their own runs, and every run while offline). */
  askHere: InputHandler;
  /** Written into a cell whose run ended with its host's departure. */
  orphanNotice: string;
  /** Called when what the host publishes changed. */
  changed: () => void;
  /** Called with the local kernel's start as it changes. */
  load: (load: KernelLoad) => void;
}

const nameOf = (state: unknown): string => {
  const user = (state as { user?: { name?: unknown } } | null)?.user;
  return typeof user?.name === 'string' ? user.name.slice(0, 200) : '';
};

/**
 * This browser's kernel and, while the server names this browser host, the
 * room's: it takes the runs, interrupts and restarts that present browsers
 * ask for in their presence, runs them in order on the local kernel, sends
 * each `input()` to the browser that ran the cell, and says what it does in
 * the host state it publishes. A browser that is not host uses it only
 * offline, for its own runs.
 */
export class KernelHostRole {
  /** The beat to publish (set by the lease). */
  beat = -1;
  /** Cells this kernel ran since it started: 0 means it holds no variables. */
  ranHere = 0;
  private local: CellRunner | null = null;
  private stops: (() => void)[] = [];
  private epoch = -1;
  private hosting = false;
  private taken: Record<string, number> = {};
  private acts: Record<string, number> = {};
  private last: HostActNotice | null = null;
  private lost: LostReason | null = null;
  private lostBy: string | null = null;
  private ask: InputAsk | null = null;
  private askCount = 0;
  private pending: {
    id: number;
    owner: number;
    resolve(text: string): void;
    reject(error: Error): void;
  } | null = null;
  private readonly owners = new Map<string, number>();
  private run: RunState = { running: null, queued: [] };
  /** True until the first look at presence after becoming host (see skipPastActs). */
  private epochActsUnset = true;
  private loadState: KernelLoad = { state: 'idle' };

  constructor(private readonly o: KernelHostRoleOptions) {}

  /** Starts hosting `epoch`: acts already in presence are history, cells left running by the last host are ended. */
  /**
   * Named host (the lease follows at the server's first echo): when the
   * server says the last kernel's variables are gone, this one says so from
   * its first beat, until a re-run.
   */
  named(lost: boolean): void {
    if (lost && this.ranHere === 0) {
      this.lost = 'handover';
      this.lostBy = null;
    }
  }

  begin(epoch: number): void {
    this.epoch = epoch;
    this.hosting = true;
    this.taken = {};
    this.acts = {};
    this.ask = null;
    this.epochActsUnset = true;
    this.endOrphans();
    this.o.changed();
  }

  /**
   * Stops hosting. `drop` when another browser is named: this kernel's
   * variables are no longer the room's. Otherwise (offline, or the server's
   * word not yet back) it stays, for this user's own runs.
   */
  end(drop: boolean): void {
    this.hosting = false;
    this.epoch = -1;
    this.dropAsk(new Error('The kernel moved to another browser'));
    if (drop) this.reset();
    this.o.changed();
  }

  /** Takes in the present browsers' requests, acts and answers. */
  serve(states: Map<number, unknown>): void {
    if (!this.hosting) return;
    if (this.epochActsUnset) {
      this.skipPastActs(states);
      this.epochActsUnset = false;
    }
    let changed = false;
    for (const [id, state] of states) {
      const presence = readKernelPresence(state);
      if (!presence) continue;
      const key = String(id);
      if (presence.act && presence.act.n > (this.acts[key] ?? 0)) {
        this.acts[key] = presence.act.n;
        this.doAct(presence.act.kind, nameOf(state));
        changed = true;
      }
      for (const request of presence.req) {
        if (request.s <= (this.taken[key] ?? 0)) continue;
        this.taken[key] = request.s;
        changed = true;
        // A new run: the last interrupt or restart notice has been read; a re-run brings the variables back.
        this.last = null;
        if (request.rerun || (request.below !== undefined && this.isFirstCodeCell(request.below))) {
          this.lost = null;
          this.lostBy = null;
        }
        const cells = request.rerun
          ? executedInOrder(this.o.doc)
          : request.below !== undefined
            ? codeCellsBelow(this.o.doc, request.below)
            : [...(request.cells ?? [])];
        for (const cell of cells) this.owners.set(cell, id);
        this.ensureLocal()
          .runCells(this.o.doc, cells)
          .catch(() => undefined);
      }
      const pending = this.pending;
      if (pending && pending.owner === id && presence.ans?.id === pending.id) {
        this.pending = null;
        this.ask = null;
        if (presence.ans.cancel) pending.reject(new Error('Cancelled by the person who ran the cell'));
        else pending.resolve(presence.ans.text ?? '');
        changed = true;
      }
    }
    if (this.pending && !states.has(this.pending.owner)) {
      this.dropAsk(new Error('The person who ran the cell left'));
      changed = true;
    }
    this.forgetAbsent(states);
    if (changed) this.o.changed();
  }

  /** The host state to publish for `epoch` (null when not named). */
  stateFor(epoch: number): HostState | null {
    if (epoch < 0) return null;
    return {
      epoch,
      beat: Math.max(this.beat, 0),
      state: this.localState(),
      running: this.run.running,
      queue: this.run.queued.slice(0, maxShownQueue),
      taken: this.taken,
      acts: this.acts,
      ran: this.ranHere,
      ask: this.ask,
      last: this.last,
      lost: this.lost,
      lostBy: this.lostBy,
    };
  }

  /** What the local kernel is doing, in the host state's words. */
  localState(): HostState['state'] {
    if (this.loadState.state === 'failed') return 'failed';
    if (this.loadState.state === 'loading') return 'starting';
    return this.run.running !== null ? 'busy' : 'idle';
  }

  /** The local kernel's running and queued cells. */
  localRun(): RunState {
    return this.run;
  }

  /** The local kernel's start. */
  load(): KernelLoad {
    return this.loadState;
  }

  /** Runs cells on this browser's kernel for this user (offline). */
  runLocal(cells: readonly string[]): void {
    for (const cell of cells) this.owners.set(cell, this.o.me);
    this.ensureLocal()
      .runCells(this.o.doc, cells)
      .catch(() => undefined);
  }

  /** Interrupts this browser's kernel. */
  interruptLocal(): void {
    this.local?.interrupt?.();
  }

  /** Drops this browser's kernel and its variables; the next run starts a new one. */
  reset(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.local?.dispose?.();
    this.local = null;
    this.ranHere = 0;
    this.run = { running: null, queued: [] };
    this.setLoad({ state: 'idle' });
  }

  dispose(): void {
    this.dropAsk(new Error('The notebook closed'));
    this.reset();
  }

  // An interrupt asked before this browser hosted was for the previous kernel: never replayed.
  private skipPastActs(states: Map<number, unknown>): void {
    for (const [id, state] of states) {
      const act = readKernelPresence(state)?.act;
      if (act) this.acts[String(id)] = act.n;
    }
  }

  private isFirstCodeCell(id: string): boolean {
    let first: string | null = null;
    cellsOf(this.o.doc).forEach((cell) => {
      if (first === null && cellTypeOf(cell) === 'code') first = cellIdOf(cell);
    });
    return first === id;
  }

  private doAct(kind: 'interrupt' | 'restart', by: string): void {
    this.last = { kind, by, n: (this.last?.n ?? 0) + 1 };
    if (kind === 'interrupt') {
      this.local?.interrupt?.();
      return;
    }
    this.dropAsk(new Error('The kernel restarted'));
    this.reset();
    this.lost = 'restart';
    this.lostBy = by;
  }

  private forgetAbsent(states: Map<number, unknown>): void {
    for (const map of [this.taken, this.acts]) {
      const keys = Object.keys(map);
      if (keys.length <= maxRemembered) continue;
      for (const key of keys) if (!states.has(Number(key))) delete map[key];
      for (const key of Object.keys(map).slice(0, Math.max(0, Object.keys(map).length - maxRemembered)))
        delete map[key];
    }
  }

  // Cells the previous host was running when it went: their run ended, and everyone reads why.
  private endOrphans(): void {
    const doc = this.o.doc;
    const orphans: string[] = [];
    cellsOf(doc).forEach((cell) => {
      if (cellTypeOf(cell) === 'code' && cell.get('execution_state') === 'running') {
        const id = cellIdOf(cell);
        if (id !== this.run.running) orphans.push(id);
      }
    });
    for (const id of orphans) {
      appendOutput(doc, id, { output_type: 'stream', name: 'stderr', text: this.o.orphanNotice });
      setExecutionState(doc, id, 'idle');
    }
  }

  private dropAsk(error: Error): void {
    const pending = this.pending;
    this.pending = null;
    this.ask = null;
    pending?.reject(error);
  }

  private input: InputHandler = (request: InputRequest) => {
    const owner = request.cellId === null ? this.o.me : (this.owners.get(request.cellId) ?? this.o.me);
    if (!this.hosting || owner === this.o.me) return this.o.askHere(request);
    return new Promise<string>((resolve, reject) => {
      this.dropAsk(new Error('Another question replaced this one'));
      const id = ++this.askCount;
      this.ask = {
        id,
        to: owner,
        cell: request.cellId,
        prompt: request.prompt.slice(0, 1000),
        password: request.password,
      };
      this.pending = { id, owner, resolve, reject };
      request.signal.addEventListener('abort', () => {
        if (this.pending?.id !== id) return;
        this.dropAsk(new Error('The run ended'));
        this.o.changed();
      });
      this.o.changed();
    });
  };

  private ensureLocal(): CellRunner {
    if (this.local) return this.local;
    const local = this.o.makeLocal(this.input);
    this.local = local;
    const stopRun = local.onChange?.((state) => {
      if (this.local !== local) return;
      // A cell that stopped running has run (with or without an error): the kernel holds what it did.
      if (this.run.running !== null && state.running !== this.run.running) this.ranHere += 1;
      this.run = state;
      this.o.changed();
    });
    const stopLoad = local.onKernel?.((load) => {
      if (this.local === local) this.setLoad(load);
    });
    this.stops = [() => stopRun?.(), () => stopLoad?.()];
    return local;
  }

  private setLoad(load: KernelLoad): void {
    this.loadState = load;
    this.o.load(load);
    this.o.changed();
  }
}
