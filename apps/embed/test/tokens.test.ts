import { createAuthenticator } from '@candyce/server';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { mintToken } from '../src/tokens.js';

const secret = 'a-secret-shared-with-the-candyce-server-1234';

describe('mintToken', () => {
  it('makes a token that the Candyce server accepts, with its claims', async () => {
    const token = await mintToken(secret, {
      sub: 'pupil-42',
      name: 'Léa',
      role: 'student',
      rooms: ['act-abc-def'],
      act: 'abc',
      copy: 'def',
    });
    const identity = await createAuthenticator(secret).authenticate(token);
    expect(identity).toMatchObject({ sub: 'pupil-42', name: 'Léa', role: 'student', rooms: ['act-abc-def'] });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ act: 'abc', copy: 'def' });
    // Four hours by default.
    expect(claims.exp! - claims.iat!).toBe(4 * 3600);
  });

  it('is refused by a server with another secret', async () => {
    const token = await mintToken(secret, { sub: 't', name: 'T', role: 'teacher', rooms: ['r'] });
    await expect(createAuthenticator(`${secret}-other`).authenticate(token)).rejects.toThrow('invalid token');
  });

  it('is refused once expired', async () => {
    const token = await mintToken(secret, {
      sub: 't',
      name: 'T',
      role: 'teacher',
      rooms: ['r'],
      expiresIn: 1,
    });
    const exp = decodeJwt(token).exp!;
    // Wait until the expiry second has passed (jose counts whole seconds).
    await new Promise((done) => setTimeout(done, Math.max(0, (exp + 1) * 1000 - Date.now()) + 50));
    await expect(createAuthenticator(secret).authenticate(token)).rejects.toThrow('expired');
  });

  it('refuses bad claims where the token is made, naming them', async () => {
    const ok = { sub: 's', name: 'N', role: 'student' as const, rooms: ['r'] };
    await expect(mintToken('short', ok)).rejects.toThrow('at least 32');
    await expect(mintToken(secret, { ...ok, sub: '' })).rejects.toThrow('sub');
    await expect(mintToken(secret, { ...ok, role: 'admin' as never })).rejects.toThrow('"admin"');
    await expect(mintToken(secret, { ...ok, rooms: [] })).rejects.toThrow(RangeError);
    await expect(mintToken(secret, { ...ok, rooms: ['*'] })).rejects.toThrow('never * alone');
    await expect(mintToken(secret, { ...ok, expiresIn: -5 })).rejects.toThrow('-5');
  });
});
