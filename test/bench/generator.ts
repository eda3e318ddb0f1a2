// The load generator: a child process (forked by the harness) that runs one
// job against one peer and sends back its figures over IPC. Jobs: `load`
// (pupils typing and moving cursors in rooms), `flood` (keystrokes as fast as
// allowed, for storage), `seed` (the big notebook), `open` (one new client,
// time to synced) and `verify` (what a fresh client receives per room).
import * as Y from 'yjs';
import { type BigNotebookSize, buildBigNotebook } from './big-notebook.js';
import {
  closeClient,
  connectClient,
  createLedger,
  type Ledger,
  type LoadClient,
  moveCursor,
  resetLedger,
  typeKey,
} from './load-client.js';
import { type Dialect, encodeSync, syncUpdate } from './wire.js';

/** Keystroke clocks sent per room: room → client id → clock. */
export type Expected = Record<string, Record<string, number>>;

interface PeerTarget {
  dialect: Dialect;
  base: string;
}

export interface LoadJob extends PeerTarget {
  kind: 'load';
  roomPrefix: string;
  rooms: number;
  clientsPerRoom: number;
  typistsPerRoom: number;
  samplersPerRoom: number;
  seconds: number;
  /** One cursor move every this many keystrokes. */
  cursorEvery: number;
  /** Pause after connecting, before the measured window. */
  warmupMs: number;
  /** Pause after the last keystroke, inside the measured window, for the last deliveries. */
  drainMs: number;
}

export interface FloodJob extends PeerTarget {
  kind: 'flood';
  roomPrefix: string;
  rooms: number;
  clientsPerRoom: number;
  keystrokesPerClient: number;
  /** Keystrokes per second of each client. */
  rate: number;
}

export interface SeedJob extends PeerTarget {
  kind: 'seed';
  room: string;
  size: BigNotebookSize;
  /** History updates merged into one frame. */
  batch: number;
  /** New clients to open, one after the other, while the seeder keeps the room loaded. */
  opens: number;
}

export interface OpenJob extends PeerTarget {
  kind: 'open';
  room: string;
  /** The state vector (client id → clock) the client must hold to count as open. */
  want: Record<string, number>;
}

export interface VerifyJob extends PeerTarget {
  kind: 'verify';
  expected: Expected;
}

export type Job = LoadJob | FloodJob | SeedJob | OpenJob | VerifyJob;

export interface LoadResult {
  kind: 'load';
  connected: number;
  failedToConnect: number;
  measuredSeconds: number;
  keystrokes: number;
  awarenessUpdates: number;
  latencies: number[];
  bytesUp: number;
  bytesDown: number;
  updateBytesUp: number;
  updateBytesDown: number;
  messagesUp: number;
  messagesDown: number;
  updatesDown: number;
  errorCount: number;
  errorSamples: string[];
  disconnects: number;
  /** Keystroke deliveries a sampler never received (summed over samplers). */
  undelivered: number;
  generatorCpuPercent: number;
  expected: Expected;
}

export interface FloodResult {
  kind: 'flood';
  keystrokes: number;
  seconds: number;
  errorCount: number;
  errorSamples: string[];
  expected: Expected;
}

export interface SeedResult {
  kind: 'seed';
  creationBytes: number;
  historyUpdates: number;
  frames: number;
  encodedBytes: number;
  seconds: number;
  stateVector: Record<string, number>;
  /** Time to the whole document of each new client opened while the room was loaded. */
  warmMs: number[];
}

export interface OpenResult {
  kind: 'open';
  /** From `new WebSocket` to holding the whole document. */
  ms: number;
  /** From `new WebSocket` to the peer's sync step 2 (which may come before the stored state is loaded). */
  syncStep2Ms: number;
  bytesDown: number;
  encodedBytes: number;
  cells: number;
}

export interface VerifyResult {
  kind: 'verify';
  rooms: number;
  failures: number;
  /** Keystrokes the peer does not hold any more (expected clock minus held clock). */
  missing: number;
  encodedBytes: number;
}

export type JobResult = LoadResult | FloodResult | SeedResult | OpenResult | VerifyResult;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)),
  ]);

