// A lesson on school hardware: bytes and time to the first run of
// `print(1)` on a cold visit (empty browser) and a warm one (the same
// browser, the next day: service worker and HTTP cache), at full speed and on
// a throttled device (CPU x4, 400 kbit/s, 400 ms round trip); then the time
// until the first code cell of a 50- and a 200-cell notebook is editable, CPU x4.
//
//   node --conditions=source --import tsx test/bench/lesson-bench.ts          (about two minutes)
//   node --conditions=source --import tsx test/bench/lesson-bench.ts --full   (+ the throttled cold visit, measured: minutes)
//
// Bytes are counted on the wire by a proxy between Chromium and the server
// (the page's, the kernel worker's and the service worker's requests), which
// also applies the line's bandwidth and round trip (Chromium's own network
// throttling cannot be relied on to reach the kernel worker's requests).
// The CPU is throttled with CDP's Emulation.setCPUThrottlingRate on the
// page. Without --full the throttled cold visit is not measured in full: its
// time is the measured throttled time with no bandwidth cap, plus its bytes
// at 400 kbit/s, and the output says so.
import type { Page } from 'playwright-core';
import { largeNotebook } from '../e2e/fixtures/notebooks.js';
import { startCountingProxy } from '../e2e/helpers/counting-proxy.js';
import { putNotebook, startStack } from '../e2e/helpers/stack.js';

const full = process.argv.includes('--full');
const line = { bytesPerSecond: 400_000 / 8, rttMs: 400, cpu: 4 };

const stack = await startStack();
const proxy = await startCountingProxy(stack.http());
// Each visit opens a room of its own: the output of an earlier visit's run must not count as this one's.
let rooms = 0;
const newLesson = async (): Promise<string> => {
  const room = `lesson-${++rooms}`;
  await putNotebook(stack, room, {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells: [
      { id: 'one', cell_type: 'code', metadata: {}, source: 'print(1)', outputs: [], execution_count: null },
    ],
  });
  return room;
};
for (const n of [50, 200]) await putNotebook(stack, `cells-${n}`, largeNotebook(n));

const url = (room: string, kernel: string) =>
  `${proxy.url}/n/${room}?${new URLSearchParams({ name: 'Bench', role: 'teacher', lang: 'fr', kernel, server: `${proxy.url.replace('http', 'ws')}/sync` })}`;

// From navigation to the output "1" of print(1) on screen, in the page's clock.
const firstRun = async (page: Page): Promise<number> => {
  await page
    .locator('candyce-notebook candyce-cell[data-cell-id="one"]')
    .click({ position: { x: 20, y: 10 } });
  await page.keyboard.press('Shift+Enter');
  return (await page.evaluate(`new Promise((resolve) => {
    const check = () => {
      const out = document.querySelector('candyce-notebook')?.shadowRoot
        ?.querySelector('candyce-cell[data-cell-id="one"] .outputs')?.textContent?.trim();
      out === '1' ? resolve(performance.now()) : setTimeout(check, 20);
    };
    check();
  })`)) as number;
};

interface Visit {
  bytes: number;
  pyodideBytes: number;
  ms: number;
}

const visit = async (
  context: Awaited<ReturnType<typeof stack.browser.newContext>>,
  throttled: { cpu: boolean; line: boolean },
): Promise<Visit> => {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttled.cpu ? line.cpu : 1 });
  proxy.throttle(throttled.line ? line.bytesPerSecond : 0);
  proxy.latency(throttled.cpu || throttled.line ? line.rttMs : 0);
  const room = await newLesson();
  proxy.responses.length = 0;
  await page.goto(url(room, 'pyodide'), { timeout: 0 });
  await page.locator('candyce-notebook header').waitFor({ timeout: 0 });
  const ms = await firstRun(page);
  const result = { bytes: proxy.bytesUnder('/'), pyodideBytes: proxy.bytesUnder('/pyodide/'), ms };
  // The service worker keeps what it fetched before the page is closed.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForTimeout(1500);
  proxy.throttle(0);
  proxy.latency(0);
  await page.close();
  return result;
};

const rows: [string, string][] = [];
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

for (const throttledCpu of [false, true]) {
  const label = throttledCpu ? 'throttled (CPU x4, 400 kbit/s, 400 ms RTT)' : 'not throttled';
  const context = await stack.browser.newContext();
  const lineToo = throttledCpu && full;
  const cold = await visit(context, { cpu: throttledCpu, line: lineToo });
  const warm = await visit(context, { cpu: throttledCpu, line: throttledCpu });
  await context.close();
  if (throttledCpu && !full) {
    const computed = cold.ms + (cold.bytes / line.bytesPerSecond) * 1000;
    rows.push([
      `cold visit, ${label}`,
      `${mb(cold.bytes)} (Pyodide ${mb(cold.pyodideBytes)}), ${s(computed)} computed: ${s(cold.ms)} measured with CPU x4 and 400 ms RTT but no bandwidth cap, + bytes at 400 kbit/s`,
    ]);
  } else {
    rows.push([
      `cold visit, ${label}`,
      `${mb(cold.bytes)} (Pyodide ${mb(cold.pyodideBytes)}), ${s(cold.ms)} measured`,
    ]);
  }
  rows.push([
    `warm visit, ${label}`,
    `${mb(warm.bytes)} (Pyodide ${mb(warm.pyodideBytes)}), ${s(warm.ms)} measured`,
  ]);
}

// Time to editable, CPU x4, median of 3: from navigation to the first code cell's editor taking keys.
for (const n of [50, 200]) {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: line.cpu });
    await page.goto(url(`cells-${n}`, 'none'));
    times.push(
      (await page.evaluate(`new Promise((resolve) => {
        const check = () => document.querySelector('candyce-notebook')?.shadowRoot
          ?.querySelector('candyce-cell[data-type="code"] .cm-content[contenteditable="true"]')
          ? resolve(performance.now()) : requestAnimationFrame(check);
        check();
      })`)) as number,
    );
    await context.close();
  }
  times.sort((a, b) => a - b);
  rows.push([`${n} cells: first code cell editable, CPU x4 (median of 3)`, `${Math.round(times[1]!)} ms`]);
}

await proxy.close();
await stack.close();
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
