// Entry point of `npm start`: reads the environment, starts the server and
// shuts it down cleanly on SIGTERM and SIGINT.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classroomFeature } from '@candyce/classroom';
import { jupyterGateway } from '@candyce/kernels';
import { createLogger, createServer, limitsFromEnv, securityFromEnv } from '@candyce/server';

const logger = createLogger();

/**
 * Makes the data directory (notebooks, pupils' names, the open-mode secret)
 * readable by this user only: created 0700, its files 0600, and every file
 * the process creates from now on without group or other permissions.
 */
const privateDataDir = async (dataDir: string): Promise<void> => {
  process.umask(0o077);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await chmod(dataDir, 0o700);
    for (const entry of await readdir(dataDir, { withFileTypes: true }))
      if (entry.isFile()) await chmod(join(dataDir, entry.name), 0o600);
  } catch (err) {
    logger.warn({ err, dataDir }, 'could not make the data directory private (chmod 700)');
  }
};

const main = async (): Promise<void> => {
  const { limits, timings } = limitsFromEnv(process.env);
  const security = securityFromEnv(process.env);
  const port = Number(process.env.PORT ?? 1234);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`PORT=${process.env.PORT} is not a port number`);
  const host = process.env.HOST || '127.0.0.1';
  const dataDir = process.env.DATA_DIR || './data';
  await privateDataDir(dataDir);
  // The web app built by `npm run build`, beside this package in the repository.
  const builtApp = fileURLToPath(new URL('../../web/dist', import.meta.url));
  const staticDir = process.env.STATIC_DIR || (existsSync(builtApp) ? builtApp : undefined);
  if (!staticDir)
    logger.warn('the web app is not built: only the API and sync are served (run npm run build)');
  const jupyterUrl = process.env.JUPYTER_URL || undefined;
  const server = createServer({
    staticDir,
    ...(jupyterUrl
      ? {
          execution: {
            gateway: jupyterGateway({ url: jupyterUrl, token: process.env.JUPYTER_TOKEN || undefined }),
            idleShutdownMs: Number(process.env.KERNEL_IDLE_SHUTDOWN_MS) || undefined,
            maxKernels: Number(process.env.CANDYCE_MAX_KERNELS) || undefined,
            maxKernelsPerActivity: Number(process.env.CANDYCE_MAX_KERNELS_PER_ACTIVITY) || undefined,
            allowedKernels: (process.env.CANDYCE_KERNELS ?? '')
              .split(',')
              .map((name) => name.trim())
              .filter((name) => name !== ''),
          },
        }
      : {}),
    port,
    host,
    dataDir,
    secret: process.env.CANDYCE_SECRET || undefined,
    limits,
    timings,
    security,
    logger,
    processMetrics: true,
    // The composition: which features this deployment runs.
    features: [classroomFeature()],
  });
  const listening = await server.listen();
  logger.info(
    {
      port: listening,
      host,
      url: `http://${host}:${listening}/`,
      dataDir,
      staticDir,
      auth: Boolean(process.env.CANDYCE_SECRET),
      execution: jupyterUrl ? 'jupyter' : 'browser only',
    },
    'listening',
  );

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
