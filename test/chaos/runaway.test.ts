// A recursion with its limit lifted (sys.setrecursionlimit(10**7)): since
// Python 3.11 it grows frames on the heap for minutes, in both gateways. The
// pupil interrupts it; the cell says so, the room stayed live meanwhile, and
// the kernel runs code again. The rest of the runaway scenarios are in
// server/test/runaway.test.ts (npm test).
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../server/test/helpers.js';
import {
  closeRunawayRooms,
  jupyterRoom,
  keepEditing,
  pyodideRoom,
  type RunawayRoom,
  shown,
} from '../../server/test/runaway-rooms.js';

afterAll(closeRunawayRooms, 60_000);

const deepRecursion = (name: string, setup: () => Promise<RunawayRoom>) =>
  it(`${name}: a recursion with its limit lifted is interrupted, the cell says so, the kernel still runs`, async () => {
    const room = await setup();
    const started = Date.now();
    const run = room.runner.start('deep');
    const interrupt = (async () => {
      await new Promise((r) => setTimeout(r, 4000));
      await room.runner.interrupt();
    })();
    const rounds = await keepEditing(room.peer, room.watcher, run);
    await interrupt;
    expect(await run).toBe('error');
    console.log(`${name}: the interrupted run ended after ${Date.now() - started} ms`);
    await waitFor(
      () => /KeyboardInterrupt|did not stop when interrupted/.test(shown(room.watcher.doc, 'deep')),
      'the cell to say it was interrupted',
      30_000,
    );
    console.log(
      `${name} lifted recursion: ${rounds} peer edits went round; the cell ends with ${JSON.stringify(shown(room.watcher.doc, 'deep').slice(-120))}`,
    );
    const t0 = Date.now();
    expect(await room.runner.start('alive')).toBe('ok');
    console.log(`${name}: the next run ended ${Date.now() - t0} ms after the interrupted one`);
    await waitFor(() => shown(room.watcher.doc, 'alive') === 'alive\n', 'the kernel to run code again');
  }, 180_000);

describe('runaway recursion (long run)', () => {
  deepRecursion('Jupyter', jupyterRoom);
  deepRecursion('Pyodide', pyodideRoom);
});
