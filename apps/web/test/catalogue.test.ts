import { describe, expect, it } from 'vitest';
import { en, fr } from '../src/catalogue.js';
import { isRoomName, notebookPath, routeOf, syncUrlOf } from '../src/routes.js';

describe('the web app catalogue', () => {
  it('has the same keys in French and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const text of [...Object.values(fr), ...Object.values(en)]) expect(text.trim()).not.toBe('');
  });
});

describe('routes', () => {
  it('sends /n/<room> to the notebook and everything else home', () => {
    expect(routeOf('/n/cours%20maths')).toEqual({ page: 'notebook', room: 'cours maths' });
    expect(routeOf('/')).toEqual({ page: 'home' });
    expect(routeOf('/n/')).toEqual({ page: 'home' });
    expect(routeOf('/n/%E0%A4%A')).toEqual({ page: 'home' });
    expect(notebookPath('5e-B')).toBe('/n/5e-B');
  });

  it('accepts the room names the server accepts, and only those', () => {
    expect(isRoomName('4e-maths_2025')).toBe(true);
    // The server refuses accented names (close code 4400): the form must not let them through.
    expect(isRoomName('élève')).toBe(false);
    expect(isRoomName('a/b')).toBe(false);
    expect(isRoomName('')).toBe(false);
  });

  it('derives the sync URL from the page', () => {
    expect(syncUrlOf({ protocol: 'https:', host: 'candyce.example' })).toBe('wss://candyce.example/sync');
    expect(syncUrlOf({ protocol: 'http:', host: 'localhost:1234' })).toBe('ws://localhost:1234/sync');
  });
});
