import { describe, expect, it } from 'vitest';
import { executeMessages } from '../src/index.js';
import { fakeSession } from './helpers/fake-kernel.js';

describe('executeMessages', () => {
  it('yields the messages of an execution in order, ending with its reply', async () => {
    const session = fakeSession(async (run) => {
      run.send('stream', { name: 'stdout', text: 'a' });
      await new Promise((resolve) => setTimeout(resolve, 5));
      run.send('stream', { name: 'stdout', text: 'b' });
      return {};
    });
    const types: string[] = [];
    for await (const message of executeMessages(session, 'code')) types.push(message.msg_type);
    expect(types).toEqual(['status', 'execute_input', 'stream', 'stream', 'execute_reply', 'status']);
  });
});
