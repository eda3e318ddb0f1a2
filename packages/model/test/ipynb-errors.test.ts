import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportIpynb, importIpynb, NotebookFormatError, stringifyIpynb } from '../src/index.js';
import { type Json, loadFixtures, nbformatSchema, runPython, schemaErrors } from './helpers/ipynb.js';

const fixtures = loadFixtures();
const validate45 = nbformatSchema(5);

/** A valid notebook whose paths the cases below name: cells[0] has two outputs, cells[3] is code. */
const base = (): Json => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' }, x: 1 },
  cells: [
    {
      id: 'first',
      cell_type: 'code',
      execution_count: 1,
      metadata: {},
      source: 'print(1)',
      outputs: [
        { output_type: 'display_data', data: { 'text/plain': '1' }, metadata: {} },
        { output_type: 'stream', name: 'stdout', text: '1\n' },
        { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['t'] },
      ],
    },
    {
      id: 'second',
      cell_type: 'markdown',
      metadata: {},
      source: '![](attachment:a.png)',
      attachments: { 'a.png': { 'image/png': 'iVBOR' } },
    },
    { id: 'third', cell_type: 'raw', metadata: { format: 'text/latex' }, source: '' },
    { id: 'fourth', cell_type: 'code', execution_count: null, metadata: {}, source: [], outputs: [] },
  ],
});

const withChange = (change: (nb: Json) => void): Json => {
  const nb = base();
  change(nb);
  return nb;
};

/** A document that already holds a notebook, so that "untouched" means something. */
const fullDoc = (): Y.Doc => {
  const doc = new Y.Doc();
  importIpynb(doc, fixtures.find((f) => f.json.nbformat_minor === 1)!.json);
  return doc;
};

const circular = (): Json => {
  const loop: Json = { a: 1 };
  loop.self = loop;
  return loop;
};

