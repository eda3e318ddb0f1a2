// Kernels benchmark: prints figures, asserts nothing. Run with `npm run bench:kernels`.
// Figures: Pyodide cold and warm start; for the Pyodide and Jupyter gateways,
// time from the run request to the first output in the document and to idle
// for print(1); and a cell printing 100,000 lines: lines per second written
// into the document, and when they reach a second document that receives its
// updates one event-loop turn later, as a peer behind a socket would.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getCell, importIpynb, insertCell, outputsOf, setCellSource } from '@candyce/model';
import * as Y from 'yjs';
import { executeCell, jupyterGateway, type KernelGateway, type KernelSession } from '../src/index.js';
import { nodePyodideGateway, nodeWorker } from '../src/node.js';
import { startJupyterServer } from '../test/helpers/jupyter-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const results: Record<string, number | string> = {};
const row = (label: string, value: number, unit: string) => {
  const rounded = Math.round(value * 100) / 100;
  results[`${label} (${unit})`] = rounded;
  console.log(`${label.padEnd(62)} ${rounded.toLocaleString('en').padStart(12)} ${unit}`);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

const newNotebook = () => {
  const doc = new Y.Doc();
  importIpynb(doc, { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });
  insertCell(doc, 0, { cell_type: 'code', id: 'c', source: '' });
  return doc;
};

const textOf = (doc: Y.Doc) => {
  const outputs = outputsOf(getCell(doc, 'c'));
  const first = outputs?.length ? (outputs.get(0) as Y.Map<unknown>) : undefined;
  return first ? String(first.get('text') ?? '') : '';
};

/** Runs `code` in a fresh notebook; returns when the first output and idle reached the document. */
const timeRun = async (session: KernelSession, code: string) => {
  const doc = newNotebook();
  setCellSource(doc, 'c', code, { role: 'teacher' });
  let firstOutput = Number.NaN;
  const t0 = performance.now();
  doc.on('update', () => {
    if (Number.isNaN(firstOutput) && (outputsOf(getCell(doc, 'c'))?.length ?? 0) > 0)
      firstOutput = performance.now() - t0;
  });
  await executeCell(doc, 'c', session);
  return { firstOutput, idle: performance.now() - t0 };
};

const printOne = async (name: string, session: KernelSession) => {
  await timeRun(session, 'print(0)');
  const first: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = await timeRun(session, 'print(1)');
    first.push(t.firstOutput);
    idle.push(t.idle);
  }
  row(`${name}: print(1), run request to first output, median of 20`, median(first), 'ms');
  row(`${name}: print(1), run request to first output, p95`, p95(first), 'ms');
  row(`${name}: print(1), run request to idle, median of 20`, median(idle), 'ms');
};

const lines = 100_000;
const throughput = async (name: string, session: KernelSession) => {
  const doc = newNotebook();
  setCellSource(doc, 'c', `for i in range(${lines}):\n    print(i)`, { role: 'teacher' });
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  let updates = 0;
  let bytes = 0;
  let reached = Number.NaN;
  const last = `${lines - 1}\n`;
  const t0 = performance.now();
  doc.on('update', (update: Uint8Array) => {
    updates++;
    bytes += update.length;
    setImmediate(() => {
      Y.applyUpdate(peer, update);
      if (Number.isNaN(reached) && textOf(peer).endsWith(last)) reached = performance.now() - t0;
    });
  });
  await executeCell(doc, 'c', session);
  const idle = performance.now() - t0;
  await new Promise((resolve) => setImmediate(resolve));
  const written = textOf(doc).split('\n').length - 1;
  row(`${name}: ${lines.toLocaleString('en')} lines, run request to idle`, idle, 'ms');
  row(`${name}: lines per second written into the document`, written / (idle / 1000), 'lines/s');
  row(`${name}: last line reaches the second document after`, reached, 'ms');
  row(`${name}: lines in the document (the rest elided)`, written, 'lines');
  row(`${name}: document updates sent`, updates, 'updates');
  row(`${name}: bytes of updates sent`, bytes / 1024, 'KiB');
};

const startTimed = async (gateway: KernelGateway) => {
  const t0 = performance.now();
  const session = await gateway.startKernel('python3');
  return { session, ms: performance.now() - t0 };
};

// Pyodide: the built worker when there is one (what browsers run), else the source.
const built = new URL('../dist/pyodide-worker.js', import.meta.url);
const worker = existsSync(fileURLToPath(built)) ? nodeWorker(built) : nodeWorker();
results['pyodide worker'] = existsSync(fileURLToPath(built)) ? 'dist/pyodide-worker.js' : 'src (through tsx)';
const pyodide = nodePyodideGateway({ worker });
const cold = await startTimed(pyodide);
row('pyodide: cold start (first kernel of the process)', cold.ms, 'ms');
await cold.session.shutdown();
const warmTimes: number[] = [];
let session: KernelSession | undefined;
for (let i = 0; i < 3; i++) {
  await session?.shutdown();
  const warm = await startTimed(pyodide);
  warmTimes.push(warm.ms);
  session = warm.session;
}
row('pyodide: warm start (new worker, files cached), median of 3', median(warmTimes), 'ms');
await printOne('pyodide', session!);
await throughput('pyodide', session!);
await session!.shutdown();

const server = await startJupyterServer();
try {
  const jupyter = jupyterGateway({ url: server.url, token: server.token });
  const started = await startTimed(jupyter);
  row('jupyter: kernel start (python3, ipykernel)', started.ms, 'ms');
  await printOne('jupyter', started.session);
  await throughput('jupyter', started.session);
  await started.session.shutdown();
} finally {
  await server.stop();
}

const out = join(here, '../../../test/bench/results/kernels.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
);
console.log(`\nwritten to ${out}`);
