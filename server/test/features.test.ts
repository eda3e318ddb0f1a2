// The Feature interface: hooks with one payload object, in the order the
// features were given; a feature that throws or rejects in any hook is
// logged and counted, and the room, the other features and the process go
// on; canWrite is asked of owning features only and fails closed; events
// between features; each feature's own namespace of the store.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, type Feature, type FeatureHost, type FeatureRoute, type Identity } from '../src/index.js';
import { connect, secret, startServer, synced, tempDir, token, waitFor } from './helpers.js';

/** The value of one labelled series of /metrics, 0 when absent. */
const metric = async (http: string, name: string, labels: string): Promise<number> => {
  const text = await (await fetch(`${http}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
};

/** A feature that records every hook call it gets, as `hook:room`. */
const recorder = (name: string, seen: string[], extra: Partial<Feature> = {}): Feature => ({
  name,
  hooks: {
    loaded: ({ room }) => void seen.push(`${name}:loaded:${room.name}`),
    joined: ({ room, identity }) => void seen.push(`${name}:joined:${room.name}:${identity.sub}`),
    left: ({ room, identity }) => void seen.push(`${name}:left:${room.name}:${identity.sub}`),
    updated: ({ room, author }) => void seen.push(`${name}:updated:${room.name}:${author?.sub ?? 'server'}`),
    compacting: ({ room, from, to }) => void seen.push(`${name}:compacting:${room.name}:${from}-${to}`),
    unloading: ({ room }) => void seen.push(`${name}:unloading:${room.name}`),
    deleted: ({ name: room }) => void seen.push(`${name}:deleted:${room}`),
  },
  ...extra,
});

/** A feature whose every hook throws, or returns a rejected promise. */
const broken = (how: 'throws' | 'rejects'): Feature => {
  const fail = (hook: string) => () => {
    if (how === 'throws') throw new Error(`${hook} exploded`);
    return Promise.reject(new Error(`${hook} rejected`));
  };
  return {
    name: `broken-${how}`,
    roomPrefixes: ['guarded-'],
    hooks: {
      loaded: fail('loaded'),
      joined: fail('joined'),
      left: fail('left'),
      updated: fail('updated'),
      compacting: fail('compacting'),
      unloading: fail('unloading'),
      deleted: fail('deleted'),
      canWrite: () => {
        throw new Error('canWrite exploded');
      },
    },
  };
};

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe('features', () => {
  it('calls hooks with their payloads, authors included, in the order the features were given', async () => {
    const seen: string[] = [];
    const { http, ws, server } = await startServer({
      secret,
      features: [recorder('first', seen), recorder('second', seen)],
      timings: { idleUnloadMs: 50 },
    });
    const ada = connect(ws, 'r1', await token({ sub: 'ada', role: 'student', rooms: ['r1'] }));
    await synced(ada);
    ada.text.insert(0, 'a');
    ada.text.insert(1, 'b');
    ada.text.insert(2, 'c');
    await waitFor(() => seen.includes('second:updated:r1:ada'), 'the updates');
    ada.destroy();
    // Unloading compacts the log first.
    await waitFor(() => seen.includes('second:unloading:r1'), 'the unload');
    expect(seen.some((s) => s.startsWith('first:compacting:r1:0-'))).toBe(true);
    const teacher = await token({ sub: 'prof', role: 'teacher', rooms: ['*'] });
    const del = await fetch(`${http}/api/notebooks/r1`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${teacher}` },
    });
    expect(del.status).toBe(200);
    await waitFor(() => seen.includes('second:deleted:r1'), 'the deletion');
    const firsts = seen.filter((s) => s.startsWith('first:')).map((s) => s.slice('first:'.length));
    const seconds = seen.filter((s) => s.startsWith('second:')).map((s) => s.slice('second:'.length));
    expect(seconds).toEqual(firsts);
    expect(firsts[0]).toBe('loaded:r1');
    expect(firsts[1]).toBe('joined:r1:ada');
    expect(firsts).toContain('updated:r1:ada');
    expect(firsts).toContain('left:r1:ada');
    // Each hook: the first feature, then the second, never the reverse.
    for (const entry of firsts)
      expect(seen.indexOf(`first:${entry}`)).toBeLessThan(seen.indexOf(`second:${entry}`));
    expect(server.feature('second')?.name).toBe('second');
    expect(server.feature('third')).toBeUndefined();
  });

  for (const how of ['throws', 'rejects'] as const) {
    it(`keeps the room, the other features and the process going when a feature ${how} in every hook`, async () => {
      const seen: string[] = [];
      const { http, ws } = await startServer({
        secret,
        features: [broken(how), recorder('after', seen)],
        timings: { idleUnloadMs: 50 },
      });
      const writer = await token({ sub: 'bob', role: 'student', rooms: ['*'] });
      const a = connect(ws, 'plain', writer);
      const b = connect(ws, 'plain', writer);
      await Promise.all([synced(a), synced(b)]);
      a.text.insert(0, 'still here');
      await waitFor(() => b.text.toString() === 'still here', 'the broadcast');
      expect(seen).toContain('after:loaded:plain');
      expect(seen).toContain('after:updated:plain:bob');
      a.destroy();
      b.destroy();
      await waitFor(() => seen.includes('after:unloading:plain'), 'the unload');
      expect(seen.some((s) => s.startsWith('after:compacting:plain'))).toBe(true);
      // The failures were counted under the feature's name and hook.
      const name = `broken-${how}`;
      for (const hook of ['loaded', 'joined', 'updated', 'compacting', 'left', 'unloading'])
        await waitFor(
          async () =>
            (await metric(http, 'candyce_feature_errors_total', `feature="${name}",hook="${hook}"`)) >= 1,
          `the ${hook} failure counted`,
        );
      expect(unhandled).toEqual([]);
      // The server still serves.
      const health = await fetch(`${http}/healthz`);
      expect(health.status).toBe(200);
    });
  }

  it('asks canWrite of the features owning the room only, and drops the update when one throws', async () => {
    const { http, ws } = await startServer({ secret, features: [broken('throws')] });
    const writer = await token({ sub: 'eve', role: 'student', rooms: ['*'] });
    // Owned by the broken feature: its writes are dropped (fail closed), the connection stays.
    const a = connect(ws, 'guarded-1', writer);
    const reader = connect(ws, 'guarded-1', writer);
    await Promise.all([synced(a), synced(reader)]);
    a.text.insert(0, 'refused');
    // Not owned: writes go through.
    const c = connect(ws, 'free-1', writer);
    const d = connect(ws, 'free-1', writer);
    await Promise.all([synced(c), synced(d)]);
    c.text.insert(0, 'accepted');
    await waitFor(() => d.text.toString() === 'accepted', 'the accepted write');
    expect(reader.text.toString()).toBe('');
    expect(
      await metric(http, 'candyce_feature_errors_total', 'feature="broken-throws",hook="canWrite"'),
    ).toBeGreaterThan(0);
    expect(a.closes).toEqual([]);
  });

  it('refuses a token a feature refuses, on sync and HTTP, and fails closed when its check throws', async () => {
    let mode: 'refuse' | 'throw' | 'accept' = 'refuse';
    const gate: Feature = {
      name: 'gate',
      tokenChecks: [
        (identity: Identity) => {
          if (mode === 'throw') throw new Error('check exploded');
          return mode === 'refuse' && identity.sub === 'mallory'
            ? new AuthError(401, 'Unauthorized: mallory is out')
            : null;
        },
      ],
    };
    const { http, ws } = await startServer({ secret, features: [gate] });
    const mallory = await token({ sub: 'mallory', role: 'teacher', rooms: ['*'] });
    const get = () => fetch(`${http}/api/notebooks/x`, { headers: { authorization: `Bearer ${mallory}` } });
    const refused = await get();
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toMatch(/mallory is out/);
    const client = connect(ws, 'x', mallory);
    await waitFor(() => client.closes.length > 0, 'the close');
    expect(client.closes[0]?.code).toBe(4401);
    client.destroy();
    mode = 'throw';
    expect((await get()).status).toBe(401);
    mode = 'accept';
    expect((await get()).status).toBe(404);
  });

  it('opens features in order with their own namespace, and closes them in reverse', async () => {
    const order: string[] = [];
    const hosts: FeatureHost[] = [];
    const make = (name: string): Feature => ({
      name,
      async open(host) {
        order.push(`open:${name}`);
        hosts.push(host);
        const runs = Number((await host.kv.get('runs')) ?? 0);
        await host.kv.put('runs', runs + 1);
      },
      close: () => void order.push(`close:${name}`),
    });
    const dataDir = await tempDir();
    const first = await startServer({ dataDir, features: [make('alpha'), make('beta')] });
    await first.close();
    const second = await startServer({ dataDir, features: [make('alpha'), make('beta')] });
    expect(order).toEqual([
      'open:alpha',
      'open:beta',
      'close:beta',
      'close:alpha',
      'open:alpha',
      'open:beta',
    ]);
    // Each namespace counted its own two starts: alpha's records never meet beta's.
    expect(await hosts[2]!.kv.get('runs')).toBe(2);
    expect(await hosts[3]!.kv.get('runs')).toBe(2);
    await hosts[2]!.kv.put('only-alpha', true);
    expect(await hosts[3]!.kv.get('only-alpha')).toBeUndefined();
    await second.close();
  });

  it('carries events between features, and one failing subscriber reaches neither the emitter nor the others', async () => {
    const got: unknown[] = [];
    let emit: ((payload: unknown) => void) | null = null;
    const emitter: Feature = {
      name: 'emitter',
      open(host) {
        emit = (payload) => host.events.emit('handed-in', payload);
      },
    };
    const failing: Feature = {
      name: 'failing',
      open(host) {
        host.events.on('handed-in', () => {
          throw new Error('subscriber exploded');
        });
      },
    };
    const listening: Feature = {
      name: 'listening',
      open(host) {
        host.events.on('handed-in', (payload) => void got.push(payload));
      },
    };
    const { http } = await startServer({ features: [emitter, failing, listening] });
    expect(() => emit!({ copy: 'c1' })).not.toThrow();
    expect(got).toEqual([{ copy: 'c1' }]);
    expect(
      await metric(http, 'candyce_feature_errors_total', 'feature="failing",hook="event:handed-in"'),
    ).toBe(1);
  });

  it('serves feature routes, and answers a route that throws with the shared error shape', async () => {
    const route: FeatureRoute = async (_req: IncomingMessage, res: ServerResponse, url: URL) => {
      if (url.pathname === '/api/hello') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":true}');
        return true;
      }
      if (url.pathname === '/api/boom') throw new Error('route exploded');
      return false;
    };
    const { http } = await startServer({ features: [{ name: 'greeter', routes: () => [route] }] });
    expect(await (await fetch(`${http}/api/hello`)).json()).toEqual({ hello: true });
    const boom = await fetch(`${http}/api/boom`);
    expect(boom.status).toBe(500);
    expect((await boom.json()).error).toMatch(/Internal server error/);
    expect(await metric(http, 'candyce_feature_errors_total', 'feature="greeter",hook="route"')).toBe(1);
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
  });

  it('refuses to start with a bad or repeated feature name, or a feature that cannot open', async () => {
    await expect(startServer({ features: [{ name: 'Bad Name' }] })).rejects.toThrow(/Feature name/);
    await expect(startServer({ features: [{ name: 'twin' }, { name: 'twin' }] })).rejects.toThrow(
      /Two features are named twin/,
    );
    await expect(startServer({ features: [{ name: 'core' }] })).rejects.toThrow(/core/);
    const closed: string[] = [];
    await expect(
      startServer({
        features: [
          { name: 'good', close: () => void closed.push('good') },
          {
            name: 'sick',
            open: () => {
              throw new Error('no database');
            },
          },
        ],
      }),
    ).rejects.toThrow(/Feature sick could not open: no database/);
    // What had opened was closed again.
    expect(closed).toEqual(['good']);
  });
});
