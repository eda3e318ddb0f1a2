import { describe, expect, it } from 'vitest';
import { spawnServer } from './child-server.js';
import { connect, synced, tempDir } from './helpers.js';
import { rawRequest, resetAfter, upgradeHeaders } from './raw-http.js';

// An attacker with nothing but a TCP socket: request targets no URL parser
// accepts, upgrades that are half WebSocket, connections reset mid-answer.
// Each one runs against the real process (`npm start`'s entry point); after
// each, the process must still be alive and serve.

const targets = [
  'http://[',
  'http://[::1',
  'http://a:b@[/sync/x',
  'http://%zz/sync/x',
  '//',
  '//[/sync/x',
  '/sync/%',
  '/sync/%E0%A4%A',
  '/sync/a?token=%',
  '*',
  `/sync/${'a'.repeat(20_000)}`,
];

describe('hostile requests against the server process', () => {
  it('survives every malformed upgrade and request target, and keeps serving', async () => {
    const server = await spawnServer(await tempDir());
    const host = `127.0.0.1:${server.port}`;
    const alive = async (what: string) => {
      expect(server.child.exitCode, `process exited after ${what}`).toBeNull();
      const health = await fetch(`${server.http}/healthz`);
      expect(health.status, `healthz after ${what}`).toBe(200);
    };
    for (const target of targets) {
      const upgrade = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\n${upgradeHeaders(host)}`);
      // Refused with an HTTP answer (or by the parser), or accepted and closed (invalid room name or
      // token); never a dead process.
      if (upgrade.status === 101) expect(upgrade.text, `upgrade ${target}`).toMatch(/Room name|Unauthorized/);
      else if (upgrade.status !== null)
        expect(upgrade.status, `upgrade ${target}`).toBeGreaterThanOrEqual(400);
      await alive(`upgrade ${target}`);
      const plain = await rawRequest(
        server.port,
        `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      if (plain.status !== null) {
        expect(plain.status, `GET ${target}`).toBeGreaterThanOrEqual(400);
        expect(plain.status, `GET ${target}`).toBeLessThan(500);
      }
      await alive(`GET ${target}`);
    }
    // Half upgrades: no key, a wrong version, a POST, an upgrade to something else.
    const halves = [
      `GET /sync/r HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
      `GET /sync/r HTTP/1.1\r\n${upgradeHeaders(host).replace('Version: 13', 'Version: 99')}`,
      `POST /sync/r HTTP/1.1\r\n${upgradeHeaders(host)}`,
      `GET /sync/r HTTP/1.1\r\nHost: ${host}\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n`,
      `GET /nowhere HTTP/1.1\r\n${upgradeHeaders(host)}`,
    ];
    for (const request of halves) {
      await rawRequest(server.port, request);
      await alive(request.split('\r\n')[0]!);
    }
    // Resets right after the request, on every path of the upgrade listener.
    for (const target of ['/nowhere', '/sync/r', 'http://[', '/sync/%']) {
      for (let i = 0; i < 5; i++)
        await resetAfter(server.port, `GET ${target} HTTP/1.1\r\n${upgradeHeaders(host)}`);
      await alive(`reset on ${target}`);
    }
    // Still a working sync server.
    const client = connect(server.ws, 'after-the-attack');
    await synced(client);
    client.text.insert(0, 'still here');
    client.destroy();
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });
});
