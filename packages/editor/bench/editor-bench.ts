// bench:editor — bundle sizes (raw, gzip); time until a 200-cell notebook
// with outputs is rendered and editable in headless Chromium, at full speed
// and with the CPU throttled 4x (an old school laptop); JS heap after load.
// Writes test/bench/results/editor.json and prints a table.
// BENCH_CELLS=50,200 BENCH_THROTTLES=4 BENCH_RUNS=3 measure other sizes and
// rates only (printed, not written: the file keeps the standard table).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeNotebook } from '../../../test/e2e/fixtures/notebooks.js';
import { putNotebook, startStack } from '../../../test/e2e/helpers/stack.js';
import { bundle } from '../build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const cells = 200;
const runs = Number(process.env.BENCH_RUNS ?? 3);
const only = process.env.BENCH_CELLS !== undefined || process.env.BENCH_THROTTLES !== undefined;
const cellCounts = (process.env.BENCH_CELLS ?? '200').split(',').map(Number);
const throttles = (process.env.BENCH_THROTTLES ?? '1,4').split(',').map(Number);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

const sizesDir = await mkdtemp(join(tmpdir(), 'candyce-bench-'));
const sizes = await bundle({
  entry: join(here, '../src/index.ts'),
  outdir: sizesDir,
  name: 'candyce-editor',
  quiet: true,
});
await rm(sizesDir, { recursive: true, force: true });

const stack = await startStack();
for (const n of new Set([cells, ...cellCounts])) await putNotebook(stack, `bench-${n}`, largeNotebook(n));

interface Load {
  renderedMs: number;
  editableMs: number;
  heapMiB: number;
}

const load = async (throttle: number, cells: number): Promise<Load> => {
  const room = `bench-${cells}`;
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const q = new URLSearchParams({ server: stack.sync(), name: 'Bench', role: 'teacher', kernel: 'none' });
  // Times are read in the page, from the start of navigation (performance.now()), by a check
  // at every frame from before the first script runs: the first editor may be ready before
  // the page's load event, and long before the last cell. The script is a string: tsx would
  // wrap named functions in a helper the page does not have.
  await page.addInitScript(`(() => {
    if (window !== window.top) return;
    const times = (window.__benchTimes = {});
    const root = () => document.querySelector('candyce-notebook')?.shadowRoot;
    const check = () => {
      if (times.editable === undefined &&
          root()?.querySelector('candyce-cell[data-type="code"] .cm-content[contenteditable="true"]'))
        times.editable = performance.now();
      if (times.rendered === undefined &&
          (root()?.querySelectorAll('candyce-cell .outputs, candyce-cell .markdown').length ?? 0) >= ${cells})
        times.rendered = performance.now();
      if (times.editable === undefined || times.rendered === undefined) requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })()`);
  await page.goto(`${stack.web.url}/n/${room}?${q}`);
  await page.waitForFunction(
    () => {
      const times = (window as unknown as { __benchTimes: Record<string, number> }).__benchTimes;
      return times.editable !== undefined && times.rendered !== undefined;
    },
    undefined,
    { timeout: 120_000 },
  );
  const { renderedMs, editableMs } = (await page.evaluate(
    '({ renderedMs: window.__benchTimes.rendered, editableMs: window.__benchTimes.editable })',
  )) as { renderedMs: number; editableMs: number };
  // Editable for real: a keystroke lands in the shared document.
  await page.locator('candyce-cell[data-type="code"] .cm-content').first().click();
  await page.keyboard.type('#');
  await page.waitForFunction(`document.querySelector('candyce-notebook').exportNotebook().cells
    .some((c) => [].concat(c.source).join('').includes('#'))`);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await context.close();
  return { renderedMs, editableMs, heapMiB: heap.usedSize / 1024 / 1024 };
};

const measure = async (throttle: number, n = cells) => {
  const loads: Load[] = [];
  for (let i = 0; i < runs; i++) loads.push(await load(throttle, n));
  return {
    renderedMs: round(median(loads.map((l) => l.renderedMs))),
    editableMs: round(median(loads.map((l) => l.editableMs))),
    heapMiB: round(median(loads.map((l) => l.heapMiB)), 2),
  };
};

if (only) {
  for (const n of cellCounts)
    for (const rate of throttles) {
      const m = await measure(rate, n);
      console.log(
        `${n} cells, CPU x${rate}: rendered ${m.renderedMs} ms, first code cell editable ${m.editableMs} ms (median of ${runs})`,
      );
    }
  await stack.close();
  process.exit(0);
}
const normal = await measure(1);
const slow = await measure(4);
await stack.close();

const kb = (n: number) => round(n / 1024);
const results = {
  'bundle loaded at start, raw (KiB)': kb(sizes.initialRaw),
  'bundle loaded at start, gzip (KiB)': kb(sizes.initialGzip),
  'bundle loaded on demand (KaTeX, Markdown editing, kernels), raw (KiB)': kb(sizes.lazyRaw),
  'bundle loaded on demand, gzip (KiB)': kb(sizes.lazyGzip),
  [`${cells} cells rendered with outputs, median of ${runs} (ms)`]: normal.renderedMs,
  [`${cells} cells: first code cell editable, median of ${runs} (ms)`]: normal.editableMs,
  [`${cells} cells rendered, CPU throttled 4x (ms)`]: slow.renderedMs,
  [`${cells} cells: first code cell editable, CPU throttled 4x (ms)`]: slow.editableMs,
  [`JS heap after loading ${cells} cells (MiB)`]: normal.heapMiB,
};

const file = join(root, 'test/bench/results/editor.json');
await mkdir(dirname(file), { recursive: true });
await writeFile(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, chromium: stack.browser.browser.version(), results }, null, 2)}\n`,
);
const width = Math.max(...Object.keys(results).map((k) => k.length));
console.log(`\n${'measure'.padEnd(width)}  value`);
console.log(`${'-'.repeat(width)}  -----`);
for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(width)}  ${v}`);
console.log(`\nwritten to ${file}`);
