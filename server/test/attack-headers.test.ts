import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, tempDir } from './helpers.js';

// Clickjacking and script injection need a page that may be framed by
// anyone or that runs whatever script it holds; source maps hand out the
// sources. Every page the server serves says otherwise.

const app = async (): Promise<string> => {
  const dir = await tempDir();
  await mkdir(join(dir, 'assets'));
  await mkdir(join(dir, 'embed'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(dir, 'embed', 'player.html'), '<!doctype html><title>player</title>');
  await writeFile(join(dir, 'assets', 'app-1.js'), 'export {};\n//# sourceMappingURL=app-1.js.map');
  await writeFile(join(dir, 'assets', 'app-1.js.map'), '{"sources":["secret.ts"]}');
  return dir;
};

describe('security headers', () => {
  it('forbids framing and inline script on every app page', async () => {
    const { http } = await startServer({ staticDir: await app() });
    for (const path of ['/', '/n/room', '/j/ABCDEF', '/a/abcdefghij', '/assets/app-1.js']) {
      const res = await fetch(`${http}${path}`);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(csp, path).toMatch(/object-src 'none'/);
      expect(csp, path).toMatch(/base-uri 'none'/);
      // This server, and https: sites for the notebooks of ?from= links (CANDYCE_LINK_SOURCES), nothing else.
      expect(csp, path).toMatch(/connect-src 'self' https:(;|$)/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('lets the configured host platforms frame the player page, and only it', async () => {
    const { http } = await startServer({
      staticDir: await app(),
      security: { embedOrigins: ['https://lms.example', 'https://capytale.example'] },
    });
    const player = await fetch(`${http}/embed/player.html`);
    expect(player.headers.get('content-security-policy')).toMatch(
      /frame-ancestors https:\/\/lms\.example https:\/\/capytale\.example/,
    );
    expect(player.headers.get('x-frame-options')).toBeNull();
    expect((await fetch(`${http}/n/room`)).headers.get('content-security-policy')).toMatch(
      /frame-ancestors 'none'/,
    );
  });

  it('serves the output frame page with a policy of its own: scripts, no network', async () => {
    const { http } = await startServer();
    const res = await fetch(`${http}/sandbox.html`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'unsafe-inline' 'unsafe-eval'/);
    expect(csp).not.toMatch(/connect-src/);
    expect(await res.text()).toContain('event.source !== parent');
  });

  it('serves no source map', async () => {
    const { http } = await startServer({ staticDir: await app() });
    expect((await fetch(`${http}/assets/app-1.js.map`)).status).toBe(404);
    expect((await fetch(`${http}/assets/app-1.js`)).status).toBe(200);
  });

  it('lists the allowed origins in connect-src', async () => {
    const { http } = await startServer({
      staticDir: await app(),
      security: { allowedOrigins: ['https://sync.example'] },
    });
    const csp = (await fetch(`${http}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/connect-src 'self' https:\/\/sync\.example wss:\/\/sync\.example/);
  });
});
