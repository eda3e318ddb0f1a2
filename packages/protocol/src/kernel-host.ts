// The room's shared browser kernel, on the wire: what browsers put in their
// presence (awareness) state to ask for runs and to host them, and what the
// server publishes to say who hosts. Every reader here is strict and bounded,
// because every state comes from a browser that may be hostile.

/** The presence field of a browser that takes part in the room's shared kernel. */
export const kernelField = 'kernel';
/** The presence field only the server may set (its own state); the server drops it from every client's state. */
export const serverField = 'server';

/**
 * Milliseconds a host keeps the kernel without being heard. The server hands
 * the kernel over when it has heard nothing from the host for this long; the
 * host stops a margin earlier (see kernel-lease.ts).
 */
export const hostLeaseMs = 8000;
/** Milliseconds between a host's beats (three beats may be lost before the lease ends). */
export const hostBeatMs = 2000;
/** Milliseconds by which a host gives up before the server's lease ends (clock rates, scheduling). */
export const hostMarginMs = 1500;

/** Cells a single run request may name (a longer list is sent as several requests). */
export const maxCellsPerRequest = 20;
/** Run requests a browser may have waiting in its state. */
export const maxRequests = 6;
/** Characters of a cell id on the wire. */
const maxIdChars = 100;
/** Characters of an `input()` prompt or answer carried between browsers. */
export const maxInputChars = 1000;
/** Queued cells a host shows (the rest still run; only the list is cut). */
export const maxShownQueue = 50;

/**
 * One run asked of the room's kernel: `cells` in that order, or every code
 * cell from `below` down (run all, run below), or `rerun`: the cells already
 * run, in the order of their execution counts. `s` increases with each
 * request of one browser.
 */
export interface RunAsk {
  readonly s: number;
  readonly cells?: readonly string[];
  readonly below?: string;
  readonly rerun?: true;
}

/** An interrupt or restart of the shared kernel asked by a browser; `n` increases with each. */
export interface KernelAct {
  readonly n: number;
  readonly kind: 'interrupt' | 'restart';
}

/** The question of an `input()` that the host's kernel asks the browser `to` (who ran the cell). */
export interface InputAsk {
  readonly id: number;
  readonly to: number;
  readonly cell: string | null;
  readonly prompt: string;
  readonly password: boolean;
}

/** The answer to the host's {@link InputAsk} `id`, or its cancellation. */
export interface InputAnswer {
  readonly id: number;
  readonly text?: string;
  readonly cancel?: true;
}

/** What the host's kernel is doing. */
export type HostKernelState = 'starting' | 'idle' | 'busy' | 'failed';

/** Why the room's kernel lost its variables, shown until the next run. */
export type LostReason = 'handover' | 'restart';

/** The last interrupt or restart, with who asked (their presence name). */
export interface HostActNotice {
  readonly kind: 'interrupt' | 'restart';
  readonly by: string;
  readonly n: number;
}

/** What the host publishes: its epoch and beat, the kernel's state and queue, and what it took. */
export interface HostState {
  readonly epoch: number;
  readonly beat: number;
  readonly state: HostKernelState;
  readonly running: string | null;
  readonly queue: readonly string[];
  /** For each browser (client id), the last request `s` the host took. */
  readonly taken: Readonly<Record<string, number>>;
  /** For each browser, the last act `n` the host did. */
  readonly acts: Readonly<Record<string, number>>;
  /** Cells run by this kernel since it started: 0 means it holds no variables yet. */
  readonly ran: number;
  readonly ask: InputAsk | null;
  readonly last: HostActNotice | null;
  readonly lost: LostReason | null;
  readonly lostBy: string | null;
}

/** A browser's part in the shared kernel: whether it can host, what it asks, and (for the host) its state. */
export interface KernelPresence {
  /** True when this browser can run the kernel (a writer with Web Workers). */
  readonly can: boolean;
  readonly req: readonly RunAsk[];
  readonly act: KernelAct | null;
  readonly ans: InputAnswer | null;
  readonly host: HostState | null;
}

