import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostServer, type HostServer } from '@candyce/embed';
import { afterAll, beforeAll } from 'vitest';
import { buildHostPage } from '../../../apps/embed/build.mjs';
import type { Stack } from './stack.js';

/**
 * Starts the example host platform of @candyce/embed (its page built into a
 * temp dir, its own HTTP server on another port, so another origin than the
 * Candyce server) before the tests of the calling file, minting tokens with
 * `secret`; closes it after them. Call it after `useStack`, so that the
 * Candyce server is up first. `prepare` may add files to the page's folder
 * (served under /assets/) before the server starts. Returns a stand-in
 * usable inside tests.
 */
export const useHost = (
  stack: Stack,
  secret: string,
  prepare?: (publicDir: string) => Promise<void>,
): HostServer => {
  let current: HostServer | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'candyce-host-'));
    await buildHostPage(dir, { quiet: true });
    await prepare?.(dir);
    current = createHostServer({ candyceUrl: stack.http(), secret, publicDir: dir });
    await current.listen();
  }, 120_000);
  afterAll(async () => {
    await current?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return new Proxy({} as HostServer, {
    get: (_target, key) => {
      if (!current) throw new Error(`The example host is not started yet (reading ${String(key)})`);
      const value = Reflect.get(current, key, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
};
