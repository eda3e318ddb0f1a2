// Network faults between stock clients and a real server, through the
// ChaosProxy: connections cut in the middle of a message, and a group of
// clients offline for a long time while everyone types. Sized by the caller:
// the fast run of `npm test` and the long run of `npm run test:chaos`.
import { expect } from 'vitest';
import {
  connect,
  seededRandom,
  startServer,
  synced,
  type TestClient,
  waitFor,
} from '../../server/test/helpers.js';
import { ChaosProxy, checkMarkers, startTyping, type Typist } from './helpers.js';

/** What a scenario reports, for docs/RELIABILITY.md. */
export interface NetworkReport {
  clients: number;
  markers: number;
  keystrokes: number;
  cuts: number;
  /** Cuts that fell in the middle of a chunk of data. */
  midMessageCuts: number;
  missing: number;
  duplicated: number;
}

const converge = async (groups: TestClient[][], what: string, seed: number) => {
  for (const members of groups) {
    await waitFor(
      () =>
        members.every((c) => c.provider.wsconnected && c.provider.synced) &&
        new Set(members.map((c) => c.text.toString())).size === 1,
      `${what} to converge (seed ${seed})`,
      60_000,
    );
  }
};

const check = (groups: TestClient[][], typists: Typist[][], seed: number) => {
  let markers = 0;
  let keystrokes = 0;
  const missing: string[] = [];
  const duplicated: string[] = [];
  groups.forEach((members, g) => {
    const result = checkMarkers(members[0]!.text.toString(), typists[g]!);
    markers += typists[g]!.reduce((n, t) => n + t.typed.length, 0);
    keystrokes += result.keystrokes;
    missing.push(...result.missing);
    duplicated.push(...result.duplicated);
  });
  expect(missing, `seed ${seed}`).toEqual([]);
  expect(duplicated, `seed ${seed}`).toEqual([]);
  return { markers, keystrokes, missing: missing.length, duplicated: duplicated.length };
};

/**
 * `rooms` rooms of `perRoom` clients type through a proxy that cuts every
 * connection mid-message `rounds` times; afterwards every room converges with
 * every marker exactly once.
 */
export const cutsMidMessage = async (options: {
  rooms: number;
  perRoom: number;
  rounds: number;
  seed: number;
}): Promise<NetworkReport> => {
  const { seed } = options;
  const random = seededRandom(seed);
  const { server } = await startServer();
  const proxy = new ChaosProxy(server.port);
  const port = await proxy.listen();
  const url = `ws://127.0.0.1:${port}/sync`;
  const groups = Array.from({ length: options.rooms }, (_, r) =>
    Array.from({ length: options.perRoom }, () => connect(url, `cut-${r}`)),
  );
  await Promise.all(groups.flat().map((c) => synced(c)));
  const typists = groups.map((members, r) => members.map((c, i) => startTyping(c, `r${r}c${i}`, 15, random)));
  try {
    for (let round = 0; round < options.rounds; round++) {
      await new Promise((r) => setTimeout(r, 150 + random() * 350));
      proxy.cut(100);
      // Wait until most clients are back before the next cut.
      await waitFor(() => proxy.size >= groups.flat().length, 'the clients to reconnect', 30_000);
    }
  } finally {
    for (const t of typists.flat()) await t.stop();
  }
  await converge(groups, 'the rooms after the cuts', seed);
  const result = check(groups, typists, seed);
  await proxy.close();
  return { clients: groups.flat().length, cuts: proxy.cuts, midMessageCuts: proxy.midMessageCuts, ...result };
};

/**
 * Two groups in one room, each behind its own proxy: the second goes offline
 * for `offlineMs` while both groups keep typing (the offline clients pile up
 * local edits), then comes back; the room converges with every marker once.
 */
export const longOffline = async (options: {
  online: number;
  offline: number;
  offlineMs: number;
  seed: number;
}): Promise<NetworkReport & { offlineMarkers: number }> => {
  const { seed } = options;
  const random = seededRandom(seed);
  const { server } = await startServer();
  const near = new ChaosProxy(server.port);
  const far = new ChaosProxy(server.port);
  const [nearPort, farPort] = [await near.listen(), await far.listen()];
  const stay = Array.from({ length: options.online }, () =>
    connect(`ws://127.0.0.1:${nearPort}/sync`, 'trip'),
  );
  const away = Array.from({ length: options.offline }, () =>
    connect(`ws://127.0.0.1:${farPort}/sync`, 'trip'),
  );
  const all = [...stay, ...away];
  await Promise.all(all.map((c) => synced(c)));
  const typists = all.map((c, i) =>
    startTyping(c, `${i < stay.length ? 'on' : 'off'}${i}`, i < stay.length ? 40 : 5, random),
  );
  await new Promise((r) => setTimeout(r, 300));
  far.setOffline(true);
  const offlineFrom = typists.slice(stay.length).map((t) => t.typed.length);
  await new Promise((r) => setTimeout(r, options.offlineMs));
  const offlineMarkers = typists
    .slice(stay.length)
    .reduce((n, t, i) => n + t.typed.length - offlineFrom[i]!, 0);
  // While away, the offline clients saw nothing of the others' later edits.
  for (const c of away) expect(c.provider.wsconnected).toBe(false);
  far.setOffline(false);
  await new Promise((r) => setTimeout(r, 300));
  for (const t of typists) await t.stop();
  await converge([all], 'the room after the long offline period', seed);
  const result = check([all], [typists], seed);
  await near.close();
  await far.close();
  return {
    clients: all.length,
    cuts: far.cuts,
    midMessageCuts: far.midMessageCuts,
    offlineMarkers,
    ...result,
  };
};
