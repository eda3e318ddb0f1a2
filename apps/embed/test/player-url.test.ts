import { describe, expect, it } from 'vitest';
import { playerUrl, readPlayerParams } from '../src/player-url.js';

describe('the player URL', () => {
  it('puts the room and token in the fragment, never in the path or query', () => {
    const url = new URL(
      playerUrl('https://candyce.example', { room: 'emb-a b', token: 'ey.J.w', lang: 'en', kernel: 'none' }),
    );
    expect(url.origin + url.pathname).toBe('https://candyce.example/embed/player.html');
    expect(url.search).toBe('');
    expect(url.hash).not.toBe('');
    expect(readPlayerParams(url.hash)).toEqual({
      room: 'emb-a b',
      token: 'ey.J.w',
      server: '',
      lang: 'en',
      kernel: 'none',
    });
  });

  it('leaves out what is not given', () => {
    expect(new URL(playerUrl('http://127.0.0.1:1234/', { room: 'r' })).hash).toBe('#room=r');
  });

  it('refuses a fragment without a room, or a server that is not a WebSocket URL', () => {
    expect(() => readPlayerParams('#token=x')).toThrow('names no room');
    expect(() => readPlayerParams('#room=r&server=javascript:alert(1)')).toThrow(RangeError);
    expect(readPlayerParams('#room=r&server=wss://c.example/sync').server).toBe('wss://c.example/sync');
  });

  it('keeps only French or English', () => {
    expect(readPlayerParams('#room=r&lang=de').lang).toBe('');
    expect(readPlayerParams('room=r&lang=fr').lang).toBe('fr');
  });
});
