// The report: the machine, and the figures of side-by-side.json as Markdown
// tables with the ratio ours/peer, written between two markers of
// docs/BENCHMARKS.md so that the hand-written analysis around them stays.
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** The machine the figures come from. */
export const machine = () => ({
  nproc: availableParallelism(),
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  loadAverage1mAtStart: Math.round(loadavg()[0]! * 100) / 100,
  platform: `${process.platform} ${process.arch}`,
});

type Json = Record<string, unknown>;

const get = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined), obj);

const fmt = (v: unknown): string => {
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(v);
  if (v === null || v === undefined) return '–';
  return String(v);
};

interface Row {
  label: string;
  path: string;
}

/** One table: a row per figure, a column per peer; peers other than ours carry the ratio ours/peer. */
/** A Markdown table with aligned columns (as the repository's formatter writes them), numbers to the right. */
const aligned = (header: string[], body: string[][]): string => {
  const widths = header.map((h, i) => Math.max(3, h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...body.map(line)].join('\n');
};

const table = (peers: Json, labels: Record<string, string>, rows: Row[]): string => {
  const ids = Object.keys(peers);
  const ours = peers.candyce;
  const body = rows.map((row) => [
    row.label,
    ...ids.map((id) => {
      const v = get(peers[id], row.path);
      const o = get(ours, row.path);
      if (id === 'candyce' || typeof v !== 'number' || typeof o !== 'number' || v === 0) return fmt(v);
      return `${fmt(v)} (${(o / v).toFixed(2)})`;
    }),
  ]);
  return aligned(['figure', ...ids.map((id) => labels[id] ?? id)], body);
};

const loadRows: Row[] = [
  { label: 'connected clients', path: 'connected' },
  { label: 'keystrokes/s (sent)', path: 'keystrokesPerSecond' },
  { label: 'latency p50 (ms)', path: 'latencyMs.p50' },
  { label: 'latency p95 (ms)', path: 'latencyMs.p95' },
  { label: 'latency p99 (ms)', path: 'latencyMs.p99' },
  { label: 'latency max (ms)', path: 'latencyMs.max' },
  { label: 'latency samples', path: 'latencyMs.samples' },
  { label: 'updates fanned out/s', path: 'updatesFannedOutPerSecond' },
  { label: 'messages from server/s', path: 'messagesFromServerPerSecond' },
  { label: 'server CPU (% of a core)', path: 'server.cpuPercent' },
  { label: 'server RSS end (MiB)', path: 'server.rssMiB' },
  { label: 'server RSS peak (MiB)', path: 'server.peakRssMiB' },
  { label: 'generator CPU (% of a core)', path: 'generatorCpuPercent' },
  { label: 'errors', path: 'errors' },
  { label: 'failed to connect', path: 'failedToConnect' },
  { label: 'disconnects', path: 'disconnects' },
  { label: 'keystrokes never received by a sampler', path: 'undeliveredToSamplers' },
  { label: 'keystrokes lost after kill -9', path: 'keystrokesLostAfterKill9' },
];

/** Renders the figures of a results object as Markdown. */
export const renderFigures = (results: Json): string => {
  const labels = results.peerLabels as Record<string, string>;
  const s = results.scenarios as Json;
  const m = results.machine as Json;
  const out: string[] = [];
  out.push(
    `Run of ${fmt(results.date)} (${fmt(results.mode)} mode, ${fmt(results.durationSeconds)} s): ` +
      `${fmt(m.nproc)} x ${fmt(m.cpuModel)}, ${fmt(m.memoryGiB)} GiB, ${fmt(m.platform)}, load ${fmt(m.loadAverage1mAtStart)} at start.`,
    '',
    'Versions: ' +
      Object.entries(results.versions as Json)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ') +
      '.',
    '',
    'In parentheses: the ratio ours/peer (for latency, CPU, memory, bytes and time, below 1 is better for us; ' +
      'for throughput and capacity, above 1).',
  );
  const loads = results.loadAverages as Record<string, [number, number]> | undefined;
  if (loads && Object.keys(loads).length > 0)
    out.push(
      '',
      'Load average (1 min) at the start and end of each scenario (2 cores; above 2, other work competed): ' +
        Object.entries(loads)
          .map(([name, [a, b]]) => `${name} ${fmt(a)} → ${fmt(b)}`)
          .join(', ') +
        '.',
    );
  const sizes = results.sizes as Json;
  if (s.classroom) {
    const c = sizes.classroom as Json;
    out.push(
      '',
      `### (1) Classroom: ${fmt(c.rooms)} rooms x ${fmt(c.clientsPerRoom)} clients, ${fmt(c.seconds)} s x ${fmt(sizes.rounds)} rounds`,
      '',
    );
    out.push(table(s.classroom as Json, labels, loadRows));
  }
  if (s.lecture) {
    const c = sizes.lecture as Json;
    out.push(
      '',
      `### (2) Lecture hall: 1 room x ${fmt(c.clients)} clients, one typing, ${fmt(c.seconds)} s x ${fmt(sizes.rounds)} rounds`,
      '',
    );
    out.push(
      table(
        s.lecture as Json,
        labels,
        loadRows.filter((r) => !r.path.startsWith('keystrokesLost')),
      ),
    );
  }
  if (s.capacity) {
    const c = sizes.capacity as Json;
    out.push(
      '',
      `### (3) Capacity: rooms of ${fmt(c.clientsPerRoom)} typing clients, steps ${(c.steps as number[]).join(', ')}, ${fmt(c.seconds)} s each, until p99 > ${fmt(c.thresholdMs)} ms or any error`,
      '',
    );
    out.push(
      table(s.capacity as Json, labels, [
        { label: 'capacity (rooms)', path: 'capacityRooms' },
        { label: 'capacity (connections)', path: 'capacityConnections' },
      ]),
    );
    out.push('', 'Steps (rooms: p99 ms, errors, server CPU %):', '');
    for (const [id, v] of Object.entries(s.capacity as Json)) {
      const steps = (v as Json).steps as Json[];
      out.push(
        `- ${labels[id] ?? id}: ${steps.map((x) => `${fmt(x.rooms)}: ${fmt(x.p99)}, ${fmt(x.errors)}, ${fmt(x.cpuPercent)}`).join('; ')}`,
      );
    }
  }
  if (s.coldOpen) {
    const c = sizes.coldOpen as Json;
    out.push(
      '',
      `### (4) Cold open: ${fmt(c.cells)} cells, ${fmt(c.outputBytes)} bytes of outputs, ${fmt(c.historyUpdates)} updates of history`,
      '',
    );
    out.push(
      table(s.coldOpen as Json, labels, [
        { label: 'encoded document (bytes)', path: 'seed.encodedBytes' },
        { label: 'open, room loaded: median (ms)', path: 'warmMedianMs' },
        { label: 'open, after restart (from disk): median (ms)', path: 'coldMedianMs' },
      ]),
    );
  }
  if (s.storage) {
    const c = sizes.storage as Json;
    out.push(
      '',
      `### (5) Storage: ${fmt(c.keystrokes)} keystrokes in ${fmt(c.rooms)} rooms x ${fmt(c.clientsPerRoom)} clients`,
      '',
    );
    out.push(
      table(s.storage as Json, labels, [
        { label: 'keystrokes', path: 'keystrokes' },
        { label: 'encoded documents (bytes)', path: 'encodedBytes' },
        { label: 'on disk, live (bytes)', path: 'liveBytes' },
        { label: 'on disk, after shutdown (bytes)', path: 'afterShutdownBytes' },
        { label: 'on disk, after reopen (bytes)', path: 'afterReopenBytes' },
        { label: 'live / encoded', path: 'liveRatio' },
        { label: 'after shutdown / encoded', path: 'afterShutdownRatio' },
        { label: 'after reopen / encoded', path: 'afterReopenRatio' },
        { label: 'keystrokes missing after restart', path: 'missingAfterRestart' },
      ]),
    );
  }
  if (s.wire) {
    const c = sizes.wire as Json;
    out.push(
      '',
      `### (6) Bytes on the wire per keystroke: 1 room x ${fmt(c.clients)} clients typing, ${fmt(c.seconds)} s`,
      '',
    );
    out.push(
      table(s.wire as Json, labels, [
        { label: 'up: update message per keystroke', path: 'wire.updateBytesUpPerKeystroke' },
        { label: 'up: all messages (with awareness) per keystroke', path: 'wire.bytesUpPerKeystroke' },
        {
          label: 'down: update messages per keystroke (all receivers)',
          path: 'wire.updateBytesDownPerKeystroke',
        },
        { label: 'down: all messages per keystroke (all receivers)', path: 'wire.bytesDownPerKeystroke' },
      ]),
    );
  }
  return out.join('\n');
};

const start = '<!-- figures:start (written by test/bench/run-all.ts) -->';
const end = '<!-- figures:end -->';

/** Replaces the figures between the markers of the Markdown file (appends them when the markers are missing). */
export const writeFiguresInto = async (path: string, figures: string): Promise<void> => {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const block = `${start}\n\n${figures}\n\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text =
    i >= 0 && j > i
      ? text.slice(0, i) + block + text.slice(j + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  await writeFile(path, text);
};
