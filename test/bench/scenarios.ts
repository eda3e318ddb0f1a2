// The six scenarios. Each runs every peer under the same load, alternating
// peers run by run, and returns its figures per peer.
import type {
  Expected,
  FloodResult,
  LoadJob,
  LoadResult,
  OpenResult,
  SeedResult,
  VerifyResult,
} from './generator.js';
import { runJob } from './jobs.js';
import {
  dataBytes,
  makeDataDir,
  type PeerSpec,
  type RunningPeer,
  removeDataDir,
  startPeer,
} from './peers.js';
import { createProcSampler, dirListing, latencySummary, round } from './stats.js';

/** Sizes of every scenario; `quick` shrinks them for the CI smoke run. */
export interface Sizes {
  rounds: number;
  /** Pauses: before measuring, after the last keystroke, and for debounced stores to land. */
  pauses: { warmupMs: number; drainMs: number; storeMs: number };
  classroom: { rooms: number; clientsPerRoom: number; seconds: number };
  lecture: { clients: number; seconds: number };
  capacity: { clientsPerRoom: number; steps: number[]; seconds: number; thresholdMs: number };
  coldOpen: { cells: number; outputBytes: number; historyUpdates: number; opens: number };
  storage: { rooms: number; clientsPerRoom: number; keystrokes: number };
  wire: { clients: number; seconds: number };
}

export const fullSizes: Sizes = {
  rounds: 2,
  pauses: { warmupMs: 1000, drainMs: 1500, storeMs: 3000 },
  classroom: { rooms: 30, clientsPerRoom: 36, seconds: 15 },
  lecture: { clients: 200, seconds: 15 },
  capacity: { clientsPerRoom: 36, steps: [2, 4, 6, 8, 12, 16, 20, 25, 30], seconds: 8, thresholdMs: 100 },
  coldOpen: { cells: 300, outputBytes: 2_000_000, historyUpdates: 50_000, opens: 2 },
  storage: { rooms: 20, clientsPerRoom: 3, keystrokes: 100_000 },
  wire: { clients: 3, seconds: 10 },
};

export const quickSizes: Sizes = {
  rounds: 1,
  pauses: { warmupMs: 300, drainMs: 600, storeMs: 2500 },
  classroom: { rooms: 3, clientsPerRoom: 12, seconds: 2 },
  lecture: { clients: 40, seconds: 2 },
  capacity: { clientsPerRoom: 12, steps: [2, 4], seconds: 1.5, thresholdMs: 100 },
  coldOpen: { cells: 30, outputBytes: 200_000, historyUpdates: 2_000, opens: 1 },
  storage: { rooms: 4, clientsPerRoom: 2, keystrokes: 2_000 },
  wire: { clients: 3, seconds: 1 },
};

/** Reports progress on stderr. */
export const log = (line: string): void => {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
};

/** A peer failed to start or a job failed: recorded, and the run exits non-zero at the end. */
export const problems: string[] = [];

/** Node options for our server only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it. */
const serverNodeArgs = (spec: PeerSpec): string[] =>
  spec.id.startsWith('candyce') ? (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean) : [];

const withPeer = async <T>(spec: PeerSpec, body: (peer: RunningPeer) => Promise<T>): Promise<T | null> => {
  const nodeArgs = serverNodeArgs(spec);
  const dataDir = await makeDataDir(spec.id);
  let peer: RunningPeer | null = null;
  try {
    peer = await startPeer(spec, dataDir, nodeArgs);
    return await body(peer);
  } catch (err) {
    const message = `${spec.id}: ${err instanceof Error ? err.message : String(err)}`;
    problems.push(message);
    log(`problem: ${message}`);
    return null;
  } finally {
    await peer?.stop();
    await removeDataDir(dataDir);
  }
};

const pauses = (sizes: Sizes) => ({ warmupMs: sizes.pauses.warmupMs, drainMs: sizes.pauses.drainMs });

/** Hocuspocus stores after a 2 s debounce (10 s at most); the others write as they go. */
const storeWait = (spec: PeerSpec, sizes: Sizes) =>
  spec.dialect === 'hocuspocus' ? sizes.pauses.storeMs : 500;

/** Rotates the peers so that no peer always runs first. */
const rotation = (specs: PeerSpec[], round: number): PeerSpec[] =>
  specs.map((_, i) => specs[(i + round) % specs.length]!);

