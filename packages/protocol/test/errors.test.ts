import { describe, expect, it } from 'vitest';
import { errorCodeOfStatus, readErrorBody } from '../src/index.js';

describe('the one error shape', () => {
  it('names a code for every status an endpoint answers, and a class for the others', () => {
    expect(errorCodeOfStatus(400)).toBe('bad-request');
    expect(errorCodeOfStatus(401)).toBe('unauthorized');
    expect(errorCodeOfStatus(404)).toBe('not-found');
    expect(errorCodeOfStatus(413)).toBe('too-large');
    expect(errorCodeOfStatus(500)).toBe('internal');
    expect(errorCodeOfStatus(418)).toBe('client-error');
    expect(errorCodeOfStatus(599)).toBe('server-error');
  });

  it('reads the sentence and the code of an untrusted body, and nothing that is not a string', () => {
    expect(readErrorBody({ error: 'Nope', code: 'pair-full', retryAfter: 60 })).toEqual({
      error: 'Nope',
      code: 'pair-full',
    });
    expect(readErrorBody({ error: { toString: 'x' }, code: 42 })).toEqual({ error: null, code: null });
    for (const value of [null, undefined, 'error', 3, ['error'], true])
      expect(readErrorBody(value)).toEqual({ error: null, code: null });
  });
});
