// Figures: percentiles, and the CPU and memory of a server child read from /proc.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The p-th percentile (nearest rank) of sorted values; NaN when empty. */
export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** Rounds to the given number of decimals (NaN becomes null, for JSON). */
export const round = (value: number, decimals = 1): number | null =>
  Number.isFinite(value) ? Math.round(value * 10 ** decimals) / 10 ** decimals : null;

/** Latency percentiles in milliseconds. */
export const latencySummary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: round(percentile(sorted, 50), 2),
    p95: round(percentile(sorted, 95), 2),
    p99: round(percentile(sorted, 99), 2),
    max: round(sorted.at(-1) ?? Number.NaN, 2),
  };
};

export interface ProcSample {
  cpuSeconds: number;
  rssBytes: number;
  peakRssBytes: number;
}

const ticksPerSecond = 100;

/** Reads utime+stime and VmRSS/VmHWM of a process. */
export const readProc = async (pid: number): Promise<ProcSample> => {
  const statText = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { cpuSeconds: ticks / ticksPerSecond, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
};

/** Samples a process every 250 ms between start() and stop(): CPU used and RSS peak. */
export const createProcSampler = (pid: number) => {
  let first: ProcSample | null = null;
  let startedAt = 0;
  let peakRss = 0;
  let timer: NodeJS.Timeout | null = null;
  return {
    async start(): Promise<void> {
      first = await readProc(pid);
      startedAt = performance.now();
      peakRss = first.rssBytes;
      timer = setInterval(() => {
        readProc(pid).then(
          (s) => {
            peakRss = Math.max(peakRss, s.rssBytes);
          },
          () => {},
        );
      }, 250);
    },
    async stop() {
      if (timer) clearInterval(timer);
      const last = await readProc(pid);
      const seconds = (performance.now() - startedAt) / 1000;
      return {
        cpuPercent: round(((last.cpuSeconds - (first?.cpuSeconds ?? 0)) / seconds) * 100),
        rssMiB: round(last.rssBytes / 2 ** 20),
        peakRssMiB: round(Math.max(peakRss, last.rssBytes) / 2 ** 20),
      };
    },
  };
};

/** Total size in bytes of the files under a directory (0 when it does not exist). */
export const dirSize = async (dir: string): Promise<number> => {
  let total = 0;
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await dirSize(path) : (await stat(path)).size;
  }
  return total;
};

/** The files of a directory tree with their sizes, largest first (to see what the bytes on disk are). */
export const dirListing = async (dir: string, prefix = ''): Promise<Record<string, number>> => {
  const out: [string, number][] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return {};
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...Object.entries(await dirListing(path, `${prefix}${entry.name}/`)));
    else out.push([prefix + entry.name, (await stat(path)).size]);
  }
  return Object.fromEntries(out.sort((a, b) => b[1] - a[1]));
};