interface LoadRun {
  result: LoadResult;
  server: { cpuPercent: number | null; rssMiB: number | null; peakRssMiB: number | null };
  /** Keystrokes missing after kill -9 and restart (persistent peers). */
  lostAfterKill: number | null;
}

const loadOnPeer = async (
  peer: RunningPeer,
  job: Omit<LoadJob, 'kind' | 'dialect' | 'base'>,
  killCheck: boolean,
): Promise<LoadRun> => {
  const sampler = createProcSampler(peer.pid);
  let started: Promise<void> | null = null;
  const result = await runJob<LoadResult>(
    { ...job, kind: 'load', dialect: peer.spec.dialect, base: peer.base },
    () => {
      started = sampler.start();
    },
  );
  await started;
  const server = await sampler.stop();
  let lostAfterKill: number | null = null;
  if (killCheck && peer.spec.persistent) {
    // Acknowledged-and-broadcast keystrokes must survive a crash: kill -9, restart on the same directory, read back.
    await peer.stop('SIGKILL');
    const again = await startPeer(peer.spec, peer.dataDir);
    try {
      const verify = await runJob<VerifyResult>({
        kind: 'verify',
        dialect: peer.spec.dialect,
        base: again.base,
        expected: result.expected,
      });
      lostAfterKill = verify.missing;
    } finally {
      await again.stop();
    }
  }
  return { result, server, lostAfterKill };
};

/** Figures of one peer over the rounds of a load scenario. */
export const loadFigures = (runs: LoadRun[]) => {
  const sum = (f: (r: LoadResult) => number) => runs.reduce((a, r) => a + f(r.result), 0);
  const seconds = sum((r) => r.measuredSeconds);
  const keystrokes = sum((r) => r.keystrokes);
  const avg = (f: (r: LoadRun) => number | null) =>
    round(runs.reduce((a, r) => a + (f(r) ?? 0), 0) / Math.max(1, runs.length));
  const lost = runs.map((r) => r.lostAfterKill).filter((v): v is number => v !== null);
  return {
    rounds: runs.length,
    connected: Math.min(...runs.map((r) => r.result.connected)),
    failedToConnect: sum((r) => r.failedToConnect),
    keystrokes,
    keystrokesPerSecond: round(keystrokes / seconds),
    awarenessUpdates: sum((r) => r.awarenessUpdates),
    latencyMs: latencySummary(runs.flatMap((r) => r.result.latencies)),
    updatesFannedOutPerSecond: round(sum((r) => r.updatesDown) / seconds),
    messagesFromServerPerSecond: round(sum((r) => r.messagesDown) / seconds),
    bytesFromServerPerSecond: round(sum((r) => r.bytesDown) / seconds, 0),
    server: {
      cpuPercent: avg((r) => r.server.cpuPercent),
      rssMiB: avg((r) => r.server.rssMiB),
      peakRssMiB: round(Math.max(...runs.map((r) => r.server.peakRssMiB ?? 0))),
    },
    generatorCpuPercent: avg((r) => r.result.generatorCpuPercent),
    errors: sum((r) => r.errorCount),
    errorSamples: runs.flatMap((r) => r.result.errorSamples).slice(0, 5),
    disconnects: sum((r) => r.disconnects),
    undeliveredToSamplers: sum((r) => r.undelivered),
    keystrokesLostAfterKill9: lost.length > 0 ? lost.reduce((a, b) => a + b, 0) : null,
    wire: {
      updateBytesUpPerKeystroke: round(sum((r) => r.updateBytesUp) / keystrokes),
      bytesUpPerKeystroke: round(sum((r) => r.bytesUp) / keystrokes),
      bytesDownPerKeystroke: round(sum((r) => r.bytesDown) / keystrokes),
      updateBytesDownPerKeystroke: round(sum((r) => r.updateBytesDown) / keystrokes),
    },
  };
};

export type LoadFigures = ReturnType<typeof loadFigures>;

const alternatingLoad = async (
  name: string,
  specs: PeerSpec[],
  rounds: number,
  job: (roundIndex: number) => Omit<LoadJob, 'kind' | 'dialect' | 'base'>,
  killCheck: boolean,
): Promise<Record<string, LoadFigures>> => {
  const runs = new Map<string, LoadRun[]>();
  for (let r = 0; r < rounds; r++) {
    for (const spec of rotation(specs, r)) {
      log(`${name}: round ${r + 1}/${rounds}, ${spec.id}`);
      const run = await withPeer(spec, (peer) => loadOnPeer(peer, job(r), killCheck));
      if (run) runs.set(spec.id, [...(runs.get(spec.id) ?? []), run]);
    }
  }
  const out: Record<string, LoadFigures> = {};
  for (const spec of specs) {
    const list = runs.get(spec.id);
    if (list?.length) {
      out[spec.id] = loadFigures(list);
      if (out[spec.id]!.latencyMs.samples === 0) problems.push(`${name}: no latency measured for ${spec.id}`);
    } else problems.push(`${name}: no figures for ${spec.id}`);
  }
  return out;
};