const cases: [string, () => unknown, string, string][] = [
  ['null', () => null, 'notebook', 'expected a JSON object, got null'],
  ['an array', () => [], 'notebook', 'expected a JSON object, got an array'],
  ['a string', () => '{"nbformat": 4}', 'notebook', 'expected a JSON object, got string'],
  ['a number', () => 4, 'notebook', 'expected a JSON object, got number'],
  ['undefined', () => undefined, 'notebook', 'expected a JSON object, got undefined'],
  ['a Map', () => new Map(), 'notebook', 'expected a JSON object, got an instance of Map'],
  [
    'an nbformat 3 notebook',
    () => ({ nbformat: 3, nbformat_minor: 0, metadata: { name: 'old' }, worksheets: [{ cells: [] }] }),
    'nbformat',
    'version 3 notebooks are not supported; open and save the file in Jupyter to upgrade it to version 4',
  ],
  [
    'an nbformat 5 notebook',
    () => withChange((nb) => (nb.nbformat = 5)),
    'nbformat',
    'version 5 is newer than the version this editor reads (4)',
  ],
  [
    'nbformat as a string',
    () => withChange((nb) => (nb.nbformat = '4')),
    'nbformat',
    'expected an integer, got "4"',
  ],
  ['no nbformat', () => withChange((nb) => delete nb.nbformat), 'nbformat', 'missing'],
  [
    'a negative nbformat_minor',
    () => withChange((nb) => (nb.nbformat_minor = -1)),
    'nbformat_minor',
    'expected a non-negative integer, got -1',
  ],
  [
    'a fractional nbformat_minor',
    () => withChange((nb) => (nb.nbformat_minor = 4.5)),
    'nbformat_minor',
    'expected a non-negative integer, got 4.5',
  ],
  [
    'metadata that is not an object',
    () => withChange((nb) => (nb.metadata = [])),
    'metadata',
    'expected an object, got an array',
  ],
  ['no metadata', () => withChange((nb) => delete nb.metadata), 'metadata', 'missing'],
  [
    'cells as an object',
    () => withChange((nb) => (nb.cells = {})),
    'cells',
    'expected an array, got an object',
  ],
  [
    'a cell that is null',
    () => withChange((nb) => (nb.cells[2] = null)),
    'cells[2]',
    'expected an object, got null',
  ],
  [
    'a v3 heading cell',
    () => withChange((nb) => (nb.cells[2].cell_type = 'heading')),
    'cells[2].cell_type',
    'expected "code", "markdown" or "raw", got "heading"',
  ],
  [
    'a source that is a number',
    () => withChange((nb) => (nb.cells[3].source = 42)),
    'cells[3].source',
    'expected string or string[], got number',
  ],
  [
    'a source line that is not a string',
    () => withChange((nb) => (nb.cells[3].source = ['a\n', null])),
    'cells[3].source[1]',
    'expected string, got null',
  ],
  [
    'a cell without source',
    () => withChange((nb) => delete nb.cells[1].source),
    'cells[1].source',
    'missing',
  ],
  [
    'stream text that is an object',
    () => withChange((nb) => (nb.cells[0].outputs[1].text = {})),
    'cells[0].outputs[1].text',
    'expected string or string[], got an object',
  ],
  [
    'stream output without text',
    () => withChange((nb) => delete nb.cells[0].outputs[1].text),
    'cells[0].outputs[1].text',
    'missing',
  ],
  [
    'stream output without name',
    () => withChange((nb) => delete nb.cells[0].outputs[1].name),
    'cells[0].outputs[1].name',
    'missing',
  ],
  [
    'a v3 output type',
    () => withChange((nb) => (nb.cells[0].outputs[0].output_type = 'pyout')),
    'cells[0].outputs[0].output_type',
    'expected "stream", "display_data", "execute_result" or "error", got "pyout"',
  ],
  [
    'text data that is an object',
    () => withChange((nb) => (nb.cells[0].outputs[0].data['text/plain'] = { a: 1 })),
    'cells[0].outputs[0].data["text/plain"]',
    'expected string or string[], got an object',
  ],
  [
    'output metadata that is a string',
    () => withChange((nb) => (nb.cells[0].outputs[0].metadata = 'none')),
    'cells[0].outputs[0].metadata',
    'expected an object, got string',
  ],
  [
    'a traceback that is a string',
    () => withChange((nb) => (nb.cells[0].outputs[2].traceback = 'Traceback')),
    'cells[0].outputs[2].traceback',
    'expected string[], got string',
  ],
  [
    'a traceback line that is a number',
    () => withChange((nb) => (nb.cells[0].outputs[2].traceback = ['a', 2])),
    'cells[0].outputs[2].traceback[1]',
    'expected string, got number',
  ],
  [
    'a cell id with a space',
    () => withChange((nb) => (nb.cells[1].id = 'a b')),
    'cells[1].id',
    'expected 1 to 64 characters among a-z, A-Z, 0-9, - and _, got "a b"',
  ],
  [
    'an empty cell id',
    () => withChange((nb) => (nb.cells[1].id = '')),
    'cells[1].id',
    'expected 1 to 64 characters among a-z, A-Z, 0-9, - and _, got ""',
  ],
  [
    'a 65-character cell id',
    () => withChange((nb) => (nb.cells[1].id = 'x'.repeat(65))),
    'cells[1].id',
    `expected 1 to 64 characters among a-z, A-Z, 0-9, - and _, got "${'x'.repeat(36)}...`,
  ],
  [
    'a numeric cell id',
    () => withChange((nb) => (nb.cells[1].id = 7)),
    'cells[1].id',
    'expected 1 to 64 characters among a-z, A-Z, 0-9, - and _, got 7',
  ],
  [
    'a negative execution count',
    () => withChange((nb) => (nb.cells[0].execution_count = -1)),
    'cells[0].execution_count',
    'expected a non-negative integer or null, got -1',
  ],
  [
    'an execution count given as a string',
    () => withChange((nb) => (nb.cells[0].execution_count = '1')),
    'cells[0].execution_count',
    'expected a non-negative integer or null, got "1"',
  ],
  [
    'a fractional execution count',
    () => withChange((nb) => (nb.cells[3].execution_count = 1.5)),
    'cells[3].execution_count',
    'expected a non-negative integer or null, got 1.5',
  ],
  [
    'an execution count too large to be written as an integer',
    () =>
      withChange(
        (nb) =>
          (nb.cells[0].outputs[0] = {
            ...nb.cells[0].outputs[0],
            output_type: 'execute_result',
            execution_count: 1e300,
          }),
      ),
    'cells[0].outputs[0].execution_count',
    'expected a non-negative integer or null, got 1e+300',
  ],
  [
    'a code cell without execution count',
    () => withChange((nb) => delete nb.cells[3].execution_count),
    'cells[3].execution_count',
    'missing',
  ],
  [
    'a code cell without outputs',
    () => withChange((nb) => delete nb.cells[3].outputs),
    'cells[3].outputs',
    'missing',
  ],
  [
    'NaN in metadata',
    () => withChange((nb) => (nb.metadata.x = Number.NaN)),
    'metadata.x',
    'got NaN, which is not JSON',
  ],
  [
    'Infinity deep in output metadata',
    () => withChange((nb) => (nb.cells[0].outputs[0].metadata = { 'image/png': { width: Infinity } })),
    'cells[0].outputs[0].metadata["image/png"].width',
    'got Infinity, which is not JSON',
  ],
  [
    'a NaN execution count',
    () => withChange((nb) => (nb.cells[0].execution_count = Number.NaN)),
    'cells[0].execution_count',
    'expected a non-negative integer or null, got NaN',
  ],
  [
    'a Date in metadata',
    () => withChange((nb) => (nb.metadata.when = new Date(0))),
    'metadata.when',
    'expected a JSON value, got an instance of Date',
  ],
  [
    'a function in cell metadata',
    () => withChange((nb) => (nb.cells[1].metadata.f = () => 1)),
    'cells[1].metadata.f',
    'expected a JSON value, got function',
  ],
  [
    'a bigint in metadata',
    () => withChange((nb) => (nb.metadata.n = 10n)),
    'metadata.n',
    'expected a JSON value, got bigint',
  ],
  [
    'a "__proto__" key',
    () => withChange((nb) => (nb.metadata = JSON.parse('{"__proto__": {"polluted": true}}'))),
    'metadata.__proto__',
    'this key is not allowed in a notebook',
  ],
  [
    'a lone surrogate in a source',
    () => withChange((nb) => (nb.cells[3].source = ['ok\n', 'bad \ud83d'])),
    'cells[3].source[1]',
    'contains a lone surrogate (U+D83D) at index 4, which is not valid Unicode',
  ],
  [
    'a kernelspec name that is a number',
    () => withChange((nb) => (nb.metadata.kernelspec.name = 3)),
    'metadata.kernelspec.name',
    'expected string, got number',
  ],
  [
    'a kernelspec without display_name whose name is not a string',
    () =>
      withChange((nb) => {
        delete nb.metadata.kernelspec.display_name;
        nb.metadata.kernelspec.name = 3;
      }),
    'metadata.kernelspec.name',
    'expected string, got number',
  ],
  [
    'a title that is not a string',
    () => withChange((nb) => (nb.metadata.title = ['T'])),
    'metadata.title',
    'expected string, got an array',
  ],
  [
    'execution times that are not strings',
    () => withChange((nb) => (nb.cells[0].metadata.execution = { 'iopub.status.busy': 1 })),
    'cells[0].metadata.execution["iopub.status.busy"]',
    'expected string, got number',
  ],
  [
    'repeated tags',
    () => withChange((nb) => (nb.cells[1].metadata.tags = ['a', 'b', 'a'])),
    'cells[1].metadata.tags[2]',
    'tag "a" appears twice',
  ],
  [
    'a tag with a comma',
    () => withChange((nb) => (nb.cells[1].metadata.tags = ['a,b'])),
    'cells[1].metadata.tags[0]',
    'expected a non-empty tag without commas, got "a,b"',
  ],
  [
    'a cell name on two lines',
    () => withChange((nb) => (nb.cells[2].metadata.name = 'a\nb')),
    'cells[2].metadata.name',
    'expected a non-empty name on one line, got "a\\nb"',
  ],
  [
    'scrolled that is neither boolean nor "auto"',
    () => withChange((nb) => (nb.cells[0].metadata.scrolled = 'yes')),
    'cells[0].metadata.scrolled',
    'expected true, false or "auto", got "yes"',
  ],
  [
    'a raw cell format that is not a string',
    () => withChange((nb) => (nb.cells[2].metadata.format = null)),
    'cells[2].metadata.format',
    'expected string, got null',
  ],
  [
    'an attachment that is not a MIME bundle',
    () => withChange((nb) => (nb.cells[1].attachments['a.png'] = 'iVBOR')),
    'cells[1].attachments["a.png"]',
    'expected an object, got string',
  ],
  [
    'circular metadata',
    () => withChange((nb) => (nb.metadata.loop = circular())),
    `metadata.loop${'.self'.repeat(100)}`,
    'nested more than 100 levels deep (or circular)',
  ],
];