/** Connects clients 50 at a time; returns those that synced. */
const connectAll = async (
  specs: { target: PeerTarget; room: string; sampler: boolean; integrate: boolean }[],
  ledger: Ledger,
): Promise<{ clients: LoadClient[]; failed: number }> => {
  const clients: LoadClient[] = [];
  let failed = 0;
  for (let i = 0; i < specs.length; i += 50) {
    const batch = specs.slice(i, i + 50).map((s) =>
      connectClient(
        {
          dialect: s.target.dialect,
          base: s.target.base,
          room: s.room,
          sampler: s.sampler,
          integrate: s.integrate,
        },
        ledger,
      ),
    );
    const outcomes = await Promise.allSettled(batch.map((c) => withTimeout(c.synced, 20_000, 'sync')));
    outcomes.forEach((o, j) => {
      if (o.status === 'fulfilled') clients.push(batch[j]!);
      else {
        failed++;
        ledger.errors.push(String(o.reason));
        closeClient(batch[j]!);
      }
    });
  }
  return { clients, failed };
};

const expectedOf = (clients: LoadClient[]): Expected => {
  const expected: Expected = {};
  for (const c of clients) {
    const clock = Y.getState(c.doc.store, c.doc.clientID);
    if (clock === 0) continue;
    expected[c.options.room] ??= {};
    expected[c.options.room]![String(c.doc.clientID)] = clock;
  }
  return expected;
};

const runLoad = async (job: LoadJob, report: (m: unknown) => void): Promise<LoadResult> => {
  const ledger = createLedger();
  const specs = [];
  for (let r = 0; r < job.rooms; r++) {
    for (let i = 0; i < job.clientsPerRoom; i++) {
      // The samplers are not typists (in the lecture hall, the teacher is client 0).
      specs.push({
        target: job,
        room: `${job.roomPrefix}-${r}`,
        sampler: i >= job.clientsPerRoom - job.samplersPerRoom,
        integrate: false,
      });
    }
  }
  const { clients, failed } = await connectAll(specs, ledger);
  await sleep(job.warmupMs);
  resetLedger(ledger);
  const byRoom = new Map<string, LoadClient[]>();
  for (const c of clients) byRoom.set(c.options.room, [...(byRoom.get(c.options.room) ?? []), c]);
  const typistSet = new Set<LoadClient>();
  for (const members of byRoom.values())
    for (const c of members.slice(0, job.typistsPerRoom)) typistSet.add(c);
  report({ kind: 'window-start' });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const state = new Map<LoadClient, { next: number; burstLeft: number; meanMs: number }>();
  for (const c of typistSet) {
    // Each pupil types at 3 to 5 characters per second in bursts of 5 to 30, with pauses of 2 s on average.
    state.set(c, {
      next: started + Math.random() * Math.min(2000, job.seconds * 250),
      burstLeft: 5 + Math.floor(Math.random() * 25),
      meanMs: 1000 / (3 + Math.random() * 2),
    });
  }
  const expo = (mean: number) => -Math.log(1 - Math.random()) * mean;
  const ticker = setInterval(() => {
    const now = performance.now();
    for (const [c, s] of state) {
      if (s.next > now) continue;
      typeKey(c, ledger);
      if (ledger.keystrokes % job.cursorEvery === 0) moveCursor(c, ledger);
      if (--s.burstLeft <= 0) {
        s.burstLeft = 5 + Math.floor(Math.random() * 25);
        s.next = now + expo(2000);
      } else s.next = now + expo(s.meanMs);
    }
  }, 5);
  await sleep(job.seconds * 1000);
  clearInterval(ticker);
  await sleep(job.drainMs);
  const measuredSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  let undelivered = 0;
  for (const members of byRoom.values()) {
    for (const sampler of members.filter((c) => c.options.sampler)) {
      for (const t of members) {
        if (!typistSet.has(t) || t === sampler) continue;
        const clock = Y.getState(t.doc.store, t.doc.clientID);
        undelivered += Math.max(0, clock - (sampler.seen.get(t.doc.clientID) ?? 0));
      }
    }
  }
  const expected = expectedOf([...typistSet]);
  for (const c of clients) closeClient(c);
  return {
    kind: 'load',
    connected: clients.length,
    failedToConnect: failed,
    measuredSeconds,
    keystrokes: ledger.keystrokes,
    awarenessUpdates: ledger.awarenessUpdates,
    latencies: ledger.latencies.map((l) => Math.round(l * 100) / 100),
    bytesUp: ledger.bytesUp,
    bytesDown: ledger.bytesDown,
    updateBytesUp: ledger.updateBytesUp,
    updateBytesDown: ledger.updateBytesDown,
    messagesUp: ledger.messagesUp,
    messagesDown: ledger.messagesDown,
    updatesDown: ledger.updatesDown,
    errorCount: ledger.errors.length,
    errorSamples: ledger.errors.slice(0, 5),
    disconnects: ledger.disconnects,
    undelivered,
    generatorCpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / measuredSeconds) * 1000) / 10,
    expected,
  };
};

