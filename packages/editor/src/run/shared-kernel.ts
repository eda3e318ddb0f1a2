import {
  type HostActNotice,
  HostLease,
  type HostState,
  hostBeatMs,
  type InputAnswer,
  type KernelAct,
  type KernelPresence,
  kernelField,
  maxCellsPerRequest,
  maxInputChars,
  maxRequests,
  type RunAsk,
  readKernelPresence,
  readServerKernel,
  type ServerKernel,
} from '@candyce/protocol';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { CellRunner, InputHandler, InputRequest, KernelLoad, RunState } from './cell-runner.js';
import { codeCellsBelow, executedInOrder } from './executed-order.js';
import { KernelHostRole } from './kernel-host-role.js';

/**
 * Where the room's kernel runs, as this browser sees it:
 * `self` (this browser hosts it), `other` (the browser of `hostName`),
 * `offline` (this browser, alone, while the connection is lost), `none`
 * (nobody hosts yet: the first run names a host), `server` (the room's
 * kernel on the Candyce server, `kernel="server"`).
 */
export type KernelWhere = 'self' | 'other' | 'offline' | 'none' | 'server';

/** What the kernel indicator shows of the room's shared kernel. */
export interface SharedKernelView {
  where: KernelWhere;
  /** The host's name (its presence `user.name`), '' when unknown or this browser. */
  hostName: string;
  state: 'waiting' | 'starting' | 'idle' | 'busy' | 'failed' | 'stopped';
  /** Why the variables are gone (until the next run), and who caused it when that is someone. */
  lost: { reason: 'handover' | 'restart' | 'offline' | 'stopped'; by: string } | null;
  /** The last interrupt or restart, with who asked. */
  last: HostActNotice | null;
  /** True once the kernel started or ran something: before, there is nothing to say. */
  started: boolean;
}

/** What {@link sharedRunner} needs. */
export interface SharedRunnerOptions {
  doc: Y.Doc;
  awareness: Awareness;
  /** Makes this browser's kernel (Pyodide's runner), with the input handler to give it; called again after a restart. */
  local: (input: InputHandler) => CellRunner;
  /** Asks this user the question of an `input()` of a cell they ran. */
  input?: InputHandler;
  /** False for a browser that must not run code for others (no Web Workers). */
  canHost: boolean;
  /**
   * True while the notebook's code runs on this kernel (browser Python, not
   * a server's kernel nor SQL): only then does this browser volunteer to host,
   * so that other notebooks cost no beats. Default: always.
   */
  active?: () => boolean;
  /** The words written into a cell whose run ended with its host's departure. */
  orphanNotice: string;
}

const nameOf = (state: unknown): string => {
  const user = (state as { user?: { name?: unknown } } | null)?.user;
  return typeof user?.name === 'string' ? user.name.slice(0, 200) : '';
};

/**
 * Returns the runner of a room whose code runs in the pupils' browsers,
 * with one kernel for the whole room: every run, whoever asks, goes to the
 * browser the server named host (see @candyce/protocol's kernel-lease.ts),
 * so that what one pupil ran is defined for the other. Requests, interrupts,
 * restarts and `input()` answers travel in presence; outputs are written
 * into the document by the host, as before. Offline, this browser runs its
 * own cells; back online, the room's host runs them again and the notebook
 * says when variables were lost.
 */
