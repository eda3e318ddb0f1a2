import { readKernelPresence, readServerKernel, type ServerKernel } from '@candyce/protocol';
import { describe, expect, it } from 'vitest';
import {
  connect,
  frames,
  rawClient,
  secret,
  startServer,
  synced,
  type TestClient,
  token,
  waitFor,
} from './helpers.js';

// The server as referee of a room's shared browser kernel, seen through stock
// y-websocket clients: who it names, when it hands over, and what presence
// states it refuses to relay.

/** The server's kernel record as `client` sees it (the server's own presence state), or null. */
const recordSeenBy = (client: TestClient): ServerKernel | null => {
  for (const state of client.provider.awareness.getStates().values()) {
    const record = readServerKernel(state);
    if (record) return record;
  }
  return null;
};

const volunteer = (client: TestClient) =>
  client.provider.awareness.setLocalStateField('kernel', { can: true, req: [] });

const hostBeat = (client: TestClient, epoch: number, beat: number, ran = 0) =>
  client.provider.awareness.setLocalStateField('kernel', {
    can: true,
    req: [],
    host: {
      epoch,
      beat,
      state: 'idle',
      running: null,
      queue: [],
      taken: {},
      acts: {},
      ran,
      ask: null,
      last: null,
      lost: null,
      lostBy: null,
    },
  });

const idOf = (client: TestClient) => client.doc.clientID;

describe('the shared kernel’s host', () => {
  it('names one writer, keeps it while it beats, and hands over at once when it closes its tab', async () => {
    const { ws } = await startServer({ secret });
    const [hugo, ines] = await Promise.all([
      token({ sub: 'hugo', name: 'Hugo' }),
      token({ sub: 'ines', name: 'Inès' }),
    ]);
    const a = connect(ws, 'pair', hugo);
    const b = connect(ws, 'pair', ines);
    await Promise.all([synced(a), synced(b)]);
    // Nobody volunteers: the server says nothing.
    await new Promise((r) => setTimeout(r, 100));
    expect(recordSeenBy(b)).toBe(null);
    volunteer(a);
    await waitFor(() => recordSeenBy(b)?.host === idOf(a), 'Hugo named host');
    volunteer(b);
    const first = recordSeenBy(b)!;
    hostBeat(a, first.epoch, 0);
    await waitFor(() => recordSeenBy(b)?.beat === 0, 'the server echoes the beat');
    expect(recordSeenBy(a)).toMatchObject({ host: idOf(a), epoch: first.epoch, lost: false });
    // Inès sees Hugo's host state: the server relays it for the named host.
    expect(readKernelPresence(b.provider.awareness.getStates().get(idOf(a)))?.host?.epoch).toBe(first.epoch);
    hostBeat(a, first.epoch, 1, 2);
    await waitFor(() => recordSeenBy(b)?.beat === 1, 'second beat');
    a.destroy();
    await waitFor(() => recordSeenBy(b)?.host === idOf(b), 'Inès named host after Hugo left', 2000);
    expect(recordSeenBy(b)).toMatchObject({ epoch: first.epoch + 1, beat: -1, lost: true });
  });

  it('waits for the lease when the host vanished without a close frame', async () => {
    const { ws } = await startServer({ secret });
    const [hugo, ines] = await Promise.all([
      token({ sub: 'hugo', name: 'Hugo' }),
      token({ sub: 'ines', name: 'Inès' }),
    ]);
    const raw = rawClient(ws, 'pair2', hugo);
    await raw.opened;
    const b = connect(ws, 'pair2', ines);
    await synced(b);
    const hostId = 4242;
    raw.ws.send(frames.awareness(hostId, 1, { kernel: { can: true, req: [] } }));
    await waitFor(() => recordSeenBy(b)?.host === hostId, 'the raw client named host');
    volunteer(b);
    const vanishedAt = Date.now();
    // terminate(): the socket ends with no close frame, as when a laptop's Wi-Fi drops.
    raw.ws.terminate();
    await waitFor(() => recordSeenBy(b)?.host === idOf(b), 'Inès named after the lease', 12_000);
    const waited = Date.now() - vanishedAt;
    // The lease is 8 s from the naming; the browser may still think it hosts until then.
    expect(waited).toBeGreaterThan(6000);
  });

  it('refuses a state speaking as the server, a reader asking for runs, and a host state from a non-host', async () => {
    const { ws } = await startServer({ secret });
    const [hugo, eve, ines] = await Promise.all([
      token({ sub: 'hugo', name: 'Hugo' }),
      token({ sub: 'eve', name: 'Eve', role: 'viewer' }),
      token({ sub: 'ines', name: 'Inès' }),
    ]);
    const watcher = connect(ws, 'pair3', ines);
    await synced(watcher);
    const send = async (t: string, clientId: number, state: unknown) => {
      const raw = rawClient(ws, 'pair3', t);
      await raw.opened;
      raw.ws.send(frames.awareness(clientId, 1, state));
      await waitFor(() => watcher.provider.awareness.getStates().has(clientId), `state ${clientId} relayed`);
      return { state: watcher.provider.awareness.getStates().get(clientId) as Record<string, unknown>, raw };
    };
    // A forged server record never reaches anyone.
    const forged = await send(hugo, 901, {
      server: { kernel: { host: 901, epoch: 1e12, beat: 0, lost: false } },
      cell: 'c1',
    });
    expect(forged.state).toEqual({ cell: 'c1' });
    // A viewer's runs are not relayed (the host would write their outputs into the document).
    const reader = await send(eve, 902, {
      kernel: { can: true, req: [{ s: 1, cells: ['c1'] }] },
      cell: 'c1',
    });
    expect(reader.state).toEqual({ cell: 'c1' });
    // A malformed kernel field is dropped whole.
    const malformed = await send(hugo, 903, { kernel: { can: true, req: [{ s: -1, cells: 'c1' }] } });
    expect(malformed.state).toEqual({});
    // A well-formed volunteer becomes host (903 is none: its field was dropped)…
    const host = await send(hugo, 904, { kernel: { can: true, req: [] } });
    await waitFor(() => recordSeenBy(watcher)?.host === 904, '904 named host');
    const record = recordSeenBy(watcher)!;
    // …and another writer claiming to host this epoch keeps its volunteering, not its claim.
    const claim = await send(hugo, 905, {
      kernel: {
        can: true,
        req: [],
        host: {
          epoch: record.epoch,
          beat: 0,
          state: 'idle',
          running: null,
          queue: [],
          taken: {},
          acts: {},
          ran: 0,
          ask: null,
          last: null,
          lost: null,
          lostBy: null,
        },
      },
    });
    expect(readKernelPresence(claim.state)).toMatchObject({ can: true, host: null });
    // The readers of the record are unmoved by all of it.
    expect(recordSeenBy(watcher)?.host).toBe(904);
    host.raw.ws.close();
  });
});