const runFlood = async (job: FloodJob): Promise<FloodResult> => {
  const ledger = createLedger();
  const specs = [];
  for (let r = 0; r < job.rooms; r++) {
    for (let i = 0; i < job.clientsPerRoom; i++) {
      specs.push({ target: job, room: `${job.roomPrefix}-${r}`, sampler: false, integrate: false });
    }
  }
  const { clients } = await connectAll(specs, ledger);
  const started = performance.now();
  const tickMs = 20;
  const perTick = Math.max(1, Math.round((job.rate * tickMs) / 1000));
  await new Promise<void>((resolve) => {
    const ticker = setInterval(() => {
      let busy = false;
      for (const c of clients) {
        for (let k = 0; k < perTick; k++) {
          if (Y.getState(c.doc.store, c.doc.clientID) >= job.keystrokesPerClient) break;
          typeKey(c, ledger);
          busy = true;
        }
      }
      if (!busy || performance.now() - started > 300_000) {
        clearInterval(ticker);
        resolve();
      }
    }, tickMs);
  });
  const seconds = (performance.now() - started) / 1000;
  await sleep(1000);
  for (const c of clients) closeClient(c);
  return {
    kind: 'flood',
    keystrokes: ledger.keystrokes,
    seconds,
    errorCount: ledger.errors.length,
    errorSamples: ledger.errors.slice(0, 5),
    expected: expectedOf(clients),
  };
};

const runSeed = async (job: SeedJob): Promise<SeedResult> => {
  const started = performance.now();
  const notebook = buildBigNotebook(job.size);
  const ledger = createLedger();
  const { clients } = await connectAll(
    [{ target: job, room: job.room, sampler: false, integrate: false }],
    ledger,
  );
  const seeder = clients[0];
  if (!seeder) throw new Error(`seeding ${job.room}: could not connect (${ledger.errors.join('; ')})`);
  const frames = [notebook.creation];
  for (let i = 0; i < notebook.history.length; i += job.batch) {
    frames.push(Y.mergeUpdates(notebook.history.slice(i, i + job.batch)));
  }
  for (const f of frames) {
    seeder.ws.send(encodeSync(job.dialect, job.room, syncUpdate, f));
    // Stay under per-connection message rate limits (ours: 200/s sustained, burst 1000).
    await sleep(6);
  }
  // Wait until a fresh client holds everything the seeder sent.
  const want = Y.encodeStateVector(notebook.doc);
  for (let attempt = 0; attempt < 100; attempt++) {
    await sleep(200);
    const probe = await verifyRooms({ ...job, kind: 'verify', expected: {} }, [job.room]);
    if (probe.docs[0] && Y.encodeStateVector(probe.docs[0]).length > 0) {
      const sv = Y.decodeStateVector(Y.encodeStateVector(probe.docs[0]));
      const missing = [...Y.decodeStateVector(want)].some(([id, clock]) => (sv.get(id) ?? 0) < clock);
      if (!missing) break;
    }
  }
  const stateVector = Object.fromEntries(
    [...Y.decodeStateVector(want)].map(([id, clock]) => [String(id), clock]),
  );
  // Opened while the seeder is still there: a server without persistence (Hocuspocus) drops the
  // document when its last client leaves.
  const warmMs: number[] = [];
  for (let i = 0; i < (job.opens ?? 0); i++) {
    warmMs.push(
      (
        await runOpen({
          kind: 'open',
          dialect: job.dialect,
          base: job.base,
          room: job.room,
          want: stateVector,
        })
      ).ms,
    );
  }
  closeClient(seeder);
  return {
    kind: 'seed',
    warmMs,
    creationBytes: notebook.creation.length,
    historyUpdates: notebook.history.length,
    frames: frames.length,
    encodedBytes: Y.encodeStateAsUpdate(notebook.doc).length,
    seconds: (performance.now() - started) / 1000,
    stateVector,
  };
};

