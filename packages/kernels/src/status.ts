import type { KernelStatus } from './messages.js';

/** A kernel's status and the listeners told of each change (`KernelSession.status` and `onStatus`). */
export interface StatusBroadcast {
  readonly current: KernelStatus;
  /** Sets the status; the listeners hear only of a change. */
  set(status: KernelStatus): void;
  /** Adds a listener; returns its removal. */
  on(listener: (status: KernelStatus) => void): () => void;
}

/** Returns a status broadcast starting at `initial`. */
export const createStatus = (initial: KernelStatus): StatusBroadcast => {
  let current = initial;
  const listeners = new Set<(status: KernelStatus) => void>();
  return {
    get current() {
      return current;
    },
    set(status) {
      if (status === current) return;
      current = status;
      for (const listener of listeners) listener(status);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};
