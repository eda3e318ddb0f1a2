import { describe, expect, it } from 'vitest';
import { connect, frames, rawClient, startServer, synced, textUpdate, waitFor } from './helpers.js';

describe('limits', () => {
  it('closes a connection that sends a message above the maximum size with 1009', async () => {
    const { ws } = await startServer({ limits: { maxMessageBytes: 1024 } });
    const raw = rawClient(ws, 'room');
    await raw.opened;
    raw.ws.send(frames.update(textUpdate('x'.repeat(2000))));
    expect((await raw.closed).code).toBe(1009);
  });

  it('closes a connection that sends too many messages per second with 4429', async () => {
    const { ws } = await startServer({ limits: { messagesPerSecond: 10, messageBurst: 20 } });
    const raw = rawClient(ws, 'room');
    await raw.opened;
    for (let i = 0; i < 50; i++) raw.ws.send(frames.queryAwareness());
    expect(await raw.closed).toEqual({ code: 4429, reason: 'Too many messages' });
  });

  it('refuses an update that would grow the document past the maximum with 4413', async () => {
    const { ws } = await startServer({ limits: { maxDocumentBytes: 4000 } });
    const writer = connect(ws, 'room');
    const reader = connect(ws, 'room');
    await Promise.all([synced(writer), synced(reader)]);
    writer.text.insert(0, 'small');
    await waitFor(() => reader.text.toString() === 'small', 'the small edit to pass');
    const raw = rawClient(ws, 'room');
    await raw.opened;
    raw.ws.send(frames.update(textUpdate('y'.repeat(5000), 'other')));
    expect((await raw.closed).code).toBe(4413);
    writer.text.insert(5, '!');
    await waitFor(() => reader.text.toString() === 'small!', 'the room to keep working');
    expect(reader.doc.getText('other').length).toBe(0);
  });

  it('closes a client whose send buffer keeps growing as a slow consumer', async () => {
    const { ws, server } = await startServer({
      limits: {
        maxBufferedBytes: 256 * 1024,
        maxDocumentBytes: 256 * 1024 * 1024,
        maxMessageBytes: 2 * 1024 * 1024,
      },
    });
    const slow = rawClient(ws, 'room');
    await slow.opened;
    // Stop reading: the server's send buffer for this client fills up.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const writer = rawClient(ws, 'room');
    await writer.opened;
    const slowClosed = async () => {
      const metric = await server.metrics.closes.get();
      return metric.values.some((v) => v.labels.code === '4503' && v.value > 0);
    };
    let closed = false;
    for (let i = 0; i < 60 && !closed; i++) {
      writer.ws.send(frames.update(textUpdate('z'.repeat(1024 * 1024), `t${i}`)));
      await new Promise((r) => setTimeout(r, 20));
      closed = await slowClosed();
    }
    expect(closed).toBe(true);
    expect(writer.ws.readyState).toBe(writer.ws.OPEN);
  });
});
