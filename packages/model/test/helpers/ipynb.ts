// Shared by the .ipynb tests: the fixture corpus, a normaliser written after
// nbformat's reader (independent of the model's own code), the official
// nbformat schemas and the real Python validator.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvDraft04, { type ValidateFunction } from 'ajv-draft-04';
import { expect } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: notebooks under test are arbitrary JSON
export type Json = any;

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** One hand-written notebook of the corpus. */
export interface Fixture {
  name: string;
  text: string;
  json: Json;
}

/** Returns every fixture of test/fixtures, in name order. */
export const loadFixtures = (): Fixture[] =>
  readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(fixturesDir, name), 'utf8');
      return { name, text, json: JSON.parse(text) };
    });

/** Returns a 4.4 notebook whose one code cell printed `lines` lines (written as a list, as Jupyter does). */
export const longOutputNotebook = (lines = 20_000): Json => ({
  nbformat: 4,
  nbformat_minor: 4,
  metadata: {},
  cells: [
    {
      cell_type: 'code',
      execution_count: 1,
      metadata: {},
      source: ['for i in range(20000):\n', '    print(i, "é" * (i % 7))'],
      outputs: [
        {
          output_type: 'stream',
          name: 'stdout',
          text: Array.from({ length: lines }, (_, i) => `${i} ${'é'.repeat(i % 7)}\n`),
        },
      ],
    },
  ],
});

// --- nbformat's normalisation (nbformat/v4/rwbase.py), written out here ------

const isJsonMimeAsNbformat = (mime: string): boolean =>
  mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));

const joinIfLines = (v: Json): Json =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') ? v.join('') : v;

const rejoinBundle = (bundle: Json): void => {
  for (const mime of Object.keys(bundle ?? {})) {
    if (!isJsonMimeAsNbformat(mime)) bundle[mime] = joinIfLines(bundle[mime]);
  }
};

/** Returns a copy of `nb` with multi-line strings joined, as nbformat's `rejoin_lines` does. */
export const rejoinLines = (nb: Json): Json => {
  const out = structuredClone(nb);
  for (const cell of out.cells) {
    cell.source = joinIfLines(cell.source);
    for (const bundle of Object.values(cell.attachments ?? {})) rejoinBundle(bundle);
    if (cell.cell_type !== 'code') continue;
    for (const output of cell.outputs) {
      if (output.output_type === 'execute_result' || output.output_type === 'display_data') {
        rejoinBundle(output.data);
      } else if (output.output_type === 'stream') {
        output.text = joinIfLines(output.text);
      }
    }
  }
  return out;
};

/**
 * Returns what a notebook becomes once read by nbformat and saved as 4.5:
 * strings joined, `strip_transient` applied (notebook `signature` and
 * `orig_nbformat*`, cell `trusted`), output `transient` dropped, minor 5.
 * Cell ids are left as they are: the caller decides how to compare them.
 */
export const normaliseAsNbformat = (nb: Json): Json => {
  const out = rejoinLines(nb);
  for (const key of ['signature', 'orig_nbformat', 'orig_nbformat_minor']) delete out.metadata[key];
  for (const cell of out.cells) {
    delete cell.metadata.trusted;
    for (const output of cell.outputs ?? []) delete output.transient;
  }
  out.nbformat_minor = 5;
  return out;
};

const cellIdPattern = /^[a-zA-Z0-9-_]{1,64}$/;

/**
 * Asserts that `exported` is `original` without loss, once both are
 * normalised as nbformat does. For inputs older than 4.5, ids are compared
 * ignoring their random values, but must be present, unique and valid.
 */
export const expectLossless = (exported: Json, original: Json): void => {
  const expected = normaliseAsNbformat(original);
  const actual = rejoinLines(exported);
  expect(actual.cells.length).toBe(expected.cells.length);
  const ids = actual.cells.map((c: Json) => c.id);
  for (const id of ids) expect(id).toMatch(cellIdPattern);
  expect(new Set(ids).size).toBe(ids.length);
  if (original.nbformat_minor < 5) {
    expected.cells.forEach((c: Json, i: number) => {
      c.id = ids[i];
    });
  }
  expect(actual).toStrictEqual(expected);
};

// --- The official nbformat schemas and validator (Debian's python3-nbformat) --

// ajv-draft-04 is CommonJS: its class is both the module and its `default`.
const Ajv = ajvDraft04.default;

export const python = '/usr/bin/python3';
const schemaDir = '/usr/lib/python3/dist-packages/nbformat/v4';

/** Returns an ajv validator for the official nbformat v4.`minor` JSON schema (draft-04). */
export const nbformatSchema = (minor = 5): ValidateFunction => {
  const file = join(schemaDir, `nbformat.v4.${minor}.schema.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} is missing: install python3-nbformat (npm run provision does it as root)`);
  }
  // strict: false because the official schema has annotations ajv does not know ("item", "source_hidden").
  return new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(text));
};

/** Returns the validator's errors as one readable string. */
export const schemaErrors = (validate: ValidateFunction): string =>
  (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');

/**
 * Writes each text to a temporary file and runs the official nbformat
 * validator on all of them in one Python process; returns its exit status and
 * output. `script` receives the file paths in sys.argv[1:].
 */
export const runPython = (
  texts: string[],
  script = 'import nbformat,sys; [nbformat.validate(nbformat.read(p, as_version=4)) for p in sys.argv[1:]]',
): { status: number | null; output: string; files: string[] } => {
  const dir = mkdtempSync(join(tmpdir(), 'candyce-ipynb-'));
  try {
    const files = texts.map((text, i) => {
      const file = join(dir, `notebook-${i}.ipynb`);
      writeFileSync(file, text);
      return file;
    });
    const run = spawnSync(python, ['-c', script, ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (run.error) {
      throw new Error(
        `${python} did not run (${run.error.message}): install python3-nbformat (npm run provision)`,
      );
    }
    return { status: run.status, output: `${run.stdout}${run.stderr}`, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
