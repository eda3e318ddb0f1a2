import type * as Y from 'yjs';

/**
 * Who made a change to a notebook. Every write goes through {@link transact}
 * with one of these, so that undo (only `local` edits of one user), persistence
 * and traces can tell edits apart. `remote` is what a provider applies from the
 * network, `kernel` is execution output, `server` is what the server writes
 * (imports, repairs).
 */
export type NotebookOrigin =
  | { readonly kind: 'local'; readonly user: string }
  | { readonly kind: 'remote' }
  | { readonly kind: 'kernel'; readonly cellId?: string }
  | { readonly kind: 'server'; readonly reason?: string };

const kinds = new Set(['local', 'remote', 'kernel', 'server']);

/** Returns true when `value` is a {@link NotebookOrigin}. */
export const isNotebookOrigin = (value: unknown): value is NotebookOrigin =>
  typeof value === 'object' && value !== null && kinds.has((value as { kind?: unknown }).kind as string);

/**
 * Returns a new origin for one user's own edits. Keep the returned object: undo
 * managers recognise a user's edits by the identity of this object.
 */
export const localOrigin = (user: string): NotebookOrigin => ({ kind: 'local', user });

/** The origin of outputs and execution state written by a kernel gateway. */
export const kernelOrigin: NotebookOrigin = Object.freeze({ kind: 'kernel' });

/** The origin of writes made by the server (imports through the HTTP API, repairs). */
export const serverOrigin: NotebookOrigin = Object.freeze({ kind: 'server' });

/** The origin a sync provider may use for updates that come from the network. */
export const remoteOrigin: NotebookOrigin = Object.freeze({ kind: 'remote' });

/**
 * Runs `fn` in one Yjs transaction carrying `origin`. Nested calls join the
 * outer transaction, as Yjs does.
 */
export const transact = <T>(doc: Y.Doc, origin: NotebookOrigin, fn: (tr: Y.Transaction) => T): T => {
  let result: T | undefined;
  doc.transact((tr) => {
    result = fn(tr);
  }, origin);
  return result as T;
};
