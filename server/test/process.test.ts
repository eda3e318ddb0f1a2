import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { spawnServer } from './child-server.js';
import { connect, covers, synced, tempDir, waitFor } from './helpers.js';

describe('server process', () => {
  it('loses nothing any client saw when the process is killed with SIGKILL', async () => {
    const dataDir = await tempDir();
    const first = await spawnServer(dataDir);
    const writer = connect(first.ws, 'crash');
    const watcher = connect(first.ws, 'crash');
    await Promise.all([synced(writer), synced(watcher)]);
    // Keep typing while the server dies.
    let typing = true;
    const typed = (async () => {
      let i = 0;
      while (typing) {
        writer.text.insert(writer.text.length, String.fromCharCode(97 + (i++ % 26)));
        await new Promise((r) => setImmediate(r));
      }
    })();
    await waitFor(() => watcher.text.length > 500, 'the watcher to see 500 characters');
    const watcherClosed = new Promise<void>((resolve) =>
      watcher.provider.once('connection-close', () => resolve()),
    );
    first.child.kill('SIGKILL');
    await watcherClosed;
    typing = false;
    await typed;
    // Everything the watcher received before the socket closed counts as seen.
    const seen = Y.encodeStateVector(watcher.doc);
    const seenLength = watcher.text.length;
    writer.destroy();
    watcher.destroy();
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await spawnServer(dataDir);
    const reader = connect(second.ws, 'crash');
    await synced(reader);
    expect(covers(reader.doc, seen)).toBe(true);
    expect(reader.text.length).toBeGreaterThanOrEqual(seenLength);
    second.child.kill('SIGTERM');
    await second.exited;
  });

  it('flushes every room, closes sockets with 1012 and exits 0 on SIGTERM', async () => {
    const dataDir = await tempDir();
    const first = await spawnServer(dataDir);
    const a = connect(first.ws, 'term-a');
    const b = connect(first.ws, 'term-b');
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'room a');
    b.text.insert(0, 'room b');
    const watchA = connect(first.ws, 'term-a');
    const watchB = connect(first.ws, 'term-b');
    await waitFor(
      () => watchA.text.toString() === 'room a' && watchB.text.toString() === 'room b',
      'both rooms seen',
    );
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    await waitFor(() => a.closes.length > 0, 'the client to see the close');
    expect(a.closes[0]!.code).toBe(1012);
    for (const c of [a, b, watchA, watchB]) c.destroy();

    const second = await spawnServer(dataDir);
    const readA = connect(second.ws, 'term-a');
    const readB = connect(second.ws, 'term-b');
    await Promise.all([synced(readA), synced(readB)]);
    expect(readA.text.toString()).toBe('room a');
    expect(readB.text.toString()).toBe('room b');
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });
});
