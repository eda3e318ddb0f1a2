import { describe, expect, it } from 'vitest';
import { connect, seededRandom, startServer, synced, type TestClient, waitFor } from './helpers.js';

const randomEdits = async (clients: TestClient[], seed: number, rounds: number): Promise<void> => {
  const random = seededRandom(seed);
  for (let round = 0; round < rounds; round++) {
    for (const client of clients) {
      const text = client.text;
      if (text.length > 0 && random() < 0.3) {
        const at = Math.floor(random() * text.length);
        text.delete(at, Math.min(1 + Math.floor(random() * 3), text.length - at));
      } else {
        text.insert(
          Math.floor(random() * (text.length + 1)),
          String.fromCharCode(97 + Math.floor(random() * 26)),
        );
      }
    }
    // Let the network interleave edits with deliveries.
    if (random() < 0.5) await new Promise((r) => setImmediate(r));
  }
};

const converge = async (count: number, seed: number): Promise<void> => {
  const { ws } = await startServer();
  const clients = Array.from({ length: count }, () => connect(ws, 'convergence'));
  await Promise.all(clients.map((c) => synced(c)));
  await randomEdits(clients, seed, 40);
  const all = () => clients.map((c) => c.text.toString());
  try {
    await waitFor(() => new Set(all()).size === 1, `${count} clients to converge`);
  } catch (err) {
    throw new Error(`Seed ${seed}: ${(err as Error).message}; texts ${JSON.stringify(all())}`);
  }
  expect(clients[0]!.text.length).toBeGreaterThan(0);
};

describe('convergence', () => {
  it('makes two clients typing at random converge', async () => {
    await converge(2, Number(process.env.SEED ?? Date.now() % 1e9));
  });

  it('makes ten clients typing at random converge', async () => {
    await converge(10, Number(process.env.SEED ?? Date.now() % 1e9));
  });

  it('serves a late joiner the whole document', async () => {
    const { ws } = await startServer();
    const a = connect(ws, 'late');
    await synced(a);
    a.text.insert(0, 'hello world');
    const b = connect(ws, 'late');
    await synced(b);
    await waitFor(() => b.text.toString() === 'hello world', 'late joiner to see the text');
  });
});