describe('importIpynb on bad input', () => {
  it.each(cases)('refuses %s, naming the path and the problem', (_what, make, path, problem) => {
    const doc = fullDoc();
    const before = Y.encodeStateAsUpdate(doc);
    let updates = 0;
    doc.on('update', () => updates++);
    let error: unknown;
    try {
      importIpynb(doc, make());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotebookFormatError);
    const e = error as NotebookFormatError;
    expect(e.path).toBe(path);
    expect(e.problem).toBe(problem);
    expect(e.message).toBe(`${path}: ${problem}`);
    expect(updates).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('accepts the base notebook of these cases, so that each case fails for its one change', () => {
    const doc = new Y.Doc();
    importIpynb(doc, base());
    expect(validate45(exportIpynb(doc)), schemaErrors(validate45)).toBe(true);
  });

  it('does not let a "__proto__" key reach the prototype of any object', () => {
    const doc = fullDoc();
    expect(() => importIpynb(doc, JSON.parse('{"__proto__": {"nbformat": 4}}'))).toThrow('nbformat: missing');
    expect(({} as Json).nbformat).toBeUndefined();
  });
});

// --- Seeded random mutations of valid fixtures --------------------------------

type Step = string | number;

/** Lists the paths of every value inside `value` (not the root itself), visiting each object once. */
const pathsOf = (value: Json, path: Step[] = [], out: Step[][] = [], seen = new Set<object>()): Step[][] => {
  if (typeof value !== 'object' || value === null || seen.has(value)) return out;
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...path, i]);
      pathsOf(v, [...path, i], out, seen);
    });
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) {
      out.push([...path, k]);
      pathsOf(v, [...path, k], out, seen);
    }
  }
  return out;
};

