// The notebook element's controllers, on their own: what the live region
// says (Announcer) and the input() questions waiting in cells (InputRequests).
import { appendOutput, insertCell, setExecutionState } from '@candyce/model';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { translator } from '../src/i18n/translate.js';
import { Announcer } from '../src/notebook/announcer.js';
import { InputRequests } from '../src/notebook/input-requests.js';

const host = () => {
  const controllers: ReactiveController[] = [];
  let updates = 0;
  const h: ReactiveControllerHost & { updates(): number; disconnect(): void } = {
    addController: (c) => void controllers.push(c),
    removeController: () => {},
    requestUpdate: () => void updates++,
    updateComplete: Promise.resolve(true),
    updates: () => updates,
    disconnect: () => {
      for (const c of controllers) c.hostDisconnected?.();
    },
  };
  return h;
};

describe('the announcer', () => {
  const t = translator('fr');

  it('says the same words twice as two announcements', () => {
    const a = new Announcer(host());
    a.say('Cellule 1 terminée');
    const first = a.message;
    a.say('Cellule 1 terminée');
    expect(a.message).not.toBe(first);
    expect(a.message.trim()).toBe(first);
  });

  it('keeps quiet on the first connection, then says each new state once', () => {
    const a = new Announcer(host());
    a.connection(t, { status: 'connecting', unsent: false });
    a.connection(t, { status: 'online', unsent: false });
    expect(a.message).toBe('');
    a.connection(t, { status: 'offline', unsent: true });
    const offline = a.message;
    expect(offline).not.toBe('');
    a.connection(t, { status: 'offline', unsent: true });
    expect(a.message).toBe(offline);
    a.connection(t, { status: 'online', unsent: false });
    expect(a.message).not.toBe(offline);
  });

  it('says a run that ended, with its first output', () => {
    const doc = new Y.Doc();
    const id = insertCell(doc, 0, { cell_type: 'code', source: 'print(42)' });
    const a = new Announcer(host());
    setExecutionState(doc, id, 'running');
    a.runs(t, doc, { cells: [id] } as never);
    expect(a.message).toBe('');
    appendOutput(doc, id, { output_type: 'stream', name: 'stdout', text: '42\n' });
    setExecutionState(doc, id, 'idle');
    a.runs(t, doc, { cells: [id] } as never);
    expect(a.message).toMatch(/1.*42/);
  });
});

describe('input() questions', () => {
  const request = (signal = new AbortController().signal) => ({
    cellId: 'c1',
    prompt: 'Nom ? ',
    password: false,
    signal,
  });

  it('shows a question in its cell until answered, then gives the focus back', async () => {
    const h = host();
    const focused: string[] = [];
    const inputs = new InputRequests(h, (id) => focused.push(id));
    const answer = inputs.ask(request(), 'c1');
    expect(inputs.of('c1')?.prompt).toBe('Nom ? ');
    expect(inputs.of('c2')).toBeNull();
    inputs.of('c1')?.answer('Ada');
    await expect(answer).resolves.toBe('Ada');
    expect(inputs.of('c1')).toBeNull();
    expect(focused).toEqual(['c1']);
    expect(h.updates()).toBeGreaterThan(1);
  });

  it('takes the question away when the run ends, and cancels every one when the notebook goes', async () => {
    const h = host();
    const inputs = new InputRequests(h, () => {});
    const run = new AbortController();
    const ended = inputs.ask(request(run.signal), 'c1');
    run.abort();
    await expect(ended).rejects.toThrow(/ended before an answer/);
    expect(inputs.of('c1')).toBeNull();
    const left = inputs.ask(request(), 'c2');
    h.disconnect();
    await expect(left).rejects.toThrow(/Cancelled/);
    expect(inputs.of('c2')).toBeNull();
    const aborted = new AbortController();
    aborted.abort();
    await expect(inputs.ask(request(aborted.signal), 'c3')).rejects.toThrow(/ended before/);
  });
});
