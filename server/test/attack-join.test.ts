import { describe, expect, it } from 'vitest';
import { createActivity, lesson } from '../../packages/classroom/test/classroom-fixtures.js';
import { startServer } from './helpers.js';

// One pupil behind the school's NAT guessing join codes in a loop: the guard
// must slow the guesser without locking out the rest of the class, and the
// guesser must not escape it by forging X-Forwarded-For or making up ids.

const join = async (
  http: string,
  code: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${http}/api/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en', ...headers },
    body: JSON.stringify({ code, name: 'Pupil' }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** A code no activity has (the alphabet has no 0, 1, I, L or O). */
const wrong = (i: number) => `0${String(i).padStart(5, '0')}`.slice(0, 6);
const device = (n: number) => `browser-${String(n).padStart(12, '0')}`;

describe('join-code guessing behind one address', () => {
  it('blocks the guessing browser, not the other pupils nor a returning one', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'NAT', mode: 'individual', notebook: lesson });
    const returning = await join(http, act.code, { 'x-candyce-device': device(2) });
    expect(returning.status).toBe(200);
    for (let i = 0; i < 70; i++) await join(http, wrong(i), { 'x-candyce-device': device(1) });
    // The guesser: even the right code is refused (no oracle for its guesses).
    const guesser = await join(http, act.code, { 'x-candyce-device': device(1) });
    expect(guesser.status).toBe(429);
    expect(guesser.body.code).toBe('too-many-attempts');
    // Another pupil's browser, a client that sends no id, and a pupil with a token get in.
    expect((await join(http, act.code, { 'x-candyce-device': device(3) })).status).toBe(200);
    expect((await join(http, act.code)).status).toBe(200);
    const again = await join(http, act.code, { authorization: `Bearer ${returning.body.token as string}` });
    expect(again.status).toBe(200);
  });

  it('caps guesses from one address however many browser ids the guesser makes up', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'NAT', mode: 'individual', notebook: lesson });
    const statuses = new Map<number, number>();
    for (let i = 0; i < 620; i++) {
      const { status } = await join(http, wrong(i), { 'x-candyce-device': device(1000 + i) });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    // 600 wrong codes answered, the rest refused without looking at the code.
    expect(statuses.get(404)).toBe(600);
    expect(statuses.get(429)).toBe(20);
    expect((await join(http, act.code, { 'x-candyce-device': device(5) })).status).toBe(429);
  });

  it('ignores X-Forwarded-For unless the peer is a configured trusted proxy', async () => {
    const { http } = await startServer({ security: { trustedProxies: ['10.9.9.9'] } });
    const act = await createActivity(http, { title: 'NAT', mode: 'individual', notebook: lesson });
    // A forged header, different at every try, does not spread the guesses over many addresses.
    for (let i = 0; i < 60; i++) await join(http, wrong(i), { 'x-forwarded-for': `198.51.100.${i}` });
    expect((await join(http, act.code, { 'x-forwarded-for': '203.0.113.250' })).status).toBe(429);
  });

  it('counts per forwarded address behind a trusted proxy', async () => {
    const { http } = await startServer({ security: { trustedProxies: ['127.0.0.1', '10.0.0.0/8'] } });
    const act = await createActivity(http, { title: 'NAT', mode: 'individual', notebook: lesson });
    for (let i = 0; i < 60; i++) await join(http, wrong(i), { 'x-forwarded-for': '198.51.100.7, 10.1.2.3' });
    expect((await join(http, act.code, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(429);
    // A client prepending a fake hop is still counted by the hop the proxy saw.
    expect((await join(http, act.code, { 'x-forwarded-for': '1.2.3.4, 198.51.100.7' })).status).toBe(429);
    expect((await join(http, act.code, { 'x-forwarded-for': '198.51.100.8' })).status).toBe(200);
    // Garbage in the header: counted as the last address a trusted proxy vouched for.
    expect((await join(http, act.code, { 'x-forwarded-for': 'not-an-ip' })).status).toBe(200);
  });
});