export function sharedRunner(o: SharedRunnerOptions): CellRunner {
  const { awareness, doc } = o;
  const me = awareness.clientID;
  const lease = new HostLease();
  let online = false;
  let record: ServerKernel | null = null;
  let seq = 0;
  let req: RunAsk[] = [];
  const outbox: RunAsk[] = [];
  let act: KernelAct | null = null;
  let ans: InputAnswer | null = null;
  let offlineLost = false;
  /** The `ran` of the host state last published. */
  let publishedRan = 0;
  /** What this browser last said of hosting (see `active`). */
  let volunteering = false;
  /** True when this user ran cells offline since the room's kernel was last someone else's. */
  let ranOffline = false;
  let disposed = false;
  let answering: { id: number; controller: AbortController } | null = null;
  const runListeners = new Set<(state: RunState) => void>();
  const viewListeners = new Set<(view: SharedKernelView) => void>();
  const loadListeners = new Set<(load: KernelLoad) => void>();
  let view: SharedKernelView = {
    where: 'none',
    hostName: '',
    state: 'waiting',
    lost: null,
    last: null,
    started: false,
  };
  let roomRun: RunState = { running: null, queued: [] };

  const host = new KernelHostRole({
    doc,
    me,
    makeLocal: o.local,
    askHere: (request: InputRequest) =>
      o.input ? o.input(request) : Promise.reject(new Error('No one can answer input() here')),
    orphanNotice: o.orphanNotice,
    changed: () => {
      // The first run that gives the kernel variables goes out at once: a host that dies right
      // after must leave the server knowing its variables are lost.
      if (lease.hostEpoch >= 0 && host.ranHere > 0 && publishedRan === 0) publishNow();
      else schedulePublish();
      refresh();
    },
    load: (load) => {
      for (const listener of loadListeners) listener(load);
    },
  });

  // Presence goes out at most every 100 ms (the server allows 20 a second), the latest state last.
  let publishTimer: ReturnType<typeof setTimeout> | null = null;
  let publishDirty = false;
  const publishNow = () => {
    if (disposed) return;
    volunteering = o.canHost && (o.active?.() ?? true);
    const field: Record<string, unknown> = { can: volunteering, req };
    if (act) field.act = act;
    if (ans) field.ans = ans;
    const hosted = host.stateFor(lease.hostEpoch);
    if (hosted) field.host = hosted;
    publishedRan = hosted?.ran ?? 0;
    awareness.setLocalStateField(kernelField, field);
  };
  const schedulePublish = () => {
    if (publishTimer) {
      publishDirty = true;
      return;
    }
    publishNow();
    publishTimer = setTimeout(() => {
      publishTimer = null;
      if (publishDirty) {
        publishDirty = false;
        schedulePublish();
      }
    }, 100);
  };

  const states = () => awareness.getStates();
  const hostPresence = (): { id: number; presence: KernelPresence; state: HostState } | null => {
    if (!record || record.host === null) return null;
    const presence = readKernelPresence(states().get(record.host));
    if (!presence?.host || presence.host.epoch !== record.epoch) return null;
    return { id: record.host, presence, state: presence.host };
  };

  // Requests beyond what one presence state may carry wait here until the host takes some.
  const refill = () => {
    const taken = hostPresence()?.state.taken[String(me)] ?? -1;
    const before = req.length;
    req = req.filter((ask) => ask.s > taken);
    let moved = false;
    while (req.length < maxRequests && outbox.length > 0) {
      req.push(outbox.shift()!);
      moved = true;
    }
    return moved || req.length !== before;
  };

  const ask = (parts: Omit<RunAsk, 's'>[]) => {
    for (const part of parts) outbox.push({ s: ++seq, ...part });
    refill();
    schedulePublish();
    tick();
  };

  const askCells = (cellIds: readonly string[]) => {
    if (cellIds.length === 0) return;
    // "Run all" and "run below" travel as their first cell: the host reads the rest from the document.
    const below = codeCellsBelow(doc, cellIds[0]!);
    if (cellIds.length > 1 && below.length === cellIds.length && below.every((id, i) => id === cellIds[i])) {
      ask([{ below: cellIds[0]! }]);
      return;
    }
    const parts: Omit<RunAsk, 's'>[] = [];
    for (let i = 0; i < cellIds.length; i += maxCellsPerRequest)
      parts.push({ cells: cellIds.slice(i, i + maxCellsPerRequest) });
    ask(parts);
  };

  // The host's kernel asks this browser a question: answer it here, for the run this user asked.
  const answerHost = () => {
    const h = hostPresence();
    const question = h && h.id !== me && h.state.ask?.to === me ? h.state.ask : null;
    if (answering && answering.id !== question?.id) {
      answering.controller.abort();
      answering = null;
    }
    if (!question || answering || ans?.id === question.id) return;
    const controller = new AbortController();
    answering = { id: question.id, controller };
    const reply = (answer: InputAnswer) => {
      if (answering?.id !== question.id) return;
      answering = null;
      ans = answer;
      schedulePublish();
    };
    const asked = o.input
      ? o.input({
          cellId: question.cell,
          prompt: question.prompt,
          password: question.password,
          signal: controller.signal,
        })
      : Promise.reject(new Error('no input handler'));
    asked.then(
      (text) => reply({ id: question.id, text: text.slice(0, maxInputChars) }),
      () => reply({ id: question.id, cancel: true }),
    );
  };

  const computeView = (): SharedKernelView => {
    const hosting = online && lease.holds(performance.now());
    const localStarted = host.ranHere > 0 || host.localState() !== 'idle';
    if (!online) {
      return {
        where: 'offline',
        hostName: '',
        state: host.localState(),
        lost: null,
        last: null,
        started: localStarted,
      };
    }
    const h = hostPresence();
    const hs = hosting ? host.stateFor(lease.hostEpoch) : (h?.state ?? null);
    // The host says whether its variables are lost; with no host yet, the server does.
    const lost: SharedKernelView['lost'] = offlineLost
      ? { reason: 'offline', by: '' }
      : hs
        ? hs.lost
          ? { reason: hs.lost, by: hs.lostBy ?? '' }
          : null
        : record?.lost
          ? { reason: 'handover', by: '' }
          : null;
    if (hosting && hs)
      return {
        where: 'self',
        hostName: '',
        state: host.localState(),
        lost,
        last: hs.last,
        started: localStarted,
      };
    // Named, but the lease is not (or no longer) confirmed: this browser waits for the server's word.
    if (record?.host === me)
      return { where: 'self', hostName: '', state: 'waiting', lost, last: null, started: localStarted };
    if (h)
      return {
        where: 'other',
        hostName: nameOf(states().get(h.id)),
        state: h.state.state,
        lost,
        last: h.state.last,
        started: h.state.ran > 0 || h.state.state !== 'idle',
      };
    return { where: 'none', hostName: '', state: 'waiting', lost, last: null, started: false };
  };

  const refresh = () => {
    const next = computeView();
    if (JSON.stringify(next) !== JSON.stringify(view)) {
      view = next;
      for (const listener of viewListeners) listener(view);
    }
    const hosting = online && lease.holds(performance.now());
    const h = hostPresence();
    const run: RunState =
      !online || hosting
        ? host.localRun()
        : h
          ? { running: h.state.running, queued: [...h.state.queue] }
          : { running: null, queued: req.flatMap((a) => a.cells ?? []) };
    if (run.running !== roomRun.running || run.queued.join() !== roomRun.queued.join()) {
      roomRun = run;
      for (const listener of runListeners) listener(roomRun);
    }
  };

  let wasHosting = false;
  let lastBeatAt = Number.NEGATIVE_INFINITY;
  let namedEpoch = -1;
  const tick = () => {
    if (disposed) return;
    const now = performance.now();
    record = null;
    for (const state of states().values()) {
      const found = readServerKernel(state);
      if (found) {
        record = found;
        break;
      }
    }
    if (online && record) lease.serverSaid(record, me);
    else lease.reset();
    if (lease.hostEpoch !== namedEpoch) {
      namedEpoch = lease.hostEpoch;
      lastBeatAt = Number.NEGATIVE_INFINITY;
      if (namedEpoch >= 0) host.named(record?.lost === true);
    }
    if (lease.hostEpoch >= 0 && now - lastBeatAt >= hostBeatMs) {
      lastBeatAt = now;
      host.beat = lease.nextBeat(now) ?? host.beat;
      schedulePublish();
    }
    const hosting = online && lease.holds(now);
    const otherNamed = online && record !== null && record.host !== null && record.host !== me;
    if (hosting && !wasHosting) host.begin(lease.hostEpoch);
    if (!hosting && wasHosting) host.end(otherNamed);
    wasHosting = hosting;
    if (otherNamed && host.ranHere > 0) {
      // This kernel's variables are not the room's: the kernel elsewhere never saw those runs.
      host.reset();
      offlineLost = ranOffline;
    }
    if (otherNamed) ranOffline = false;
    if (hosting) host.serve(states());
    if (refill() || volunteering !== (o.canHost && (o.active?.() ?? true))) schedulePublish();
    answerHost();
    refresh();
  };

  const onAwareness = () => tick();
  awareness.on('change', onAwareness);
  // Beats, lease ends and hand-overs happen with no presence change: look twice a second.
  const timer = setInterval(tick, 500);
  schedulePublish();

  const runHere = (cellIds: readonly string[]) => {
    ranOffline = true;
    host.runLocal(cellIds);
  };

  const runner: CellRunner = {
    kind: 'pyodide',
    available: typeof Worker !== 'undefined',
    shared: true,
    async run({ cellId }) {
      offlineLost = false;
      if (!online) runHere([cellId]);
      else askCells([cellId]);
    },
    async runCells(_doc, cellIds) {
      offlineLost = false;
      if (!online) runHere(cellIds);
      else askCells(cellIds);
    },
    async rerun() {
      offlineLost = false;
      if (!online) runHere(executedInOrder(doc));
      else ask([{ rerun: true }]);
    },
    interrupt() {
      outbox.length = 0;
      req = [];
      if (!online) host.interruptLocal();
      else act = { n: (act?.n ?? 0) + 1, kind: 'interrupt' };
      schedulePublish();
      tick();
    },
    restart() {
      outbox.length = 0;
      req = [];
      if (!online) host.reset();
      else act = { n: (act?.n ?? 0) + 1, kind: 'restart' };
      schedulePublish();
      tick();
    },
    setOnline(next) {
      if (next === online) return;
      online = next;
      if (!online) lease.reset();
      tick();
    },
    onChange(listener) {
      runListeners.add(listener);
      listener(roomRun);
      return () => runListeners.delete(listener);
    },
    onKernel(listener) {
      loadListeners.add(listener);
      listener(host.load());
      return () => loadListeners.delete(listener);
    },
    onShared(listener) {
      viewListeners.add(listener);
      listener(view);
      return () => viewListeners.delete(listener);
    },
    dispose() {
      disposed = true;
      clearInterval(timer);
      if (publishTimer) clearTimeout(publishTimer);
      awareness.off('change', onAwareness);
      answering?.controller.abort();
      host.dispose();
      // Leaving the room's kernel: others stop counting on this browser at once.
      if (awareness.getLocalState() !== null) awareness.setLocalStateField(kernelField, null);
      runListeners.clear();
      viewListeners.clear();
      loadListeners.clear();
    },
  };
  return runner;
}