/** A deep copy where possible (garbage may hold functions or cycles: then the value itself). */
const copyOf = (value: unknown): unknown => {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
};

const garbage = (gen: prng.PRNG): unknown =>
  prng.oneOf(gen, [
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => 2.5,
    () => 1e300,
    () => Number.NaN,
    () => Number.POSITIVE_INFINITY,
    () => undefined,
    () => '',
    () => 'text\nwith lines',
    () => 'a,b',
    () => 'bad id!',
    () => '\ud800',
    () => prng.utf16String(gen, 8),
    () => [],
    () => ['a\n', 'b'],
    () => ['a', 1],
    () => ({}),
    () => ({ 'text/plain': 'x' }),
    () => ({ name: 'n', display_name: 'd' }),
    () => ({ output_type: 'stream', name: 'stdout', text: 'x' }),
    () => ({ output_type: prng.oneOf(gen, ['stream', 'error', 'execute_result', 'display_data']) }),
    () => ({ cell_type: prng.oneOf(gen, ['code', 'markdown', 'raw']), metadata: {}, source: '' }),
    () => new Date(0),
    () => () => 0,
    () => circular(),
    () => JSON.parse('{"__proto__": 1}'),
  ])();

const garbageKeys = [
  'extra',
  'id',
  'transient',
  'outputs',
  'attachments',
  'execution_count',
  'text/plain',
  'application/x+json',
  'name',
  'tags',
  'kernelspec',
  'language_info',
  'collapsed',
  'scrolled',
  'format',
  'jupyter',
  'execution',
  'trusted',
  'signature',
  'nbformat',
  '',
  'clé 🔑',
];

const otherStrings = [
  'stream',
  'error',
  'display_data',
  'execute_result',
  'code',
  'markdown',
  'raw',
  'stdout',
  'application/json',
];

