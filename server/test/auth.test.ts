import { describe, expect, it } from 'vitest';
import { connect, rawClient, secret, startServer, synced, token, waitFor } from './helpers.js';

describe('authentication', () => {
  it('closes a WebSocket without a token with 4401', async () => {
    const { ws } = await startServer({ secret });
    const client = rawClient(ws, 'room1');
    const closed = await client.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/no token/);
  });

  it('closes a WebSocket whose token has a wrong signature with 4401', async () => {
    const { ws } = await startServer({ secret });
    const forged = await token({}, '1h', 'another-secret-of-sufficient-length');
    const closed = await rawClient(ws, 'room1', forged).closed;
    expect(closed).toEqual({ code: 4401, reason: 'Unauthorized: invalid token' });
  });

  it('closes a WebSocket whose token has expired with 4401', async () => {
    const { ws } = await startServer({ secret });
    const expired = await token({}, Math.floor(Date.now() / 1000) - 60);
    const closed = await rawClient(ws, 'room1', expired).closed;
    expect(closed).toEqual({ code: 4401, reason: 'Unauthorized: token expired' });
  });

  it('closes a WebSocket for a room outside the token with 4403 and accepts prefixes', async () => {
    const { ws } = await startServer({ secret });
    const scoped = await token({ rooms: ['class-5b-*', 'exact'] });
    expect((await rawClient(ws, 'class-6a-intro', scoped).closed).code).toBe(4403);
    expect((await rawClient(ws, 'exactly', scoped).closed).code).toBe(4403);
    const allowed = connect(ws, 'class-5b-intro', scoped);
    await synced(allowed);
    const exact = connect(ws, 'exact', scoped);
    await synced(exact);
  });

  it('closes the connection with 4401 when the token expires mid-session', async () => {
    const { ws } = await startServer({ secret });
    const shortLived = await token({}, Math.floor(Date.now() / 1000) + 2);
    const client = connect(ws, 'expiring', shortLived);
    await synced(client);
    await waitFor(() => client.closes.length > 0, 'the server to close the connection', 6000);
    expect(client.closes[0]).toEqual({ code: 4401, reason: 'Token expired' });
  });

  it('answers HTTP requests with 401 without a valid bearer token and 403 outside the rooms', async () => {
    const { http } = await startServer({ secret });
    expect((await fetch(`${http}/api/notebooks/room1`)).status).toBe(401);
    const bad = await fetch(`${http}/api/notebooks/room1`, { headers: { authorization: 'Bearer nonsense' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'Unauthorized: invalid token', code: 'unauthorized' });
    const scoped = await token({ rooms: ['other'] });
    const forbidden = await fetch(`${http}/api/notebooks/room1`, {
      headers: { authorization: `Bearer ${scoped}` },
    });
    expect(forbidden.status).toBe(403);
  });

  it('refuses a PUT from a viewer with 403', async () => {
    const { http } = await startServer({ secret });
    const viewer = await token({ role: 'viewer' });
    const res = await fetch(`${http}/api/notebooks/room1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }),
    });
    expect(res.status).toBe(403);
  });

  it('lets only teachers delete a notebook', async () => {
    const { http } = await startServer({ secret });
    const student = await token({ role: 'student' });
    const teacher = await token({ role: 'teacher' });
    const put = await fetch(`${http}/api/notebooks/doomed`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${teacher}`, 'content-type': 'application/json' },
      body: JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }),
    });
    expect(put.status).toBe(201);
    const refused = await fetch(`${http}/api/notebooks/doomed`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${student}` },
    });
    expect(refused.status).toBe(403);
    const deleted = await fetch(`${http}/api/notebooks/doomed`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${teacher}` },
    });
    expect(deleted.status).toBe(200);
    const gone = await fetch(`${http}/api/notebooks/doomed`, {
      headers: { authorization: `Bearer ${teacher}` },
    });
    expect(gone.status).toBe(404);
  });
});
