import { afterAll, beforeAll } from 'vitest';
import type { KernelSession, PyodideGatewayOptions } from '../../src/index.js';
import { nodePyodideGateway } from '../../src/node.js';

/**
 * Starts one Python kernel of the Pyodide gateway in a Node worker for the
 * tests of a file, and shuts it down after them. Returns the kernel (throws
 * when called before it started).
 */
export const usePyodide = (options: PyodideGatewayOptions = {}): (() => KernelSession) => {
  let session: KernelSession | undefined;
  beforeAll(async () => {
    session = await nodePyodideGateway(options).startKernel('python3');
  }, 60_000);
  afterAll(async () => {
    await session?.shutdown();
  });
  return () => {
    if (!session) throw new Error('The Pyodide kernel has not started');
    return session;
  };
};
