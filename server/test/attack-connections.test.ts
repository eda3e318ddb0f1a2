import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  createActivity,
  joinActivity,
  lesson,
  openEvents,
} from '../../packages/classroom/test/classroom-fixtures.js';
import { connect, rawClient, secret, startServer, synced, token, waitFor } from './helpers.js';
import { rawRequest, upgradeHeaders } from './raw-http.js';

// One pupil's page (or script) opening WebSockets and event streams in a
// loop, until the server has no file descriptor left for anyone else.

const teacherToken = () => token({ sub: 'prof', role: 'teacher', name: 'Prof' });

const classWithTwoPupils = async (http: string) => {
  const activity = await createActivity(
    http,
    { title: 'Flood', mode: 'individual', notebook: lesson },
    await teacherToken(),
  );
  const ada = await joinActivity(http, { code: activity.code, name: 'Ada' });
  const bob = await joinActivity(http, { code: activity.code, name: 'Bob' });
  return { activity, ada, bob };
};

/** Opens a WebSocket with headers of our choosing; resolves to 101, the refusal's HTTP status, or the close code. */
const openWs = (url: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; ws: WebSocket; closed: Promise<{ code: number; reason: string }> }>(
    (resolve) => {
      const ws = new WebSocket(url, { headers });
      const closed = new Promise<{ code: number; reason: string }>((done) =>
        ws.on('close', (code, reason) => done({ code, reason: reason.toString() })),
      );
      ws.on('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode ?? 0, ws, closed });
        res.resume();
      });
      ws.on('open', () => resolve({ status: 101, ws, closed }));
      ws.on('error', () => undefined);
    },
  );

describe('connection caps', () => {
  it('refuses a pupil’s 300 event streams beyond the cap, while another pupil still connects', async () => {
    const { http, ws } = await startServer({ secret });
    const { activity, ada, bob } = await classWithTwoPupils(http);
    const path = `/api/activities/${activity.id}/events`;
    const streams = await Promise.all(
      Array.from({ length: 300 }, () => openEvents(http, path, ada.token as string)),
    );
    const accepted = streams.filter((s) => s.status === 200).length;
    const refused = streams.filter((s) => s.status === 429);
    expect(accepted).toBe(40);
    expect(refused.length).toBe(260);
    // The other pupil, the teacher and a WebSocket of the other pupil still get in.
    const bobStream = await openEvents(http, path, bob.token as string);
    expect(bobStream.status).toBe(200);
    await waitFor(() => bobStream.events.length > 0, 'Bob’s status event');
    const dashboard = await openEvents(http, path, activity.teacherToken as string);
    expect(dashboard.status).toBe(200);
    const bobSync = connect(ws, bob.copy.room as string, bob.token as string);
    await synced(bobSync);
    // Ada's WebSocket counts in the same cap: closed with 4429 and a reason.
    const adaWs = rawClient(ws, ada.copy.room as string, ada.token as string);
    expect(await adaWs.closed).toEqual({
      code: 4429,
      reason: 'Too many connections for one user: close some pages',
    });
    // Slots come back when streams close: Ada can connect again once she closed hers.
    for (const s of streams) s.close();
    await waitFor(
      async () => (await openEvents(http, path, ada.token as string)).status === 200,
      'a stream for Ada once hers closed',
    );
  });

  it('refuses the 41st WebSocket of one pupil with 4429; the stock client stops retrying', async () => {
    const { http, ws } = await startServer({ secret });
    const { ada, bob } = await classWithTwoPupils(http);
    const room = ada.copy.room as string;
    const open = await Promise.all(
      Array.from({ length: 40 }, () => openWs(`${ws}/${room}?token=${ada.token}`)),
    );
    expect(open.every((o) => o.status === 101)).toBe(true);
    const extra = connect(ws, room, ada.token as string);
    await waitFor(() => extra.closes.length > 0, 'the 41st to be closed');
    expect(extra.closes[0]).toEqual({
      code: 4429,
      reason: 'Too many connections for one user: close some pages',
    });
    // A permanent refusal: the stock client does not hammer the server with retries.
    await new Promise((r) => setTimeout(r, 1000));
    expect(extra.closes.length).toBe(1);
    await synced(connect(ws, bob.copy.room as string, bob.token as string));
    for (const o of open) o.ws.terminate();
  });

  it('caps one client address (behind a trusted proxy), not the others', async () => {
    const { ws, http } = await startServer({
      limits: { maxConnectionsPerAddress: 5 },
      security: { trustedProxies: ['127.0.0.1'] },
    });
    const from = (address: string) => openWs(`${ws}/r`, { 'x-forwarded-for': address });
    const first = await Promise.all(Array.from({ length: 5 }, () => from('203.0.113.7')));
    expect(first.map((o) => o.status)).toEqual([101, 101, 101, 101, 101]);
    const sixth = await from('203.0.113.7');
    expect(sixth.status).toBe(429);
    // Event streams count in the same cap (open mode: the local teacher's dashboard).
    const activity = await createActivity(http, { title: 'T', mode: 'individual', notebook: lesson });
    const stream = await new Promise<{ status: number; body: string }>((resolve) => {
      const req = request(
        `${http}/api/activities/${activity.id}/events`,
        { headers: { 'x-forwarded-for': '203.0.113.7' } },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.end();
    });
    expect(stream.status).toBe(429);
    expect(JSON.parse(stream.body)).toMatchObject({ code: 'too-many-connections' });
    expect((await from('203.0.113.8')).status).toBe(101);
    // The loopback peer itself (this machine) is not capped by address.
    const local = await Promise.all(Array.from({ length: 8 }, () => openWs(`${ws}/r`)));
    expect(local.every((o) => o.status === 101)).toBe(true);
    for (const o of [...first, ...local]) o.ws.terminate();
  });

  it('refuses upgrades beyond the overall cap with 503, and gives slots back after refused handshakes', async () => {
    const { ws, server } = await startServer({ limits: { maxConnections: 4 } });
    const host = `127.0.0.1:${new URL(ws).port}`;
    // Handshakes ws itself refuses (no key) must not keep their slot.
    for (let i = 0; i < 10; i++)
      await rawRequest(
        server.port,
        `GET /sync/r HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
        300,
      );
    const held = await Promise.all(Array.from({ length: 4 }, () => openWs(`${ws}/r`)));
    expect(held.every((o) => o.status === 101)).toBe(true);
    const refused = await rawRequest(server.port, `GET /sync/r HTTP/1.1\r\n${upgradeHeaders(host)}`, 500);
    expect(refused.status).toBe(503);
    expect(refused.text).toContain('"code":"server-full"');
    held[0]!.ws.terminate();
    await held[0]!.closed;
    const again: WebSocket[] = [];
    await waitFor(async () => {
      const o = await openWs(`${ws}/r`);
      again.push(o.ws);
      return o.status === 101;
    }, 'a slot to come back');
    for (const o of [...held.map((h) => h.ws), ...again]) o.terminate();
  });
});
