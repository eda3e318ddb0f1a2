// Benchmark of the sync server: ROOMS rooms x CLIENTS clients typing for
// SECONDS seconds on loopback. The server runs as a child process (the built
// apps/server/dist/main.js, as `npm start` runs it) so that the load generator in
// this process is not measured as the server. Clients speak the protocol
// directly with ws + lib0: each owns a Y.Doc for its own keystrokes only and
// never integrates others' updates, so the generator stays light.
//
//   npm run bench:server        (BENCH_ROOMS=20 BENCH_CLIENTS=30 BENCH_SECONDS=30 by default)
//
// Prints a table and writes test/bench/results/server.json.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Level } from 'level';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rooms = Number(process.env.BENCH_ROOMS ?? 20);
const clientsPerRoom = Number(process.env.BENCH_CLIENTS ?? 30);
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
/** Mean delay between two keystrokes of one pupil (about 200 characters a minute). */
const keystrokeMs = Number(process.env.BENCH_KEYSTROKE_MS ?? 300);
/** Receivers per room that measure latency (the others only count messages). */
const samplersPerRoom = 3;

const sentAt = new Map<string, number>();
const latencies: number[] = [];
let keystrokes = 0;
let messagesIn = 0;
let messagesOut = 0;
let bytesIn = 0;

interface BenchClient {
  ws: WebSocket;
  doc: Y.Doc;
  sampler: boolean;
  seen: Map<number, number>;
  next: number;
  awarenessClock: number;
}

const message = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

const onMessage = (client: BenchClient, data: Uint8Array): void => {
  messagesIn++;
  bytesIn += data.length;
  const d = decoding.createDecoder(data);
  const type = decoding.readVarUint(d);
  if (type !== 0) return;
  const sub = decoding.readVarUint(d);
  const payload = decoding.readVarUint8Array(d);
  if (sub === 0) {
    // The server's step 1: answer with what we have.
    const reply = message((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(client.doc, payload));
    });
    client.ws.send(reply);
    messagesOut++;
    return;
  }
  if (!client.sampler) return;
  const now = performance.now();
  const { from, to } = Y.parseUpdateMeta(payload);
  for (const [id, end] of to) {
    if (id === client.doc.clientID) continue;
    const start = Math.max(from.get(id) ?? 0, client.seen.get(id) ?? 0);
    for (let clock = start; clock < end; clock++) {
      const t = sentAt.get(`${id}:${clock}`);
      if (t !== undefined) latencies.push(now - t);
    }
    client.seen.set(id, Math.max(end, client.seen.get(id) ?? 0));
  }
};

const type = (client: BenchClient): void => {
  const text = client.doc.getText('t');
  const clock = Y.getState(client.doc.store, client.doc.clientID);
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => {
    update = u;
  };
  client.doc.once('update', capture);
  text.insert(text.length, String.fromCharCode(97 + (keystrokes % 26)));
  sentAt.set(`${client.doc.clientID}:${clock}`, performance.now());
  keystrokes++;
  client.ws.send(
    message((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, update!);
    }),
  );
  messagesOut++;
  // A cursor move with every fifth keystroke, as an editor would send.
  if (keystrokes % 5 === 0) {
    client.awarenessClock++;
    const state = JSON.stringify({ user: { name: 'pupil' }, cursor: { index: text.length } });
    client.ws.send(
      message((e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint8Array(
          e,
          message((a) => {
            encoding.writeVarUint(a, 1);
            encoding.writeVarUint(a, client.doc.clientID);
            encoding.writeVarUint(a, client.awarenessClock);
            encoding.writeVarString(a, state);
          }),
        );
      }),
    );
    messagesOut++;
  }
};

const startServer = async (dataDir: string): Promise<{ child: ChildProcess; port: number }> => {
  const serverArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...serverArgs, 'apps/server/dist/main.js'], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', CANDYCE_SECRET: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      const match = /"port":(\d+)/.exec(buffer);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, port };
};

