import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, startServer, synced, waitFor } from './helpers.js';

const del = (http: string, room: string) => fetch(`${http}/api/notebooks/${room}`, { method: 'DELETE' });

describe('room epochs', () => {
  it('refuses a client that was offline with a deleted epoch, without merging its history', async () => {
    const first = await startServer();
    const pupil = connect(first.ws, 'homework');
    await synced(pupil);
    pupil.text.insert(0, 'old answer');
    const epochBefore = pupil.doc.getMap('state').get('document_id');
    expect(epochBefore).toBeTypeOf('string');
    const room = await first.server.rooms.peek('homework');
    await waitFor(() => room!.doc.getText('t').length === 10, 'the server to receive the old answer');

    // The pupil goes offline with a copy, keeps typing; the teacher deletes and re-creates the room.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(pupil.doc));
    offline.getText('t').insert(0, 'more ');
    const deleted = await del(first.http, 'homework');
    expect(deleted.status).toBe(200);
    await waitFor(() => pupil.closes.length > 0, 'the connected pupil to be told');
    expect(pupil.closes[0]!.code).toBe(4410);
    pupil.destroy();

    const teacher = connect(first.ws, 'homework');
    await synced(teacher);
    teacher.text.insert(0, 'new exercise');
    const reborn = await first.server.rooms.peek('homework');
    await waitFor(
      () => reborn?.doc.getText('t').toString() === 'new exercise',
      'the server to store the new text',
    );
    const epochAfter = teacher.doc.getMap('state').get('document_id');
    expect(epochAfter).toBeTypeOf('string');
    expect(epochAfter).not.toBe(epochBefore);

    // Also after a restart: the tombstone is on disk.
    teacher.destroy();
    await first.close();
    const second = await startServer({ dataDir: first.dataDir });
    const watcher = connect(second.ws, 'homework');
    await synced(watcher);
    const stale = connect(second.ws, 'homework', undefined, offline);
    await waitFor(() => stale.closes.length > 0, 'the stale client to be refused');
    expect(stale.closes[0]).toMatchObject({ code: 4409 });
    expect(stale.closes[0]!.reason).toMatch(/deleted and re-created/);
    // It was refused before being served any of the new epoch.
    expect(stale.text.toString()).toBe('more old answer');
    const after = connect(second.ws, 'homework');
    await synced(after);
    expect(after.text.toString()).toBe('new exercise');
    expect(watcher.text.toString()).toBe('new exercise');
  });

  it('lets a new client write to a re-created room', async () => {
    const { ws, http } = await startServer();
    const a = connect(ws, 'again');
    await synced(a);
    a.text.insert(0, 'first life');
    const check = connect(ws, 'again');
    await waitFor(() => check.text.toString() === 'first life', 'the first life to be stored');
    a.destroy();
    check.destroy();
    expect((await del(http, 'again')).status).toBe(200);
    const b = connect(ws, 'again');
    const c = connect(ws, 'again');
    await Promise.all([synced(b), synced(c)]);
    expect(b.text.toString()).toBe('');
    b.text.insert(0, 'second life');
    await waitFor(() => c.text.toString() === 'second life', 'the second life to sync');
    expect(b.closes).toEqual([]);
  });
});
