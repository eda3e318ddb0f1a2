// Entry point of `npm start`: reads the environment, starts the server and
// shuts it down cleanly on SIGTERM and SIGINT.
import { limitsFromEnv } from './config.js';
import { createLogger } from './logger.js';
import { createServer } from './server.js';

const logger = createLogger();

const main = async (): Promise<void> => {
  const { limits, timings } = limitsFromEnv(process.env);
  const port = Number(process.env.PORT ?? 1234);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`PORT=${process.env.PORT} is not a port number`);
  const host = process.env.HOST || '127.0.0.1';
  const dataDir = process.env.DATA_DIR || './data';
  const server = createServer({
    port,
    host,
    dataDir,
    secret: process.env.CANDYCE_SECRET || undefined,
    limits,
    timings,
    logger,
    processMetrics: true,
  });
  const listening = await server.listen();
  logger.info({ port: listening, host, dataDir, auth: Boolean(process.env.CANDYCE_SECRET) }, 'listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: flushing every room');
    server.close().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        logger.flush();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
};

main().catch((err: unknown) => {
  logger.fatal({ err }, 'server could not start');
  logger.flush();
  process.exit(1);
});