/** (1) Classroom: rooms of pupils all typing in their own cell, each moving its cursor. */
export const classroom = (specs: PeerSpec[], sizes: Sizes) =>
  alternatingLoad(
    'classroom',
    specs,
    sizes.rounds,
    (r) => ({
      roomPrefix: `class-${r}`,
      rooms: sizes.classroom.rooms,
      clientsPerRoom: sizes.classroom.clientsPerRoom,
      typistsPerRoom: sizes.classroom.clientsPerRoom,
      samplersPerRoom: 4,
      seconds: sizes.classroom.seconds,
      cursorEvery: 5,
      ...pauses(sizes),
    }),
    true,
  );

/** (2) Lecture hall: one room, the teacher types, everybody watches (and measures). */
export const lecture = (specs: PeerSpec[], sizes: Sizes) =>
  alternatingLoad(
    'lecture',
    specs,
    sizes.rounds,
    (r) => ({
      roomPrefix: `hall-${r}`,
      rooms: 1,
      clientsPerRoom: sizes.lecture.clients,
      typistsPerRoom: 1,
      samplersPerRoom: sizes.lecture.clients - 1,
      seconds: sizes.lecture.seconds,
      cursorEvery: 5,
      ...pauses(sizes),
    }),
    false,
  );

/** (6) Bytes on the wire per keystroke, up and down, in one small room. */
export const wire = (specs: PeerSpec[], sizes: Sizes) =>
  alternatingLoad(
    'wire',
    specs,
    1,
    () => ({
      roomPrefix: 'wire',
      rooms: 1,
      clientsPerRoom: sizes.wire.clients,
      typistsPerRoom: sizes.wire.clients,
      samplersPerRoom: sizes.wire.clients,
      seconds: sizes.wire.seconds,
      cursorEvery: 5,
      ...pauses(sizes),
    }),
    false,
  );

/** (3) Capacity: classroom-sized rooms, more and more, until p99 exceeds the threshold (peers alternate per step). */
export const capacity = async (specs: PeerSpec[], sizes: Sizes) => {
  const { clientsPerRoom, steps, seconds, thresholdMs } = sizes.capacity;
  const out: Record<
    string,
    {
      steps: {
        rooms: number;
        connections: number;
        p99: number | null;
        errors: number;
        cpuPercent: number | null;
      }[];
      capacityRooms: number;
      capacityConnections: number;
      reachedLastStep: boolean;
    }
  > = {};
  const going = new Set(specs.map((s) => s.id));
  for (const s of specs)
    out[s.id] = { steps: [], capacityRooms: 0, capacityConnections: 0, reachedLastStep: false };
  for (const rooms of steps) {
    for (const spec of specs.filter((s) => going.has(s.id))) {
      log(`capacity: ${rooms} rooms, ${spec.id}`);
      const run = await withPeer(spec, (peer) =>
        loadOnPeer(
          peer,
          {
            roomPrefix: `cap-${rooms}`,
            rooms,
            clientsPerRoom,
            typistsPerRoom: clientsPerRoom,
            samplersPerRoom: 4,
            seconds,
            cursorEvery: 5,
            ...pauses(sizes),
          },
          false,
        ),
      );
      const entry = out[spec.id]!;
      if (!run) {
        going.delete(spec.id);
        continue;
      }
      const figures = loadFigures([run]);
      const errors = figures.errors + figures.failedToConnect + figures.undeliveredToSamplers;
      entry.steps.push({
        rooms,
        connections: rooms * clientsPerRoom,
        p99: figures.latencyMs.p99,
        errors,
        cpuPercent: figures.server.cpuPercent,
      });
      if (figures.latencyMs.p99 !== null && figures.latencyMs.p99 <= thresholdMs && errors === 0) {
        entry.capacityRooms = rooms;
        entry.capacityConnections = rooms * clientsPerRoom;
        entry.reachedLastStep = rooms === steps.at(-1);
      } else going.delete(spec.id);
    }
  }
  return out;
};