/** Who hosts the room's kernel, as the server decided: `host` a client id, or null. */
export interface ServerKernel {
  readonly host: number | null;
  /** Grows with every new host; a random start per server process, so that a restart never repeats one. */
  readonly epoch: number;
  /** The host's last beat the server heard (-1: none yet); the host's lease runs from when it sent it. */
  readonly beat: number;
  /** True when the variables of the previous kernel are gone and nobody has run a cell since. */
  readonly lost: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= maxIdChars;
const shortText = (value: unknown, max: number): string | null =>
  typeof value === 'string' && value.length <= max ? value : null;

const readAsk = (value: unknown): RunAsk | null => {
  if (!isObject(value) || !isCount(value.s)) return null;
  const base = { s: value.s };
  if (value.rerun === true) return { ...base, rerun: true };
  if (value.below !== undefined) return isId(value.below) ? { ...base, below: value.below } : null;
  const cells = value.cells;
  if (!Array.isArray(cells) || cells.length === 0 || cells.length > maxCellsPerRequest) return null;
  return cells.every(isId) ? { ...base, cells: cells as string[] } : null;
};

const readCountMap = (value: unknown, max: number): Record<string, number> | null => {
  if (!isObject(value)) return null;
  const entries = Object.entries(value);
  if (entries.length > max) return null;
  const out: Record<string, number> = {};
  for (const [key, n] of entries) {
    if (!/^\d{1,10}$/.test(key) || !isCount(n)) return null;
    out[key] = n;
  }
  return out;
};

const readInputAsk = (value: unknown): InputAsk | null => {
  if (!isObject(value) || !isCount(value.id) || !isCount(value.to)) return null;
  const prompt = shortText(value.prompt, maxInputChars);
  if (prompt === null || typeof value.password !== 'boolean') return null;
  const cell = value.cell === null ? null : isId(value.cell) ? value.cell : undefined;
  if (cell === undefined) return null;
  return { id: value.id, to: value.to, cell, prompt, password: value.password };
};

const readActNotice = (value: unknown): HostActNotice | null => {
  if (!isObject(value) || !isCount(value.n)) return null;
  if (value.kind !== 'interrupt' && value.kind !== 'restart') return null;
  const by = shortText(value.by, 200);
  return by === null ? null : { kind: value.kind, by, n: value.n };
};

const hostStates = new Set(['starting', 'idle', 'busy', 'failed']);

/** Reads a host's state; null when any field is missing, malformed or too large. */
export const readHostState = (value: unknown): HostState | null => {
  if (!isObject(value) || !isCount(value.epoch) || !isCount(value.beat) || !isCount(value.ran)) return null;
  if (typeof value.state !== 'string' || !hostStates.has(value.state)) return null;
  const running = value.running === null ? null : isId(value.running) ? value.running : undefined;
  if (running === undefined) return null;
  const queue = value.queue;
  if (!Array.isArray(queue) || queue.length > maxShownQueue || !queue.every(isId)) return null;
  const taken = readCountMap(value.taken, 64);
  const acts = readCountMap(value.acts, 64);
  if (!taken || !acts) return null;
  const ask = value.ask === null || value.ask === undefined ? null : readInputAsk(value.ask);
  if (value.ask && !ask) return null;
  const last = value.last === null || value.last === undefined ? null : readActNotice(value.last);
  if (value.last && !last) return null;
  const lost = value.lost === 'handover' || value.lost === 'restart' ? value.lost : null;
  const lostBy = lost ? shortText(value.lostBy, 200) : null;
  return {
    epoch: value.epoch,
    beat: value.beat,
    state: value.state as HostKernelState,
    running,
    queue: queue as string[],
    taken,
    acts,
    ran: value.ran,
    ask,
    last,
    lost,
    lostBy,
  };
};

/**
 * Reads the `kernel` field of a presence state; null when the state has
 * none or it is malformed. Requests beyond {@link maxRequests} are ignored,
 * a malformed one drops the field whole.
 */
export const readKernelPresence = (state: unknown): KernelPresence | null => {
  if (!isObject(state)) return null;
  const field = state[kernelField];
  if (!isObject(field)) return null;
  const rawReq = field.req ?? [];
  if (!Array.isArray(rawReq)) return null;
  const req: RunAsk[] = [];
  for (const raw of rawReq.slice(0, maxRequests)) {
    const ask = readAsk(raw);
    if (!ask) return null;
    req.push(ask);
  }
  let act: KernelAct | null = null;
  if (field.act !== undefined && field.act !== null) {
    const a = field.act;
    if (!isObject(a) || !isCount(a.n) || (a.kind !== 'interrupt' && a.kind !== 'restart')) return null;
    act = { n: a.n, kind: a.kind };
  }
  let ans: InputAnswer | null = null;
  if (field.ans !== undefined && field.ans !== null) {
    const a = field.ans;
    if (!isObject(a) || !isCount(a.id)) return null;
    if (a.cancel === true) ans = { id: a.id, cancel: true };
    else {
      const text = shortText(a.text, maxInputChars);
      if (text === null) return null;
      ans = { id: a.id, text };
    }
  }
  const host = field.host === undefined || field.host === null ? null : readHostState(field.host);
  if (field.host && !host) return null;
  return { can: field.can === true, req, act, ans, host };
};

/** Reads the server's kernel record from a presence state (the server's own), or null. */
export const readServerKernel = (state: unknown): ServerKernel | null => {
  if (!isObject(state)) return null;
  const server = state[serverField];
  if (!isObject(server) || !isObject(server.kernel)) return null;
  const k = server.kernel;
  const host = k.host === null ? null : isCount(k.host) ? k.host : undefined;
  if (host === undefined || !isCount(k.epoch) || typeof k.lost !== 'boolean') return null;
  if (typeof k.beat !== 'number' || !Number.isSafeInteger(k.beat) || k.beat < -1) return null;
  return { host, epoch: k.epoch, beat: k.beat, lost: k.lost };
};

/**
 * The room's kernel on the server (`kernel="server"`), as the server
 * publishes it beside the browser host record: its state, and whether its
 * variables are lost (it restarted: asked by `by`, or on its own when `by`
 * is empty) until someone re-runs the cells.
 */
export interface ServerSideKernel {
  readonly state: 'none' | 'starting' | 'idle' | 'busy';
  readonly lost: boolean;
  readonly by: string;
}

const serverKernelStates = new Set(['none', 'starting', 'idle', 'busy']);

/** Reads the server's record of its own kernel from a presence state (the server's), or null. */
export const readServerSideKernel = (state: unknown): ServerSideKernel | null => {
  if (!isObject(state)) return null;
  const server = state[serverField];
  if (!isObject(server) || !isObject(server.serverKernel)) return null;
  const k = server.serverKernel;
  if (typeof k.state !== 'string' || !serverKernelStates.has(k.state) || typeof k.lost !== 'boolean')
    return null;
  const by = shortText(k.by, 200);
  if (by === null) return null;
  return { state: k.state as ServerSideKernel['state'], lost: k.lost, by };
};
