import { getHeapStatistics } from 'node:v8';
import type * as Y from 'yjs';
import type { Limits } from './config.js';

// A process-wide budget for what documents may hold, measured on the heap
// itself: rooms, their documents and everything else the server keeps. A
// write that would take the heap past it is refused (close 4513, HTTP 503)
// rather than letting the process run out of memory and take every class down.

/** Heap one struct of a document takes once applied (measured: about 210 bytes; rounded up). */
export const heapBytesPerStruct = 256;

/** Returns the budget in bytes: the configured one, or 80 % of V8's heap limit. */
export const memoryBudget = (limits: Limits): number =>
  limits.memoryBudgetBytes > 0
    ? limits.memoryBudgetBytes
    : Math.floor(getHeapStatistics().heap_size_limit * 0.8);

/** Heap an update of `bytes` bytes and `structs` structs may add once applied. */
export const heapCostOf = (bytes: number, structs: number): number => bytes + structs * heapBytesPerStruct;

/** Returns true when adding `cost` bytes would take the heap past the budget. */
export const overBudget = (limits: Limits, cost: number): boolean =>
  getHeapStatistics().used_heap_size + cost > memoryBudget(limits);

/** Returns the number of structs a document holds (deleted and collected ones included). */
export const structsOf = (doc: Y.Doc): number => {
  let n = 0;
  for (const list of doc.store.clients.values()) n += list.length;
  return n;
};
