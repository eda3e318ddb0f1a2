// Seeded fuzzing of PUT /api/notebooks/<room>: bodies cut short, bytes
// flipped, invalid UTF-8, deep nesting, wrong types at random paths, huge
// bodies. Each body is either a notebook (2xx) or refused with a 4xx and a
// message, and a refused body changes nothing: the stored notebook, the live
// document and the clients connected to it stay as they were. The model's
// own fuzz covers values; this one covers what reaches the server as bytes.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, seededRandom, startServer, synced, waitFor } from './helpers.js';

// Each case is a few HTTP round trips: a tenth of the protocol fuzzer's count.
const cases = Math.ceil(Number(process.env.FUZZ_CASES ?? 6000) / 10);
const maxDocumentBytes = 512 * 1024;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const original = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, tags: [] },
  cells: [
    { id: 'intro', cell_type: 'markdown', metadata: {}, source: '# Fractions\n\nSimplifiez $\\frac{6}{8}$.' },
    {
      id: 'code',
      cell_type: 'code',
      metadata: { tags: ['exercise'] },
      execution_count: 1,
      source: ['from fractions import Fraction\n', 'Fraction(6, 8)'],
      outputs: [
        {
          output_type: 'execute_result',
          execution_count: 1,
          metadata: {},
          data: { 'text/plain': 'Fraction(3, 4)' },
        },
        { output_type: 'stream', name: 'stdout', text: 'ok\n' },
      ],
    },
    { id: 'raw', cell_type: 'raw', metadata: {}, source: 'raw text' },
  ],
} satisfies Json;

type Random = () => number;
const int = (r: Random, n: number) => Math.floor(r() * n);
const pick = <T>(r: Random, xs: readonly T[]): T => xs[int(r, xs.length)]!;

const paths = (value: Json, at: (string | number)[] = [], out: (string | number)[][] = []) => {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const step = Array.isArray(value) ? Number(k) : k;
      out.push([...at, step]);
      paths(v as Json, [...at, step], out);
    }
  }
  return out;
};

const garbage = (r: Random): Json =>
  pick<() => Json>(r, [
    () => null,
    () => -1,
    () => 1e308,
    () => 2 ** 60,
    () => '',
    () => '\ud800',
    () => 'x'.repeat(int(r, 100)),
    () => [],
    () => [1, 'a', null],
    () => ({}),
    () => ({ output_type: 'stream', name: 'stdin', text: 1 }),
    () => ({ cell_type: 'code', source: 3 }),
    () => ({ output_type: 'display_data', data: { 'image/png': 7 }, metadata: {} }),
    () => ({ __proto__: { polluted: true } }) as Json,
  ])();

