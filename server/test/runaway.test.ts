// Runaway code in both gateways, in a live room: an endless print loop, a
// huge output, a huge paste run as code, and a deep recursion. The outputs
// stay bounded in the shared document, another collaborator keeps editing
// and sees the room live while the code runs, and the cell says what
// happened. Jupyter runs on the server (a real Jupyter Server, POST
// /execute); Pyodide runs in a worker beside a client, as in the browser.
// A recursion with its limit lifted runs in test/chaos/runaway.test.ts.
import { getCell, sourceOf } from '@candyce/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, startServer, synced, waitFor } from './helpers.js';
import {
  closeRunawayRooms,
  docBytes,
  jupyterRoom,
  keepEditing,
  pyodideRoom,
  type RunawayRoom,
  shown,
} from './runaway-rooms.js';

afterAll(closeRunawayRooms, 60_000);

const scenarios = (name: string, setup: () => Promise<RunawayRoom>) => {
  describe(`runaway code in the ${name} gateway`, () => {
    let room: RunawayRoom;
    beforeAll(async () => {
      room = await setup();
    }, 120_000);

    it('bounds an endless print loop, keeps the room live, and says what happened when interrupted', async () => {
      const run = room.runner.start('loop');
      await waitFor(
        () => /not shown/.test(shown(room.watcher.doc, 'loop')),
        'the loop to hit the output limit',
        60_000,
      );
      const stop = (async () => {
        await new Promise((r) => setTimeout(r, 1500));
        await room.runner.interrupt();
      })();
      const rounds = await keepEditing(room.peer, room.watcher, run);
      await stop;
      expect(await run).toBe('error');
      await waitFor(() => /KeyboardInterrupt/.test(shown(room.watcher.doc, 'loop')), 'the interrupt to show');
      const text = shown(room.watcher.doc, 'loop');
      expect(text).toMatch(/^line 0\n/);
      expect(text).toMatch(/⋯ [\d,]+ lines .*not shown/);
      expect(docBytes(room.watcher.doc)).toBeLessThan(room.limitBytes);
      console.log(
        `${name} print loop: ${rounds} edits of a peer went round while it ran; document ${docBytes(room.watcher.doc)} bytes`,
      );
      expect(rounds).toBeGreaterThan(0);
    }, 120_000);

    it('bounds one huge output and says how much was left out', async () => {
      const status = await room.runner.start('huge');
      expect(status).toBe('ok');
      // Pyodide's writer keeps the start and end with a count of what is left out; a Jupyter
      // server first applies its own IOPub rate limit, and says so in the cell.
      await waitFor(
        () => /not shown|rate exceeded/.test(shown(room.watcher.doc, 'huge')),
        'the cell to say what was left out',
      );
      const text = shown(room.watcher.doc, 'huge');
      expect(text.length).toBeLessThan(1.1 * 1024 * 1024);
      console.log(
        `${name} huge output: the cell shows ${text.length} characters: ${JSON.stringify(text.slice(-160))}`,
      );
      expect(docBytes(room.watcher.doc)).toBeLessThan(room.limitBytes);
    }, 120_000);

    it('runs a huge paste as code while the room stays live', async () => {
      // 1 MiB of code pasted by the peer: a long list literal.
      const paste = `data = [${'1234567, '.repeat(120_000)}]\nprint(len(data))`;
      sourceOf(getCell(room.peer.doc, 'paste')).insert(0, paste);
      await waitFor(
        () => sourceOf(getCell(room.watcher.doc, 'paste')).length === paste.length,
        'the paste to reach the room',
        30_000,
      );
      const run = room.runner.start('paste');
      await keepEditing(room.peer, room.watcher, run);
      expect(await run).toBe('ok');
      await waitFor(
        () => shown(room.watcher.doc, 'paste') === '120000\n',
        'the pasted code to print its length',
      );
    }, 120_000);

    it('reports a deep recursion as an error the cell shows, and the kernel still runs code', async () => {
      expect(await room.runner.start('recursion')).toBe('error');
      await waitFor(
        () => /RecursionError/.test(shown(room.watcher.doc, 'recursion')),
        'the RecursionError to show',
      );
      expect(shown(room.watcher.doc, 'recursion')).toMatch(
        /Previous line repeated \d+ more times|skipping similar frames/,
      );
      expect(await room.runner.start('alive')).toBe('ok');
      await waitFor(() => shown(room.watcher.doc, 'alive') === 'alive\n', 'the kernel to run code again');
    }, 120_000);
  });
};

scenarios('Jupyter', jupyterRoom);
scenarios('Pyodide', pyodideRoom);

describe('a paste above the message limit, sent by a stock client', () => {
  it('closes only that client with 1009, again at each reconnection, and the others keep working', async () => {
    const { ws } = await startServer({ limits: { maxMessageBytes: 64 * 1024 } });
    const paster = connect(ws, 'paste-limit');
    const other = connect(ws, 'paste-limit');
    const watcher = connect(ws, 'paste-limit');
    await Promise.all([synced(paster), synced(other), synced(watcher)]);
    paster.text.insert(0, 'p'.repeat(100 * 1024));
    // The stock client sends the paste again in its sync step 2 after each reconnection.
    await waitFor(
      () => paster.closes.filter((c) => c.code === 1009).length >= 3,
      'three 1009 closes of the paster',
    );
    other.text.insert(0, 'still here');
    await waitFor(() => watcher.text.toString() === 'still here', 'the others to keep working');
    expect(watcher.text.toString()).not.toContain('p');
    // This is why the editor refuses such a paste before it is sent (test/e2e/huge-paste.test.ts).
  });
});
