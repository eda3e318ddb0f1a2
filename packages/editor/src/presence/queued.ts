import type { Awareness } from 'y-protocols/awareness';

// The cells waiting in this browser's run queue, told to the others through
// presence. The server refuses presence states over 4 KiB and connections
// that send presence faster than 20 times a second (bursts of 100): a "run
// all" of a long notebook must stay within both.

/** Characters of cell ids published at most: the first queued cells, which run next. */
const maxQueuedChars = 1024;
/** Least time between two publications of the queue; the last state always goes out. */
const intervalMs = 250;

/** Returns the first ids of `queued` whose JSON fits in {@link maxQueuedChars}. */
export const queuedForPresence = (queued: readonly string[]): string[] => {
  const out: string[] = [];
  let chars = 2;
  for (const id of queued) {
    chars += id.length + 3;
    if (chars > maxQueuedChars) break;
    out.push(id);
  }
  return out;
};

/**
 * Returns a function that publishes the run queue in `awareness`, at most
 * every {@link intervalMs} (trailing: the latest queue is published last),
 * and a `stop` that cancels a pending publication.
 */
export const queuePublisher = (awareness: Awareness) => {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let latest: readonly string[] = [];
  let lastAt = 0;
  const flush = () => {
    timer = null;
    lastAt = Date.now();
    awareness.setLocalStateField('queued', queuedForPresence(latest));
  };
  return {
    publish(queued: readonly string[]) {
      latest = queued;
      if (timer !== null) return;
      const wait = lastAt + intervalMs - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
};
