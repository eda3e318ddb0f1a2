import { metaOf } from '@candyce/model';
import * as Y from 'yjs';
import type { CellRunner, KernelKind, RunState } from './cell-runner.js';
import { executedInOrder } from './executed-order.js';
import { currentKernelOf } from './kernel-choice.js';

/** Returns the `metadata.kernelspec.name` of a notebook, or '' when it names none. */
export const kernelspecNameOf = (doc: Y.Doc): string => {
  const metadata = metaOf(doc).get('metadata');
  const spec = metadata instanceof Y.Map ? metadata.get('kernelspec') : undefined;
  const name =
    spec && typeof spec === 'object' && !Array.isArray(spec) ? (spec as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name.trim().toLowerCase() : '';
};

/**
 * Returns a runner that hands each run to the runner `pick` chooses for the
 * notebook at that moment, so that a kernel changed by anyone applies at the
 * next run. Interrupt goes to all; the run state is theirs together.
 */
export function routingRunner(
  kind: KernelKind,
  runners: readonly CellRunner[],
  pick: (doc: Y.Doc) => CellRunner,
): CellRunner {
  const loader = runners.find((runner) => runner.onKernel);
  const shared = runners.find((runner) => runner.shared);
  return {
    kind,
    available: true,
    run: (request) => pick(request.doc).run(request),
    runCells: (doc, cellIds) => pick(doc).runCells(doc, cellIds),
    interrupt() {
      for (const runner of runners) runner.interrupt?.();
    },
    onChange(listener) {
      const states: RunState[] = runners.map(() => ({ running: null, queued: [] }));
      const tell = () =>
        listener({
          running: states.find((s) => s.running !== null)?.running ?? null,
          queued: states.flatMap((s) => s.queued),
        });
      const stops = runners.map((runner, i) =>
        runner.onChange?.((state) => {
          states[i] = state;
          tell();
        }),
      );
      return () => {
        for (const stop of stops) stop?.();
      };
    },
    // The loading state shown in the header is the first runner's that reports one: Python's (the
    // SQL kernel is small and loads at once; the server's has no download).
    ...(loader?.onKernel ? { onKernel: (listener) => loader.onKernel!(listener) } : {}),
    // The room's shared kernel (Python in the browsers) speaks for the whole runner.
    ...(shared
      ? {
          shared: true,
          onShared: (listener: Parameters<NonNullable<CellRunner['onShared']>>[0]) =>
            shared.onShared!(listener),
        }
      : {}),
    rerun: (doc) => {
      const runner = pick(doc);
      return runner.rerun ? runner.rerun(doc) : runner.runCells(doc, executedInOrder(doc));
    },
    restart: (doc) => pick(doc).restart?.(doc),
    setOnline(online) {
      for (const runner of runners) runner.setOnline?.(online);
    },
    dispose() {
      for (const runner of runners) runner.dispose?.();
    },
  };
}

/**
 * Returns a runner that hands each notebook's cells to the browser kernel
 * its kernelspec names: `sql` to `sql`, anything else to `python`. Each
 * runner loads its kernel on its first run only.
 */
export function kernelspecRunner(python: CellRunner, sql: CellRunner): CellRunner {
  return routingRunner(python.kind, [python, sql], (doc) => (kernelspecNameOf(doc) === 'sql' ? sql : python));
}

/**
 * Returns the runner of a page whose `kernel` attribute is `kind`: each run
 * goes where the notebook's kernel runs now (see `currentKernelOf`): SQL or
 * Python in the browser, or the server.
 */
export function choiceRunner(
  kind: KernelKind,
  runners: { python: CellRunner; sql: CellRunner; server: CellRunner },
): CellRunner {
  const { python, sql, server } = runners;
  return routingRunner(kind, [python, sql, server], (doc) => {
    const current = currentKernelOf(doc, kind);
    return current.location === 'server' ? server : current.id === 'sql' ? sql : python;
  });
}