const covers = (doc: Y.Doc, want: Record<string, number>): boolean =>
  Object.entries(want).every(([id, clock]) => Y.getState(doc.store, Number(id)) >= clock);

const verifyRooms = async (
  job: VerifyJob,
  rooms: string[],
): Promise<{ docs: (Y.Doc | null)[]; failures: number }> => {
  const ledger = createLedger();
  let failures = 0;
  // All rooms at once, so that a peer that lost data does not cost two seconds per room.
  const docs = await Promise.all(
    rooms.map(async (room): Promise<Y.Doc | null> => {
      const client = connectClient(
        { dialect: job.dialect, base: job.base, room, sampler: false, integrate: true },
        ledger,
      );
      try {
        await withTimeout(client.synced, 30_000, `verify ${room}`);
        // A peer may answer sync step 1 before it has loaded the room from disk, then send the stored
        // state as updates: give it two seconds to complete the document.
        const want = job.expected[room] ?? {};
        for (let waited = 0; waited < 2000 && !covers(client.doc, want); waited += 50) await sleep(50);
        return client.doc;
      } catch {
        failures++;
        return null;
      } finally {
        closeClient(client);
      }
    }),
  );
  return { docs, failures };
};

const runVerify = async (job: VerifyJob): Promise<VerifyResult> => {
  const rooms = Object.keys(job.expected);
  const { docs, failures } = await verifyRooms(job, rooms);
  let missing = 0;
  let encodedBytes = 0;
  rooms.forEach((room, i) => {
    const doc = docs[i];
    for (const [id, clock] of Object.entries(job.expected[room]!)) {
      missing += Math.max(0, clock - (doc ? Y.getState(doc.store, Number(id)) : 0));
    }
    if (doc) encodedBytes += Y.encodeStateAsUpdate(doc).length;
  });
  return { kind: 'verify', rooms: rooms.length, failures, missing, encodedBytes };
};

const runOpen = async (job: OpenJob): Promise<OpenResult> => {
  const ledger = createLedger();
  const started = performance.now();
  const client = connectClient(
    { dialect: job.dialect, base: job.base, room: job.room, sampler: false, integrate: true },
    ledger,
  );
  const complete = new Promise<number>((resolve) => {
    const check = () => {
      if (!covers(client.doc, job.want)) return;
      client.doc.off('update', check);
      resolve(performance.now() - started);
    };
    client.doc.on('update', check);
  });
  const syncStep2Ms = await withTimeout(client.synced, 60_000, `open ${job.room}`);
  const ms = await withTimeout(complete, 60_000, `open ${job.room} (complete document)`);
  closeClient(client);
  return {
    kind: 'open',
    ms: Math.round(ms * 10) / 10,
    syncStep2Ms: Math.round(syncStep2Ms * 10) / 10,
    bytesDown: ledger.bytesDown,
    encodedBytes: Y.encodeStateAsUpdate(client.doc).length,
    cells: client.doc.getArray('cells').length,
  };
};

const run = (job: Job, report: (m: unknown) => void): Promise<JobResult> => {
  switch (job.kind) {
    case 'load':
      return runLoad(job, report);
    case 'flood':
      return runFlood(job);
    case 'seed':
      return runSeed(job);
    case 'open':
      return runOpen(job);
    case 'verify':
      return runVerify(job);
  }
};

if (process.send) {
  const send = (m: unknown) => process.send!(m);
  process.once('message', (job: Job) => {
    run(job, send).then(
      (result) => {
        // Exit only once the (possibly large) result has been handed to the parent.
        process.send!({ kind: 'result', result }, undefined, {}, () => process.exit(0));
      },
      (err: unknown) => {
        send({ kind: 'failure', message: err instanceof Error ? err.message : String(err) });
        setTimeout(() => process.exit(1), 200);
      },
    );
  });
}
