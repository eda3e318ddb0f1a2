import { metaOf } from '@candyce/model';
import * as Y from 'yjs';
import type { CellRunner, RunState } from './cell-runner.js';

/** Returns the `metadata.kernelspec.name` of a notebook, or '' when it names none. */
export const kernelspecNameOf = (doc: Y.Doc): string => {
  const metadata = metaOf(doc).get('metadata');
  const spec = metadata instanceof Y.Map ? metadata.get('kernelspec') : undefined;
  const name =
    spec && typeof spec === 'object' && !Array.isArray(spec) ? (spec as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name.trim().toLowerCase() : '';
};

/**
 * Returns a runner that hands each notebook's cells to the browser kernel
 * its kernelspec names: `sql` to `sql`, anything else to `python`. Each
 * runner loads its kernel on its first run only.
 */
export function kernelspecRunner(python: CellRunner, sql: CellRunner): CellRunner {
  const pick = (doc: Y.Doc) => (kernelspecNameOf(doc) === 'sql' ? sql : python);
  return {
    kind: python.kind,
    available: python.available,
    run: (request) => pick(request.doc).run(request),
    runCells: (doc, cellIds) => pick(doc).runCells(doc, cellIds),
    interrupt() {
      python.interrupt?.();
      sql.interrupt?.();
    },
    onChange(listener) {
      let states: [RunState, RunState] = [
        { running: null, queued: [] },
        { running: null, queued: [] },
      ];
      const tell = () =>
        listener({
          running: states[0].running ?? states[1].running,
          queued: [...states[0].queued, ...states[1].queued],
        });
      const stops = [
        python.onChange?.((state) => {
          states = [state, states[1]];
          tell();
        }),
        sql.onChange?.((state) => {
          states = [states[0], state];
          tell();
        }),
      ];
      return () => {
        for (const stop of stops) stop?.();
      };
    },
    // The loading state shown in the header is Python's (the SQL kernel is small and loads at once).
    ...(python.onKernel ? { onKernel: (listener) => python.onKernel!(listener) } : {}),
    dispose() {
      python.dispose?.();
      sql.dispose?.();
    },
  };
}