const procStat = async (
  pid: number,
): Promise<{ cpuSeconds: number; rssBytes: number; peakRssBytes: number }> => {
  const statText = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { cpuSeconds: ticks / 100, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
};

const dirSize = async (dir: string): Promise<number> => {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await dirSize(path) : (await stat(path)).size;
  }
  return total;
};

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const main = async (): Promise<void> => {
  const loadAtStart = Number(loadavg()[0]!.toFixed(2));
  const dataDir = await mkdtemp(join(tmpdir(), 'candyce-bench-'));
  const { child, port } = await startServer(dataDir);
  const clients: BenchClient[] = [];
  await Promise.all(
    Array.from({ length: rooms * clientsPerRoom }, (_, i) => {
      const room = `bench-${Math.floor(i / clientsPerRoom)}`;
      const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/${room}`);
      const client: BenchClient = {
        ws,
        doc: new Y.Doc(),
        sampler: i % clientsPerRoom < samplersPerRoom,
        seen: new Map(),
        next: 0,
        awarenessClock: 0,
      };
      clients.push(client);
      ws.on('message', (data: Buffer) => onMessage(client, new Uint8Array(data)));
      ws.on('close', (code, reason) => {
        if (code !== 1012 && code !== 1005) console.error(`client of ${room} closed: ${code} ${reason}`);
      });
      return new Promise((resolve) => ws.on('open', resolve));
    }),
  );
  await new Promise((r) => setTimeout(r, 1000));
  latencies.length = 0;
  messagesIn = 0;
  messagesOut = 0;
  bytesIn = 0;

  const before = await procStat(child.pid!);
  const generatorBefore = process.cpuUsage();
  const started = performance.now();
  let peakRss = before.rssBytes;
  for (const c of clients) c.next = started + Math.random() * keystrokeMs;
  const ticker = setInterval(() => {
    const now = performance.now();
    for (const c of clients) {
      if (c.next > now) continue;
      type(c);
      // Exponential inter-keystroke delays: bursts and pauses, like real typing.
      c.next = now - Math.log(1 - Math.random()) * keystrokeMs;
    }
  }, 5);
  const sampler = setInterval(async () => {
    peakRss = Math.max(peakRss, (await procStat(child.pid!)).rssBytes);
  }, 500);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(ticker);
  await new Promise((r) => setTimeout(r, 1000));
  clearInterval(sampler);
  const elapsed = (performance.now() - started) / 1000;
  const after = await procStat(child.pid!);
  const generatorCpu = process.cpuUsage(generatorBefore);
  const liveBytes = await dirSize(dataDir);

  for (const c of clients) c.ws.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  const finalBytes = await dirSize(dataDir);
  // What the rooms hold once LevelDB has compacted its own files, against the documents' encoded size.
  const db = new Level<string, Uint8Array>(dataDir, { keyEncoding: 'utf8', valueEncoding: 'view' });
  let storedBytes = 0;
  let documentBytes = 0;
  for await (const [key, value] of db.iterator()) {
    storedBytes += key.length + value.length;
    if (key.endsWith('!snap')) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, value);
      documentBytes += Y.encodeStateAsUpdate(doc).length;
    }
  }
  // `level` is classic-level in Node, which compacts on demand; its types do not say so.
  await (db as unknown as { compactRange(start: string, end: string): Promise<void> }).compactRange('', '~');
  await db.close();
  const compactedBytes = await dirSize(dataDir);
  await rm(dataDir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    // Other work on the machine skews every figure: recorded so runs can be compared.
    loadAverage1mAtStart: loadAtStart,
    rooms,
    clientsPerRoom,
    seconds,
    keystrokeMsMean: keystrokeMs,
    keystrokes,
    keystrokesPerSecond: Math.round(keystrokes / seconds),
    latencyMs: {
      samples: latencies.length,
      p50: Number(percentile(latencies, 50).toFixed(2)),
      p99: Number(percentile(latencies, 99).toFixed(2)),
      max: Number((latencies.at(-1) ?? Number.NaN).toFixed(2)),
    },
    messagesPerSecond: {
      toServer: Math.round(messagesOut / seconds),
      fromServer: Math.round(messagesIn / seconds),
    },
    bytesFromServerPerSecond: Math.round(bytesIn / seconds),
    server: {
      cpuPercent: Number((((after.cpuSeconds - before.cpuSeconds) / elapsed) * 100).toFixed(1)),
      rssMiB: Number((after.rssBytes / 2 ** 20).toFixed(1)),
      peakRssMiB: Number((Math.max(peakRss, after.peakRssBytes) / 2 ** 20).toFixed(1)),
    },
    generatorCpuPercent: Number(
      (((generatorCpu.user + generatorCpu.system) / 1e6 / elapsed) * 100).toFixed(1),
    ),
    leveldb: {
      liveBytes,
      liveBytesPerKeystroke: Number((liveBytes / keystrokes).toFixed(1)),
      afterShutdownBytes: finalBytes,
      afterShutdownBytesPerKeystroke: Number((finalBytes / keystrokes).toFixed(1)),
      afterLevelCompactionBytes: compactedBytes,
      afterLevelCompactionBytesPerKeystroke: Number((compactedBytes / keystrokes).toFixed(1)),
      storedKeyValueBytes: storedBytes,
      encodedDocumentBytes: documentBytes,
    },
  };
  const rows: [string, string][] = [
    ['rooms x clients', `${rooms} x ${clientsPerRoom}`],
    ['machine', `${results.cpus}, load ${loadAtStart} at start`],
    ['duration', `${seconds} s`],
    ['keystrokes', `${keystrokes} (${results.keystrokesPerSecond}/s)`],
    [
      'latency p50 / p99 / max',
      `${results.latencyMs.p50} / ${results.latencyMs.p99} / ${results.latencyMs.max} ms`,
    ],
    ['messages/s to server', String(results.messagesPerSecond.toServer)],
    ['messages/s from server', String(results.messagesPerSecond.fromServer)],
    ['server CPU', `${results.server.cpuPercent} % of one core`],
    ['load generator CPU (same machine)', `${results.generatorCpuPercent} % of one core`],
    ['server RSS (end / peak)', `${results.server.rssMiB} / ${results.server.peakRssMiB} MiB`],
    ['LevelDB bytes/keystroke (live)', String(results.leveldb.liveBytesPerKeystroke)],
    ['LevelDB bytes/keystroke (after shutdown)', String(results.leveldb.afterShutdownBytesPerKeystroke)],
    [
      'LevelDB bytes/keystroke (LevelDB compacted)',
      String(results.leveldb.afterLevelCompactionBytesPerKeystroke),
    ],
    ['stored bytes / encoded document bytes', `${storedBytes} / ${documentBytes}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  const out = join(root, 'test/bench/results/server.json');
  await mkdir(join(root, 'test/bench/results'), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten to ${out}`);
  process.exit(0);
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