/** A structural mutation of the notebook: a value replaced, a key removed, a key added. */
const mutateStructure = (r: Random): string => {
  const nb = structuredClone(original) as unknown as Json;
  const steps = 1 + int(r, 3);
  for (let i = 0; i < steps; i++) {
    const all = paths(nb);
    const path = pick(r, all);
    let parent = nb as Record<string | number, Json>;
    for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
    const last = path[path.length - 1]!;
    const op = int(r, 3);
    if (op === 0) parent[last] = garbage(r);
    else if (op === 1) {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (!Array.isArray(parent)) parent[`extra${int(r, 3)}`] = garbage(r);
  }
  return JSON.stringify(nb);
};

/** Bodies that are not JSON, or not text, or not sized like a notebook. */
const byteCases: { name: string; make(r: Random): Uint8Array | string }[] = [
  { name: 'a truncated body', make: (r) => JSON.stringify(original).slice(0, int(r, 400)) },
  {
    name: 'flipped bytes',
    make: (r) => {
      const bytes = new TextEncoder().encode(JSON.stringify(original));
      for (let i = 0; i < 1 + int(r, 5); i++) bytes[int(r, bytes.length)] = int(r, 256);
      return bytes;
    },
  },
  {
    name: 'invalid UTF-8',
    make: (r) =>
      Uint8Array.from([
        ...new TextEncoder().encode('{"nbformat":4,"nbformat_minor":5,"metadata":{"x":"'),
        ...pick(r, [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]),
        ...new TextEncoder().encode('"},"cells":[]}'),
      ]),
  },
  {
    name: 'deep nesting',
    make: (r) => {
      const depth = pick(r, [1000, 10_000, 100_000]);
      return `{"nbformat":4,"nbformat_minor":5,"metadata":{"deep":${'['.repeat(depth)}${']'.repeat(depth)}},"cells":[]}`;
    },
  },
  {
    name: 'deeply nested objects in cell metadata',
    make: (r) => {
      const depth = pick(r, [5000, 50_000]);
      const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      return `{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[{"id":"c","cell_type":"raw","metadata":{"x":${deep}},"source":""}]}`;
    },
  },
  { name: 'a JSON scalar or array', make: (r) => pick(r, ['null', '4', '"notebook"', '[]', 'true', '{}']) },
  {
    name: 'a body above the size limit',
    make: (r) => `{"nbformat":4,"pad":"${'x'.repeat(maxDocumentBytes + int(r, 1000))}"}`,
  },
  { name: 'an empty body', make: () => '' },
  {
    name: 'an older nbformat',
    make: (r) => JSON.stringify({ ...original, nbformat: pick(r, [1, 2, 3, 5, -4, 4.5]) }),
  },
  { name: 'a structural mutation', make: mutateStructure },
];

describe('.ipynb fuzzing through PUT /api/notebooks/<room>', () => {
  it(`answers every one of ${cases} seeded bad bodies with a 4xx and a message, and changes nothing`, async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1e9);
    const random = seededRandom(seed);
    const { http, ws, server } = await startServer({ limits: { maxDocumentBytes } });
    const url = `${http}/api/notebooks/fuzzed`;
    const putOriginal = async () => {
      const res = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(original),
      });
      expect(res.status).toBeLessThan(300);
    };
    await putOriginal();
    const watcher = connect(ws, 'fuzzed');
    await synced(watcher);
    const stateOf = async () => Y.encodeStateVector((await server.rooms.peek('fuzzed'))!.doc);
    const ipynbOf = async () => (await fetch(url)).text();

    const tally = new Map<string, number>();
    let accepted = 0;
    for (let i = 0; i < cases; i++) {
      const kind = pick(random, byteCases);
      const body = kind.make(random);
      const where = `seed ${seed}, case ${i} (${kind.name})`;
      const before = {
        state: await stateOf(),
        ipynb: await ipynbOf(),
        watcher: Y.encodeStateVector(watcher.doc),
      };
      const res = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : Buffer.from(body),
      });
      const answer = (await res.json()) as { error?: string };
      tally.set(`${kind.name} → ${res.status}`, (tally.get(`${kind.name} → ${res.status}`) ?? 0) + 1);
      expect(res.status, `${where}: ${JSON.stringify(answer).slice(0, 300)}`).toBeLessThan(500);
      if (res.status >= 400) {
        expect(typeof answer.error, where).toBe('string');
        expect(answer.error!.length, where).toBeGreaterThan(5);
        expect(await stateOf(), where).toEqual(before.state);
        expect(await ipynbOf(), where).toBe(before.ipynb);
        expect(Y.encodeStateVector(watcher.doc), where).toEqual(before.watcher);
      } else {
        expect(kind.name, `${where}: accepted`).not.toBe('invalid UTF-8');
        // A mutation that is still a notebook: accepted whole; put the original back for the next case.
        accepted++;
        await putOriginal();
      }
    }
    console.log(
      `ipynb-http-fuzz seed ${seed}: ${cases} cases, ${accepted} still valid notebooks\n${[...tally]
        .sort()
        .map(([k, n]) => `  ${k}: ${n}`)
        .join('\n')}`,
    );
    // The room and its live client still work.
    watcher.text.insert(0, 'alive');
    const check = connect(ws, 'fuzzed');
    await waitFor(() => check.text.toString() === 'alive', 'the room to keep working');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  }, 120_000);
});
