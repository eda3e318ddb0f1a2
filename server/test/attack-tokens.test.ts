import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  call,
  createActivity,
  joinActivity,
  lesson,
} from '../../packages/classroom/test/classroom-fixtures.js';
import { createLogger, createServer } from '../src/index.js';
import { spawnServer } from './child-server.js';
import { rawClient, secret, startServer, tempDir } from './helpers.js';

// Tokens an attacker would like the server to accept: signed with a secret
// short enough to guess offline from one pupil's token, without an expiry,
// or with an expiry decades away.

const sign = (claims: Record<string, unknown>, key = secret) =>
  new SignJWT({ name: 'Ada', role: 'teacher', rooms: ['*'], ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('u1')
    .sign(new TextEncoder().encode(key));

const now = () => Math.floor(Date.now() / 1000);
const day = 86_400;

describe('weak secrets', () => {
  it('refuses to start with a CANDYCE_SECRET under 32 bytes, saying how to make one', async () => {
    for (const weak of ['secret', 'x'.repeat(31), 'é'.repeat(15)]) {
      const server = await spawnServer(await tempDir(), { CANDYCE_SECRET: weak }).catch((err: Error) => err);
      expect(server, weak).toBeInstanceOf(Error);
      expect((server as Error).message).toMatch(/at least 32 random bytes/);
      expect((server as Error).message).toMatch(/openssl rand -base64 32/);
    }
    expect(() => createServer({ secret: 'short', logger: createLogger('silent') })).toThrow(/openssl rand/);
  });

  it('starts with 32 bytes or more', async () => {
    const server = await spawnServer(await tempDir(), { CANDYCE_SECRET: 'é'.repeat(16) });
    expect((await fetch(`${server.http}/healthz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    await server.exited;
  });
});

describe('token lifetimes', () => {
  const refusedEverywhere = async (http: string, ws: string, t: string, why: RegExp) => {
    const res = await call(http, 'GET', '/api/notebooks/room', { token: t });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(why);
    const raw = rawClient(ws, 'room', t);
    expect((await raw.closed).code).toBe(4401);
  };

  it('refuses a token without exp, on HTTP and WebSocket', async () => {
    const { http, ws } = await startServer({ secret });
    await refusedEverywhere(http, ws, await sign({}), /no exp/);
    await refusedEverywhere(http, ws, await sign({ iat: now() }), /no exp/);
    // exp must be a number of seconds, not a string that looks like one.
    await refusedEverywhere(http, ws, await sign({ exp: String(now() + 3600) }), /invalid token|no exp/);
  });

  it('refuses tokens that live longer than the maximum, however iat is set', async () => {
    const { http, ws } = await startServer({ secret });
    await refusedEverywhere(http, ws, await sign({ exp: now() + 10 * 365 * day }), /longer than 180 days/);
    await refusedEverywhere(
      http,
      ws,
      await sign({ iat: now(), exp: now() + 181 * day }),
      /longer than 180 days/,
    );
    // An iat in the future does not stretch the window.
    await refusedEverywhere(
      http,
      ws,
      await sign({ iat: now() + 9 * 365 * day, exp: now() + 10 * 365 * day }),
      /longer than 180 days/,
    );
    // 180 days, what the classroom mints, is accepted.
    const ok = await sign({ iat: now(), exp: now() + 180 * day });
    expect((await call(http, 'GET', '/api/notebooks/room', { token: ok })).status).toBe(404);
  });

  it('applies a configured maximum, and the classroom mints tokens within it', async () => {
    const { http } = await startServer({ secret, security: { maxTokenLifetimeSeconds: 7 * day } });
    const month = await sign({ iat: now(), exp: now() + 30 * day });
    expect((await call(http, 'GET', '/api/notebooks/room', { token: month })).status).toBe(401);
    const teacher = await sign({ iat: now(), exp: now() + 3600 });
    const activity = await createActivity(
      http,
      { title: 'T', mode: 'individual', notebook: lesson },
      teacher,
    );
    const joined = await joinActivity(http, { code: activity.code, name: 'Lou' });
    for (const minted of [activity.teacherToken as string, joined.token as string]) {
      const { exp = 0, iat = 0 } = decodeJwt(minted);
      expect(exp - iat).toBeLessThanOrEqual(7 * day);
    }
    const status = await call(http, 'GET', `/api/activities/${activity.id}`, {
      token: activity.teacherToken,
    });
    expect(status.status).toBe(200);
  });
});
