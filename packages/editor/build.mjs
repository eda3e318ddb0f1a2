// Bundles the editor into one ES module that a page loads with a script tag
// (dist-bundle/candyce-editor.js), plus chunks fetched only when needed
// (KaTeX when a notebook shows math). Prints raw and gzip sizes, and fails
// when the JavaScript loaded at start exceeds the budget.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, 'dist-bundle');
const budgetGzip = 300 * 1024;

/** Bundles `entry` into `outdir` as `name.js` and returns the sizes of what loads at start and later. */
export async function bundle({ entry, outdir, name, quiet = false, hashed = false }) {
  await rm(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { [name]: entry },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    conditions: ['source'],
    chunkNames: 'chunks/[name]-[hash]',
    entryNames: hashed ? '[name]-[hash]' : '[name]',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  const outputs = result.metafile.outputs;
  // Dynamic imports are entry points of their own in the metafile: find ours by its source path.
  const entryFile = Object.keys(outputs).find(
    (f) => f.endsWith('.js') && outputs[f].entryPoint && resolve(outputs[f].entryPoint) === resolve(entry),
  );
  // What loads at start: the entry and every chunk it imports statically, transitively.
  const initial = new Set();
  const visit = (file) => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const imp of outputs[file].imports) if (imp.kind === 'import-statement') visit(imp.path);
  };
  visit(entryFile);
  const rows = Object.keys(outputs)
    .filter((f) => f.endsWith('.js'))
    .map((f) => {
      const bytes = readFileSync(f);
      return {
        file: basename(f),
        path: relative(outdir, f).split(sep).join('/'),
        initial: initial.has(f),
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
      };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.raw - a.raw);
  const sum = (list, key) => list.reduce((n, r) => n + r[key], 0);
  const start = rows.filter((r) => r.initial);
  const lazy = rows.filter((r) => !r.initial);
  const sizes = {
    initialRaw: sum(start, 'raw'),
    initialGzip: sum(start, 'gzip'),
    lazyRaw: sum(lazy, 'raw'),
    lazyGzip: sum(lazy, 'gzip'),
    files: rows,
  };
  if (!quiet) {
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`${name}: ${outdir}`);
    for (const r of rows)
      console.log(
        `  ${r.initial ? 'start' : 'lazy '}  ${r.file.padEnd(40)} ${kb(r.raw).padStart(10)} raw ${kb(r.gzip).padStart(10)} gzip`,
      );
    console.log(
      `  loaded at start: ${kb(sizes.initialRaw)} raw, ${kb(sizes.initialGzip)} gzip (budget ${kb(budgetGzip)} gzip)`,
    );
    console.log(`  loaded on demand: ${kb(sizes.lazyRaw)} raw, ${kb(sizes.lazyGzip)} gzip`);
  }
  if (sizes.initialGzip > budgetGzip) {
    throw new Error(
      `Initial JavaScript is ${sizes.initialGzip} bytes gzipped, over the budget of ${budgetGzip}`,
    );
  }
  return sizes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundle({ entry: join(here, 'src/index.ts'), outdir, name: 'candyce-editor' });
}