/** (4) Cold open of the big notebook: time from connect to synced for a new client. */
export const coldOpen = async (specs: PeerSpec[], sizes: Sizes) => {
  const size = sizes.coldOpen;
  const out: Record<
    string,
    {
      seed: SeedResult;
      warmMs: number[];
      warmMedianMs: number | null;
      coldMs: number[];
      coldMedianMs: number | null;
    }
  > = {};
  for (const spec of specs) {
    log(`cold open: ${spec.id}`);
    const figures = await withPeer(spec, async (peer) => {
      const room = 'big-notebook';
      const target = { dialect: spec.dialect, base: peer.base };
      const seed = await runJob<SeedResult>({
        kind: 'seed',
        ...target,
        room,
        size,
        batch: 100,
        opens: size.opens,
      });
      const open = async (base: string) =>
        (
          await runJob<OpenResult>({
            kind: 'open',
            dialect: spec.dialect,
            base,
            room,
            want: seed.stateVector,
          })
        ).ms;
      const warmMs = seed.warmMs;
      const coldMs: number[] = [];
      if (spec.persistent) {
        // Give debounced stores time to land, stop gracefully, then open on a fresh process.
        await new Promise((r) => setTimeout(r, storeWait(spec, sizes)));
        await peer.stop();
        for (let i = 0; i < size.opens; i++) {
          const again = await startPeer(spec, peer.dataDir);
          try {
            coldMs.push(await open(again.base));
          } finally {
            await again.stop();
          }
        }
      }
      const median = (xs: number[]) =>
        xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : null;
      return { seed, warmMs, warmMedianMs: median(warmMs), coldMs, coldMedianMs: median(coldMs) };
    });
    if (figures) out[spec.id] = figures;
    else problems.push(`cold open: no figures for ${spec.id}`);
  }
  return out;
};

/** (5) Storage: bytes on disk after N keystrokes against the encoded size of the documents. */
export const storage = async (specs: PeerSpec[], sizes: Sizes) => {
  const { rooms, clientsPerRoom, keystrokes } = sizes.storage;
  const out: Record<string, Record<string, unknown>> = {};
  for (const spec of specs.filter((s) => s.persistent)) {
    log(`storage: ${spec.id}`);
    const figures = await withPeer(spec, async (peer) => {
      const target = { dialect: spec.dialect, base: peer.base };
      const flood = await runJob<FloodResult>({
        kind: 'flood',
        ...target,
        roomPrefix: 'store',
        rooms,
        clientsPerRoom,
        keystrokesPerClient: Math.ceil(keystrokes / (rooms * clientsPerRoom)),
        rate: 150,
      });
      const verify = await runJob<VerifyResult>({ kind: 'verify', ...target, expected: flood.expected });
      await new Promise((r) => setTimeout(r, storeWait(spec, sizes)));
      const liveBytes = await dataBytes(peer);
      const liveFiles = await dirListing(peer.dataDir);
      await peer.stop();
      const afterShutdownBytes = await dataBytes(peer);
      const afterShutdownFiles = await dirListing(peer.dataDir);
      const again = await startPeer(spec, peer.dataDir);
      let reloadedMissing: number;
      try {
        reloadedMissing = (
          await runJob<VerifyResult>({
            kind: 'verify',
            dialect: spec.dialect,
            base: again.base,
            expected: flood.expected,
          })
        ).missing;
      } finally {
        await again.stop();
      }
      const afterReopenBytes = await dataBytes(peer);
      const afterReopenFiles = await dirListing(peer.dataDir);
      return {
        keystrokes: flood.keystrokes,
        floodSeconds: round(flood.seconds),
        encodedBytes: verify.encodedBytes,
        liveBytes,
        afterShutdownBytes,
        afterReopenBytes,
        liveRatio: round(liveBytes / verify.encodedBytes, 2),
        afterShutdownRatio: round(afterShutdownBytes / verify.encodedBytes, 2),
        afterReopenRatio: round(afterReopenBytes / verify.encodedBytes, 2),
        missingAfterRestart: reloadedMissing,
        errors: flood.errorCount,
        files: { live: liveFiles, afterShutdown: afterShutdownFiles, afterReopen: afterReopenFiles },
      };
    });
    if (figures) out[spec.id] = figures;
    else problems.push(`storage: no figures for ${spec.id}`);
  }
  return out;
};

export type { Expected };
