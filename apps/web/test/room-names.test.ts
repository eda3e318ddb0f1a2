// The home form and the sync server judge room names by the same rule: a
// name the form lets through is one the server accepts, and the reverse.
// ("café" used to open from the form, then the connection closed with 4400.)
import { roomNameProblem } from '@candyce/server';
import { describe, expect, it } from 'vitest';
import { isRoomName } from '../src/routes.js';

describe('room names, browser and server', () => {
  it('agree on every name, "café" included', () => {
    const names = [
      'café',
      'élève',
      'maths-2nde_A.1',
      '5e-B',
      '.x',
      '-x',
      '_x',
      'a b',
      'a/b',
      '',
      'x'.repeat(128),
      'x'.repeat(129),
      'ça',
      'Ω',
    ];
    for (const name of names) expect(isRoomName(name), name).toBe(roomNameProblem(name) === null);
    expect(isRoomName('café')).toBe(false);
    expect(isRoomName('maths-2nde_A.1')).toBe(true);
  });
});
