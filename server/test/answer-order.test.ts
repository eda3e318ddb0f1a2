import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { frames, rawClient, startServer, textUpdate, waitFor } from './helpers.js';

// A client's questions are answered in the order it asked them. A sync step 1
// that arrives while the room has an unwritten update waits for the group
// commit's write (so it never shows unstored content); a queryAwareness right
// after it used to be answered at once and overtake it, so a client (or a
// test) that took the awareness answer as "the server has handled my step 1"
// could read the room before the step 2 came.

const kind = (m: Uint8Array): string =>
  m[0] === 1 ? 'awareness' : m[0] === 0 && m[1] === 1 ? 'step2' : 'other';

describe('answers to one client', () => {
  it('come in the order asked: a queued sync step 2 before the awareness answer that followed it', async () => {
    // A long write interval keeps the update unwritten while the questions arrive.
    const { ws } = await startServer({ timings: { writeIntervalMs: 200 } });
    const client = rawClient(ws, 'order');
    await client.opened;
    client.ws.send(frames.step1(new Y.Doc()));
    await waitFor(() => client.messages.some((m) => kind(m) === 'step2'), 'the first step 2');
    // Two cycles back to back, so the second update waits for the interval.
    client.ws.send(frames.update(textUpdate('a')));
    client.ws.send(frames.update(textUpdate('b')));
    await new Promise((r) => setTimeout(r, 20));
    const before = client.messages.length;
    client.ws.send(
      frames.join(frames.update(textUpdate('c')), frames.step1(new Y.Doc()), frames.queryAwareness()),
    );
    await waitFor(
      () => client.messages.slice(before).filter((m) => kind(m) !== 'other').length >= 2,
      'both answers',
    );
    const answers = client.messages
      .slice(before)
      .map(kind)
      .filter((k) => k !== 'other');
    expect(answers.slice(0, 2)).toEqual(['step2', 'awareness']);
  });
});
