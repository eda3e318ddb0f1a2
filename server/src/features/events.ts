// The event bus features talk through: one feature emits ("handed-in", with
// its payload), others subscribe; none calls another directly. Handlers run
// synchronously at emit; the feature set wraps each in its guard (logged and
// counted under the subscribing feature's name), so that one failing
// subscriber neither reaches the emitter nor stops the others.

/** A subscriber of one event type. */
export type EventHandler = (payload: unknown) => void | Promise<void>;

/** Events between features. */
export interface EventBus {
  /** Delivers `payload` to every subscriber of `type`, in subscription order. */
  emit(type: string, payload: unknown): void;
  /** Subscribes `handler` to `type`; returns the function that unsubscribes it. */
  on(type: string, handler: EventHandler): () => void;
}

/** Returns an empty event bus (handlers must not throw: give them through a guard). */
export const createEventBus = (): EventBus => {
  const handlers = new Map<string, EventHandler[]>();
  return {
    emit(type, payload) {
      for (const handler of [...(handlers.get(type) ?? [])]) void handler(payload);
    },
    on(type, handler) {
      const list = handlers.get(type) ?? [];
      list.push(handler);
      handlers.set(type, list);
      return () => {
        const i = list.indexOf(handler);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) handlers.delete(type);
      };
    },
  };
};
