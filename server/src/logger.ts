import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Returns the server's structured logger: JSON lines on stdout, level from
 * `LOG_LEVEL` (default `info`). Tests pass `silent`.
 */
export const createLogger = (level: string = process.env.LOG_LEVEL ?? 'info'): Logger =>
  pino({ level, base: { service: 'candyce-server' } });
