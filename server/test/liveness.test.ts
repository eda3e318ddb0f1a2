import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { connect, rawClient, startServer, synced, waitFor } from './helpers.js';

describe('liveness and modes', () => {
  it('drops a client that stops answering pings and keeps the others', async () => {
    const { ws, http } = await startServer({ timings: { pingIntervalMs: 200 } });
    const healthy = connect(ws, 'room');
    await synced(healthy);
    const silent = rawClient(ws, 'room');
    await silent.opened;
    const connections = async () =>
      ((await (await fetch(`${http}/healthz`)).json()) as { connections: number }).connections;
    expect(await connections()).toBe(2);
    // A paused socket reads no ping, so it answers no pong.
    (silent.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await waitFor(async () => (await connections()) === 1, 'the silent client to be dropped');
    expect(healthy.closes).toEqual([]);
    expect(healthy.provider.wsconnected).toBe(true);
  });

  it('warns loudly when it runs without a secret', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    await startServer({ logger });
    const warning = lines
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .find((l) => l.level === 40);
    expect(warning?.msg).toMatch(/runs OPEN/);
  });
});