/** Applies one random mutation to `nb` in place and says what it did. */
const mutate = (gen: prng.PRNG, nb: Json): string => {
  const paths = pathsOf(nb);
  const path = paths.length > 0 ? prng.oneOf(gen, paths) : [];
  const parent = path.slice(0, -1).reduce((v: Json, k) => v[k], nb);
  const key = path[path.length - 1];
  const where = path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
  if (key === undefined) return 'nothing';
  const kind = prng.int32(gen, 0, 5);
  switch (kind) {
    case 0:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return `delete ${where}`;
    case 1:
    case 2:
      parent[key] = garbage(gen);
      return `replace ${where}`;
    case 3: {
      const target = parent[key];
      if (Array.isArray(target)) {
        const at = prng.int32(gen, 0, target.length);
        target.splice(at, 0, target.length > 0 && prng.bool(gen) ? copyOf(target[0]) : garbage(gen));
        return `insert into ${where}[${at}]`;
      }
      if (typeof target === 'object' && target !== null) {
        const k = prng.oneOf(gen, garbageKeys);
        target[k] = garbage(gen);
        return `set ${where}.${k}`;
      }
      parent[key] = garbage(gen);
      return `replace ${where}`;
    }
    case 4:
      if (typeof parent[key] === 'string') {
        parent[key] = prng.oneOf(gen, otherStrings);
        return `change string ${where}`;
      }
      parent[key] = garbage(gen);
      return `replace ${where}`;
    default:
      if (Array.isArray(parent) && parent.length > 0) {
        parent.push(copyOf(parent[prng.int32(gen, 0, parent.length - 1)]));
        return `duplicate into ${where}`;
      }
      parent[key] = copyOf(prng.oneOf(gen, [0, '', [], {}, null]));
      return `empty ${where}`;
  }
};

/** A deep copy of a fixture (plain JSON). */
const copyFixture = (nb: Json): Json => JSON.parse(JSON.stringify(nb));

describe('importIpynb under seeded random mutations of the fixtures', () => {
  const iterations = Number(process.env.CANDYCE_IPYNB_FUZZ_ITERATIONS ?? 3000);
  const firstSeed = Number(process.env.CANDYCE_IPYNB_FUZZ_SEED ?? 0x1_9b_2025);

  it(`either imports cleanly with a schema-valid export or throws NotebookFormatError (${iterations} runs)`, () => {
    const seen = { clean: 0, refused: 0 };
    const clean: { text: string; replay: string }[] = [];
    const replaying = process.env.CANDYCE_IPYNB_FUZZ_SEED !== undefined;
    for (let i = 0; i < (replaying ? 1 : iterations); i++) {
      const seed = firstSeed + i;
      const gen = prng.create(seed);
      const fixture = prng.oneOf(gen, fixtures);
      const nb = copyFixture(fixture.json);
      const steps: string[] = [];
      const n = prng.int32(gen, 1, 3);
      for (let s = 0; s < n; s++) steps.push(mutate(gen, nb));
      const replay = `seed ${seed} (replay: CANDYCE_IPYNB_FUZZ_SEED=${seed} npx vitest run ipynb-errors), ${fixture.name}: ${steps.join('; ')}`;

      const doc = fullDoc();
      const before = Y.encodeStateAsUpdate(doc);
      try {
        importIpynb(doc, nb);
      } catch (e) {
        if (!(e instanceof NotebookFormatError)) {
          throw new Error(`${replay}: threw ${String(e)}`, { cause: e });
        }
        if (!equalBytes(Y.encodeStateAsUpdate(doc), before)) {
          throw new Error(`${replay}: the document changed although the import was refused (${e.message})`);
        }
        seen.refused++;
        continue;
      }
      seen.clean++;
      const out = exportIpynb(doc);
      if (!validate45(out)) throw new Error(`${replay}: export is not valid: ${schemaErrors(validate45)}`);
      const again = new Y.Doc();
      importIpynb(again, out);
      expect(exportIpynb(again), replay).toStrictEqual(out);
      if (clean.length < 400) clean.push({ text: stringifyIpynb(doc), replay });
    }
    // Both outcomes happen often enough for the run to mean something.
    if (!replaying) {
      expect(seen.clean).toBeGreaterThan(iterations / 10);
      expect(seen.refused).toBeGreaterThan(iterations / 10);
      // And the real validator agrees with ajv on a sample of the clean exports.
      const python = runPython(
        clean.map((c) => c.text),
        [
          'import nbformat, sys',
          'for i, p in enumerate(sys.argv[1:]):',
          '    try: nbformat.validate(nbformat.read(p, as_version=4))',
          '    except Exception as e: print(i, type(e).__name__, str(e).splitlines()[0])',
        ].join('\n'),
      );
      const refusedByPython = python.output
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => `${clean[Number.parseInt(line, 10)]?.replay}: nbformat says ${line}`);
      expect(refusedByPython).toEqual([]);
      expect(python.status).toBe(0);
    }
  }, 120_000);
});

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);
