// Side-by-side benchmark of our server against the y-websocket reference
// server (with and without y-leveldb) and Hocuspocus (with and without SQLite).
//
//   npm run bench         every scenario at full size (about 25 minutes on 2 cores)
//   npm run bench:quick   every scenario at small size (CI smoke run: figures must exist, no threshold)
//
// BENCH_PEERS=candyce,hocuspocus limits the peers; BENCH_SCENARIOS=classroom,wire the scenarios;
// BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" goes to our server's node;
// BENCH_ROUNDS=1 and BENCH_CAPACITY_STEPS=20,30 shrink a run (to profile one step, say).
// Writes test/bench/results/side-by-side.json (side-by-side-quick.json in quick mode; side-by-side-partial.json
// for a restricted run, so that it never replaces the published figures) and, in full mode, the figures of
// docs/BENCHMARKS.md. Exits 1 when a peer failed to start or a scenario has no figures.
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { peers, root, versions } from './peers.js';
import { machine, renderFigures, writeFiguresInto } from './report.js';
import {
  capacity,
  classroom,
  coldOpen,
  fullSizes,
  lecture,
  log,
  problems,
  quickSizes,
  storage,
  wire,
} from './scenarios.js';
import { round } from './stats.js';

const quick = process.argv.includes('--quick');
const restricted = Boolean(
  process.env.BENCH_PEERS ||
    process.env.BENCH_SCENARIOS ||
    process.env.BENCH_ROUNDS ||
    process.env.BENCH_CAPACITY_STEPS,
);
const base = quick ? quickSizes : fullSizes;
const sizes = {
  ...base,
  rounds: Number(process.env.BENCH_ROUNDS) || base.rounds,
  capacity: {
    ...base.capacity,
    steps: process.env.BENCH_CAPACITY_STEPS?.split(',').map(Number) ?? base.capacity.steps,
  },
};
const onlyPeers = process.env.BENCH_PEERS?.split(',');
const onlyScenarios = process.env.BENCH_SCENARIOS?.split(',');
const specs = peers.filter((p) => !onlyPeers || onlyPeers.includes(p.id));
const wanted = (name: string) => !onlyScenarios || onlyScenarios.includes(name);

const started = performance.now();
const results = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  durationSeconds: 0,
  machine: machine(),
  versions: versions(),
  commands: quick ? 'npm run bench:quick' : 'npm run bench',
  peerLabels: Object.fromEntries(specs.map((p) => [p.id, p.label])),
  sizes,
  scenarios: {} as Record<string, Record<string, unknown>>,
  /** 1-minute load average at the start and end of each scenario (other work on the machine shows here). */
  loadAverages: {} as Record<string, [number, number]>,
  problems,
};

const scenarios: [string, () => Promise<Record<string, unknown>>][] = [
  ['classroom', () => classroom(specs, sizes)],
  ['lecture', () => lecture(specs, sizes)],
  // Capacity against the peers without persistence, as the goal says (they run without our guarantees).
  [
    'capacity',
    () =>
      capacity(
        specs.filter((p) => p.id.startsWith('candyce') || !p.persistent),
        sizes,
      ),
  ],
  ['coldOpen', () => coldOpen(specs, sizes)],
  ['storage', () => storage(specs, sizes)],
  ['wire', () => wire(specs, sizes)],
];

for (const [name, run] of scenarios) {
  if (!wanted(name)) continue;
  const loadAtStart = loadavg()[0]!;
  const figures = await run();
  results.scenarios[name] = figures;
  results.loadAverages[name] = [round(loadAtStart) ?? 0, round(loadavg()[0]!) ?? 0];
  if (Object.keys(figures).length === 0) problems.push(`${name}: no figures at all`);
}
results.durationSeconds = Math.round((performance.now() - started) / 1000);

const dir = join(root, 'test/bench/results');
await mkdir(dir, { recursive: true });
const out = join(
  dir,
  restricted ? 'side-by-side-partial.json.tmp' : quick ? 'side-by-side-quick.json' : 'side-by-side.json',
);
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
const figures = renderFigures(results);
console.log(figures);
if (!quick && !restricted) await writeFiguresInto(join(root, 'docs/BENCHMARKS.md'), figures);
log(`written to ${out} in ${results.durationSeconds} s`);
if (problems.length > 0) {
  log(`${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exit(1);
}
process.exit(0);
