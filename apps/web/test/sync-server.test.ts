import { describe, expect, it } from 'vitest';
import { allowedSyncServers, syncServerFor } from '../src/sync-server.js';

// Finding 10 of issue 13: which server a notebook page sends its token to.

const page = { protocol: 'https:', host: 'candyce.lycee.example' };
const own = 'wss://candyce.lycee.example/sync';

describe('the sync server of a notebook page', () => {
  it('keeps a kept token on the page’s own server or an allowed one, whatever the link names', () => {
    const kept = { tokenKept: true, allowed: ['wss://sync.lycee.example'] };
    expect(syncServerFor(null, page, kept)).toBe(own);
    expect(syncServerFor('wss://evil.example/sync', page, kept)).toBe(own);
    expect(syncServerFor('ws://candyce.lycee.example/sync', page, kept)).toBe(own);
    expect(syncServerFor('wss://candyce.lycee.example:444/sync', page, kept)).toBe(own);
    expect(syncServerFor('wss://candyce.lycee.example.evil.example/sync', page, kept)).toBe(own);
    expect(syncServerFor('wss://user@evil.example/sync', page, kept)).toBe(own);
    expect(syncServerFor('wss://candyce.lycee.example/other', page, kept)).toBe(
      'wss://candyce.lycee.example/other',
    );
    expect(syncServerFor('wss://sync.lycee.example/sync', page, kept)).toBe('wss://sync.lycee.example/sync');
  });

  it('lets a link name any ws: or wss: server for the token it carries itself, and never another scheme', () => {
    const given = { tokenKept: false };
    expect(syncServerFor('wss://other.example/sync', page, given)).toBe('wss://other.example/sync');
    for (const bad of ['javascript:alert(1)', 'https://other.example/sync', 'not a url', ''])
      expect(syncServerFor(bad, page, given), bad).toBe(own);
  });

  it('reads the operator’s allowlist from the page, keeping WebSocket origins only', () => {
    const meta = (content: string | null) => ({
      querySelector: () =>
        content === null ? null : ({ getAttribute: () => content } as unknown as Element),
    });
    expect(allowedSyncServers(meta(null))).toEqual([]);
    expect(
      allowedSyncServers(meta(' wss://a.example/sync  ws://b.example:8080 https://c.example nope ')),
    ).toEqual(['wss://a.example', 'ws://b.example:8080']);
  });
});
