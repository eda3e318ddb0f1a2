import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus metrics of one server, in their own registry so that several
 * servers (tests, embedding) never clash.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly roomsLoaded: Gauge;
  readonly connections: Gauge;
  readonly messagesIn: Counter<'type'>;
  readonly messagesOut: Counter;
  readonly bytesIn: Counter;
  readonly bytesOut: Counter;
  readonly storeWriteSeconds: Histogram;
  readonly errors: Counter<'kind'>;
  readonly closes: Counter<'code'>;
  /** Hooks, routes and event handlers of features that threw or rejected (see features/feature-set.ts). */
  readonly featureErrors: Counter<'feature' | 'hook'>;
}

/** Creates the metrics; `defaults` adds the process metrics (CPU, memory, event loop lag). */
export const createMetrics = (defaults = false): Metrics => {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    roomsLoaded: new Gauge({ name: 'candyce_rooms_loaded', help: 'Rooms held in memory', registers }),
    connections: new Gauge({ name: 'candyce_connections', help: 'Open WebSocket connections', registers }),
    messagesIn: new Counter({
      name: 'candyce_messages_in_total',
      help: 'Sub-messages received, by type',
      labelNames: ['type'],
      registers,
    }),
    messagesOut: new Counter({
      name: 'candyce_messages_out_total',
      help: 'WebSocket messages sent',
      registers,
    }),
    bytesIn: new Counter({ name: 'candyce_bytes_in_total', help: 'WebSocket bytes received', registers }),
    bytesOut: new Counter({ name: 'candyce_bytes_out_total', help: 'WebSocket bytes sent', registers }),
    storeWriteSeconds: new Histogram({
      name: 'candyce_store_write_seconds',
      help: 'Latency of one batched room write to the store',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers,
    }),
    errors: new Counter({
      name: 'candyce_errors_total',
      help: 'Errors, by kind (store, malformed, stale, impersonation, ...)',
      labelNames: ['kind'],
      registers,
    }),
    closes: new Counter({
      name: 'candyce_closes_total',
      help: 'Connections closed by the server, by close code',
      labelNames: ['code'],
      registers,
    }),
    featureErrors: new Counter({
      name: 'candyce_feature_errors_total',
      help: 'Feature hooks, routes and event handlers that threw, by feature and hook',
      labelNames: ['feature', 'hook'],
      registers,
    }),
  };
};
