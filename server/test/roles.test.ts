import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  connect,
  frames,
  rawClient,
  secret,
  sendAndSettle,
  startServer,
  synced,
  textUpdate,
  token,
  waitFor,
} from './helpers.js';

const roomText = async (server: Awaited<ReturnType<typeof startServer>>['server'], room: string) =>
  (await server.rooms.peek(room))!.doc.getText('t').toString();

describe('roles', () => {
  it('drops every update a viewer sends through the stock client', async () => {
    const { ws, server } = await startServer({ secret });
    const student = connect(ws, 'lesson', await token({ role: 'student', name: 'Sam' }));
    const viewer = connect(ws, 'lesson', await token({ role: 'viewer', name: 'Val', sub: 'v' }));
    await Promise.all([synced(student), synced(viewer)]);
    viewer.text.insert(0, 'viewer was here');
    student.text.insert(0, 'student');
    await waitFor(() => viewer.text.toString().includes('student'), 'the viewer to receive the student edit');
    // The viewer's update was sent before the student's edit came back through the server.
    expect(await roomText(server, 'lesson')).toBe('student');
    expect(student.text.toString()).toBe('student');
  });

  it('drops updates, unsolicited sync step 2 and writes batched in one frame from a viewer', async () => {
    const { ws, server } = await startServer({ secret });
    const viewer = rawClient(ws, 'lesson', await token({ role: 'viewer', name: 'Val' }));
    await viewer.opened;
    await sendAndSettle(viewer, frames.update(textUpdate('update')));
    await sendAndSettle(viewer, frames.step2(textUpdate('step2')));
    const probe = new Y.Doc();
    await sendAndSettle(
      viewer,
      frames.join(frames.step1(probe), frames.update(textUpdate('one')), frames.step2(textUpdate('two'))),
    );
    expect(await roomText(server, 'lesson')).toBe('');
    // The step 1 in the batch was still answered with a step 2.
    expect(viewer.messages.some((m) => m[0] === 0 && m[1] === 1)).toBe(true);
  });

  it('applies every write batched in one frame from a student', async () => {
    const { ws, server } = await startServer({ secret });
    const student = rawClient(ws, 'lesson', await token({ role: 'student' }));
    await student.opened;
    await sendAndSettle(
      student,
      frames.join(frames.update(textUpdate('one')), frames.step2(textUpdate('two'))),
    );
    expect((await roomText(server, 'lesson')).length).toBe(6);
  });

  it('refuses awareness states that claim another name than the token', async () => {
    const { ws, server } = await startServer({ secret });
    const impostor = rawClient(ws, 'lesson', await token({ role: 'student', name: 'Ada' }));
    await impostor.opened;
    await sendAndSettle(impostor, frames.awareness(111, 1, { user: { name: 'Teacher' } }));
    const room = (await server.rooms.peek('lesson'))!;
    expect(room.awareness.getStates().has(111)).toBe(false);
    await sendAndSettle(impostor, frames.awareness(111, 2, { user: { name: 'Ada' } }));
    expect(room.awareness.getStates().get(111)).toEqual({ user: { name: 'Ada' } });
  });

  it('relays a viewer presence that carries its own name', async () => {
    const { ws } = await startServer({ secret });
    const viewer = connect(ws, 'lesson', await token({ role: 'viewer', name: 'Val' }));
    const watcher = connect(ws, 'lesson', await token({ role: 'student', name: 'Sam' }));
    await Promise.all([synced(viewer), synced(watcher)]);
    viewer.provider.awareness.setLocalStateField('user', { name: 'Val' });
    await waitFor(
      () =>
        (watcher.provider.awareness.getStates().get(viewer.doc.clientID) as { user?: { name?: string } })
          ?.user?.name === 'Val',
      'the watcher to see the viewer presence',
    );
  });

  it('does not let a client change or remove the presence of another client', async () => {
    const { ws, server } = await startServer({ secret });
    const honest = connect(ws, 'lesson', await token({ role: 'student', name: 'Ada' }));
    await synced(honest);
    honest.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    const room = (await server.rooms.peek('lesson'))!;
    await waitFor(() => room.awareness.getStates().has(honest.doc.clientID), 'the server to know Ada');
    const other = rawClient(ws, 'lesson', await token({ role: 'student', name: 'Ada', sub: 'u2' }));
    await other.opened;
    await sendAndSettle(other, frames.awareness(honest.doc.clientID, 1000, null));
    expect(room.awareness.getStates().has(honest.doc.clientID)).toBe(true);
  });

  it('ignores awareness states beyond eight client ids per connection', async () => {
    const { ws, server } = await startServer({ secret });
    const flooder = rawClient(ws, 'lesson', await token({ role: 'student', name: 'Ada' }));
    await flooder.opened;
    for (let id = 1; id <= 20; id++)
      await sendAndSettle(flooder, frames.awareness(id, 1, { user: { name: 'Ada' } }));
    expect((await server.rooms.peek('lesson'))!.awareness.getStates().size).toBe(8);
  });

  it('removes the presence of a client when it disconnects', async () => {
    const { ws } = await startServer({ secret });
    const leaver = connect(ws, 'lesson', await token({ name: 'Lea' }));
    const watcher = connect(ws, 'lesson', await token({ name: 'Sam' }));
    await Promise.all([synced(leaver), synced(watcher)]);
    leaver.provider.awareness.setLocalStateField('user', { name: 'Lea' });
    const id = leaver.doc.clientID;
    await waitFor(() => watcher.provider.awareness.getStates().has(id), 'the watcher to see Lea');
    leaver.provider.ws!.close();
    leaver.provider.shouldConnect = false;
    await waitFor(() => !watcher.provider.awareness.getStates().has(id), 'Lea to disappear');
  });
});
