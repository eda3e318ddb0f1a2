// Prints how long a host waits for the player: from "open" to the content
// loaded (session minted, iframe, handshake, room prepared, first sync), and
// for a save (getContent, the host's PUT, contentSaved). Real Chromium, both
// servers on this machine. Run: npm run bench -w @candyce/embed
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createServer } from '@candyce/server';
import { chromium } from 'playwright-core';
import { buildWebApp } from '../../web/build.mjs';
import { buildHostPage } from '../build.mjs';
import { createHostServer } from '../src/host-server.js';

const runs = Number(process.env.RUNS ?? 9);
const secret = 'bench-secret-that-is-long-enough-for-hs256';
const dir = await mkdtemp(join(tmpdir(), 'candyce-embed-bench-'));
await buildWebApp(join(dir, 'web'), { quiet: true });
await buildHostPage(join(dir, 'host'), { quiet: true });
const server = createServer({
  port: 0,
  dataDir: join(dir, 'data'),
  logger: createLogger('silent'),
  staticDir: join(dir, 'web'),
  secret,
});
const port = await server.listen();
const host = createHostServer({
  candyceUrl: `http://127.0.0.1:${port}`,
  secret,
  publicDir: join(dir, 'host'),
});
await host.listen();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const open: number[] = [];
const save: number[] = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${host.url()}/?activity=bench${i}&mode=create`);
  const t0 = performance.now();
  await page.locator('#open').click();
  await page.locator('#player-status[data-state="loaded"]').waitFor();
  open.push(performance.now() - t0);
  const t1 = performance.now();
  await page.locator('#save').click();
  await page.locator('#player-status[data-state="saved"]').waitFor();
  save.push(performance.now() - t1);
  await context.close();
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const fmt = (a: number[]) =>
  `median ${median(a).toFixed(0)} ms, min ${Math.min(...a).toFixed(0)}, max ${Math.max(...a).toFixed(0)}`;
console.log(`player open (session, iframe, handshake, new room, sync), ${runs} runs: ${fmt(open)}`);
console.log(`save through the contract (getContent, host PUT, contentSaved), ${runs} runs: ${fmt(save)}`);
await browser.close();
await host.close();
await server.close();
await rm(dir, { recursive: true, force: true });
