// Floods against a server in its own process, whose memory is read from
// /metrics: sync step 1 from a client that never reads, large presence
// states, and updates whose dependencies never arrive. Each must leave the
// server's resident memory bounded and close the offender with a reason.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { spawnServer } from './child-server.js';
import { connect, frames, rawClient, synced, tempDir, waitFor } from './helpers.js';

const mib = 1024 * 1024;

const rssOf = async (http: string): Promise<number> => {
  const text = await (await fetch(`${http}/metrics`)).text();
  const line = /^process_resident_memory_bytes (\d+)/m.exec(text);
  if (!line) throw new Error('no process_resident_memory_bytes in /metrics');
  return Number(line[1]);
};

/** Waits for the server's memory to settle, then returns its RSS. */
const settledRss = async (http: string): Promise<number> => {
  let last = await rssOf(http);
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 150));
    const now = await rssOf(http);
    if (Math.abs(now - last) < 2 * mib) return now;
    last = now;
  }
  return last;
};

// Growth allowed on top of the server's baseline: the send buffers of the
// three step 1 flooders and the working set of the rooms involved, far below
// the 1.8 GiB of answers the floods ask for.
const maxBuffered = 8 * mib;
const allowedGrowth = 3 * maxBuffered + 96 * mib;

describe('floods', () => {
  it('keeps memory bounded under step 1 floods, huge presence states and updates with missing dependencies', async () => {
    const server = await spawnServer(await tempDir(), {
      CANDYCE_MAX_MESSAGE_BYTES: String(4 * mib),
      CANDYCE_MESSAGE_BURST: '400',
      CANDYCE_MESSAGES_PER_SECOND: '400',
      CANDYCE_MAX_BUFFERED_BYTES: String(maxBuffered),
    });
    // A room with a 1.5 MiB document, and a bystander room that must keep working.
    const owner = connect(server.ws, 'big');
    const bystander = connect(server.ws, 'calm');
    await Promise.all([synced(owner), synced(bystander)]);
    for (let i = 0; i < 3; i++) owner.text.insert(owner.text.length, 'x'.repeat(512 * 1024));
    const watcher = connect(server.ws, 'big');
    await waitFor(
      () => watcher.text.length === 3 * 512 * 1024,
      'the big document to reach a second client',
      20_000,
    );
    const baseline = await settledRss(server.http);
    const report: string[] = [`baseline RSS ${(baseline / mib).toFixed(0)} MiB`];
    const pushed = { step1: 0, presence: 0, gapped: 0 };
    const closes: string[] = [];

    // 1. Sync step 1 floods from clients that never read: each answer is the whole document.
    const floodStep1 = async () => {
      const flooder = rawClient(server.ws, 'big');
      await flooder.opened;
      (flooder.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const step1 = frames.step1(new Y.Doc());
      for (let i = 0; i < 400 && flooder.ws.readyState === flooder.ws.OPEN; i++) {
        flooder.ws.send(step1);
        pushed.step1 += 1.5 * mib;
        if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      return flooder;
    };
    const step1Flooders = await Promise.all([floodStep1(), floodStep1(), floodStep1()]);
    await waitFor(
      () =>
        step1Flooders.every(
          (f) => f.ws.readyState !== f.ws.OPEN || (f.ws as { bufferedAmount: number }).bufferedAmount >= 0,
        ),
      'the floods to be sent',
    );
    const afterStep1 = await settledRss(server.http);
    report.push(
      `step 1 floods: ${(pushed.step1 / mib).toFixed(0)} MiB of answers asked, RSS +${((afterStep1 - baseline) / mib).toFixed(0)} MiB`,
    );
    for (const f of step1Flooders) f.ws.terminate();

    // 2. Large presence states: 6 connections x 8 client ids x 3 MiB.
    const presence = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const c = rawClient(server.ws, 'big');
        await c.opened;
        return c;
      }),
    );
    for (const [n, c] of presence.entries()) {
      for (let id = 1; id <= 8; id++) {
        if (c.ws.readyState !== c.ws.OPEN) break;
        c.ws.send(frames.awareness(n * 100 + id, 1, { user: { name: 'x' }, blob: 'p'.repeat(3 * mib) }));
        pushed.presence += 3 * mib;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    const afterPresence = await settledRss(server.http);
    report.push(
      `presence: ${(pushed.presence / mib).toFixed(0)} MiB of states sent, RSS +${((afterPresence - baseline) / mib).toFixed(0)} MiB`,
    );

    // 2b. A flood of small presence updates (a cursor moving as fast as the socket allows),
    // fanned out to every member: the rate limit closes the flooder.
    const mover = rawClient(server.ws, 'big');
    await mover.opened;
    let moves = 0;
    for (let i = 0; i < 3000 && mover.ws.readyState === mover.ws.OPEN; i++) {
      mover.ws.send(frames.awareness(7777, i + 1, { user: { name: 'x' }, cursor: i }));
      moves++;
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    const moverClosed = await mover.closed;
    report.push(`presence flood: closed after ${moves} moves with ${moverClosed.code}`);

    // 3. Updates whose dependencies never arrive: Yjs keeps them aside, waiting.
    const gapper = rawClient(server.ws, 'big');
    await gapper.opened;
    for (let i = 0; i < 60 && gapper.ws.readyState === gapper.ws.OPEN; i++) {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, 'a');
      const sv = Y.encodeStateVector(doc);
      doc.getText('t').insert(1, 'g'.repeat(3 * mib));
      gapper.ws.send(frames.update(Y.encodeStateAsUpdate(doc, sv)));
      pushed.gapped += 3 * mib;
      await new Promise((r) => setTimeout(r, 10));
    }
    const afterGapped = await settledRss(server.http);
    report.push(
      `gapped updates: ${(pushed.gapped / mib).toFixed(0)} MiB sent, RSS +${((afterGapped - baseline) / mib).toFixed(0)} MiB`,
    );
    for (const c of [...presence, gapper]) {
      const closed = await Promise.race([
        c.closed,
        new Promise<null>((r) => setTimeout(() => r(null), 2000)),
      ]);
      closes.push(closed ? `${closed.code} ${closed.reason}` : 'open');
    }
    report.push(`closes: ${closes.join(', ')}`);
    console.log(`floods: ${report.join('; ')}`);

    // The bystander room still works, the honest clients still sync.
    bystander.text.insert(0, 'still here');
    const late = connect(server.ws, 'calm');
    await waitFor(() => late.text.toString() === 'still here', 'the bystander room to work');
    expect(afterStep1 - baseline, report.join('; ')).toBeLessThan(allowedGrowth);
    expect(afterPresence - baseline, report.join('; ')).toBeLessThan(allowedGrowth);
    expect(afterGapped - baseline, report.join('; ')).toBeLessThan(allowedGrowth);
    // Each offender was closed with a reason.
    expect(closes.slice(0, presence.length)).toEqual(presence.map(() => '4413 Presence state too large'));
    expect(closes[presence.length]).toMatch(/^4413 Too large: updates waiting for missing history/);
    // Caught by the presence rate (20 a second, bursts of 100) before the general message rate.
    expect(moverClosed).toEqual({ code: 4429, reason: 'Too many presence updates' });
    // The watcher of the room heard the moves the server let through, and stayed connected.
    expect(watcher.provider.wsconnected).toBe(true);
    expect(await (await fetch(`${server.http}/healthz`)).json()).toMatchObject({ status: 'ok' });
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 180_000);
});
