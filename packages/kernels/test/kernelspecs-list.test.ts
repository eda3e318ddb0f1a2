import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { jupyterGateway } from '../src/index.js';

// What a Jupyter server answers to GET /api/kernelspecs goes to every page
// (GET /api/kernels): a broken or hostile answer is bounded and checked.

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

const serve = async (status: number, body: string): Promise<string> => {
  server = createServer((req, res) => {
    res.writeHead(req.url === '/base/api/kernelspecs' ? status : 404, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/base/`;
};

describe('the kernelspecs of a Jupyter server', () => {
  it('keeps at most 100 well-named kernelspecs with texts cut to 100 characters', async () => {
    const kernelspecs: Record<string, unknown> = {
      '../etc': { spec: { display_name: 'x', language: 'x' } },
      '<img src=x>': { spec: {} },
      ir: { spec: { display_name: 'R'.repeat(500), language: 'R' } },
      bare: null,
    };
    for (let i = 0; i < 300; i++)
      kernelspecs[`k${String(i).padStart(3, '0')}`] = { spec: { display_name: i } };
    const url = await serve(200, JSON.stringify({ default: 'ir', kernelspecs }));
    const specs = await jupyterGateway({ url }).kernelSpecs!();
    expect(specs).toHaveLength(100);
    expect(specs.map((s) => s.name)).not.toContain('../etc');
    expect(specs.map((s) => s.name)).not.toContain('<img src=x>');
    expect(specs[0]).toEqual({ name: 'ir', display_name: 'R'.repeat(100), language: 'r' });
    expect(specs[1]).toEqual({ name: 'bare', display_name: 'bare', language: '' });
    // A display name that is no string: the name.
    expect(specs[2]).toEqual({ name: 'k000', display_name: 'k000', language: '' });
  });

  it('rejects, naming no address, an answer that is no kernelspec list or an error status', async () => {
    for (const [status, body, reason] of [
      [200, 'not json', 'the Jupyter server sent no kernelspec list'],
      [200, `{"kernelspecs": {"a": "${'x'.repeat(1 << 20)}"}}`, 'the Jupyter server sent no kernelspec list'],
      [200, '{"kernelspecs": 3}', 'the Jupyter server sent no kernelspec list'],
      [403, '{"message": "Forbidden"}', 'the Jupyter server answered 403'],
    ] as const) {
      const url = await serve(status, body);
      const error = await jupyterGateway({ url, token: 'sekret' }).kernelSpecs!().then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toBe(reason);
      expect(error?.message).not.toContain('127.0.0.1');
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = null;
    }
  });
});
