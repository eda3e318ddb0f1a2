// Builds the classroom web app into dist/: index.html (home and notebook
// pages, routed in the browser), assets/app-<hash>.js with its lazy chunks,
// and assets/app.css. The editor is bundled from its sources.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bundle } from '../../packages/editor/build.mjs';
import { precompress } from './precompress.mjs';
import { addPyodidePackages } from './pyodide-packages.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// What the in-browser Python kernel needs, served next to the app so that the
// server only has to serve this folder: Pyodide's runtime (fetched on the
// first run of a cell, never before) and the kernel's module worker.
// Pyodide goes under /pyodide/<version>/: a new version is a new path, so
// its files can be cached for good (HTTP and service worker).
const pyodideFiles = [
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
];

async function addPyodide(dist) {
  const from = dirname(
    require.resolve('pyodide/package.json', { paths: [join(here, '../../packages/kernels')] }),
  );
  const { version } = JSON.parse(await readFile(join(from, 'package.json'), 'utf8'));
  if (!/^[\w.+-]+$/.test(version)) throw new Error(`Unexpected pyodide version ${version}`);
  // A distribution installed by `npm run pyodide:install` changes what the lock file lists: it gets
  // a path of its own, since browsers keep the old path's lock file for good.
  const installedLock = join(here, 'pyodide-packages', 'pyodide-lock.json');
  const tag = existsSync(installedLock)
    ? `${version}-${createHash('sha256')
        .update(await readFile(installedLock))
        .digest('hex')
        .slice(0, 8)}`
    : version;
  const dir = join(dist, 'pyodide', tag);
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  for (const file of pyodideFiles) {
    await copyFile(join(from, file), join(dir, file));
    bytes += (await stat(join(dir, file))).size;
  }
  // Packages a cell imports load from the same folder, and the service worker keeps them with it.
  await addPyodidePackages(dir);
  await esbuild.build({
    entryPoints: [join(here, '../../packages/kernels/src/pyodide-worker.ts')],
    outfile: join(dist, 'kernels/pyodide-worker.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    conditions: ['source'],
    logLevel: 'warning',
  });
  return { version: tag, index: `/pyodide/${tag}/`, bytes };
}

// The SQL kernel of the browser (notebooks whose kernelspec is `sql`): the
// worker sql.js ships and its wasm, fetched on the first run of an SQL cell.
async function addSqlJs(dist) {
  const from = dirname(
    require.resolve('sql.js/dist/worker.sql-wasm.js', { paths: [join(here, '../../packages/kernels')] }),
  );
  await mkdir(join(dist, 'sqljs'), { recursive: true });
  for (const file of ['worker.sql-wasm.js', 'sql-wasm.wasm'])
    await copyFile(join(from, file), join(dist, 'sqljs', file));
}

/**
 * Builds the service worker at the root of `dist` (its scope is the whole
 * app) with the list of the shell's files to keep, so that a notebook opens
 * with no network. The version changes with that list. Pyodide is not in the
 * list (a reader who never runs a cell never downloads it): the worker keeps
 * its files when they are first fetched, by version.
 */
async function addServiceWorker(dist, pyodide) {
  const files = [];
  const walk = async (dir, prefix) => {
    for (const entry of await readdir(join(dist, dir), { withFileTypes: true })) {
      const path = `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(join(dir, entry.name), path);
      else if (!entry.name.endsWith('.map') && !entry.name.endsWith('.txt')) files.push(path);
    }
  };
  await walk('assets', '/assets');
  await walk('kernels', '/kernels');
  files.sort();
  const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
  await esbuild.build({
    entryPoints: [join(here, 'src/sw.ts')],
    outfile: join(dist, 'sw.js'),
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    logLevel: 'warning',
    // The list and version are constants of the worker, set here at build time.
    define: {
      __CANDYCE_PRECACHE__: JSON.stringify(files),
      __CANDYCE_VERSION__: JSON.stringify(version),
      __CANDYCE_PYODIDE__: JSON.stringify(pyodide.index),
    },
  });
}

// The Capytale player page (/embed/player.html), built on its own: a host
// platform puts it in an iframe (see docs/EMBEDDING.md). Its sources are
// src/player.html and src/player/.
async function addPlayer(dist, quiet, pyodideMeta) {
  const assets = join(dist, 'embed/assets');
  const sizes = await bundle({
    entry: join(here, 'src/player/main.ts'),
    outdir: assets,
    name: 'player',
    hashed: true,
    quiet: true,
  });
  const entry = sizes.files.find((f) => f.initial && f.file.startsWith('player'))?.file;
  if (!entry) throw new Error('The player bundle has no entry file');
  await copyFile(join(here, 'src/player/player.css'), join(assets, 'player.css'));
  const page = (await readFile(join(here, 'src/player.html'), 'utf8'))
    .replace('%PLAYER%', entry)
    .replace('%PYODIDE%', pyodideMeta);
  await writeFile(join(dist, 'embed/player.html'), page);
  if (!quiet) console.log(`player: ${dist}/embed/player.html (embed/assets/${entry})`);
}

// Where the page's notebooks load Python from, and how many bytes that is
// (the editor shows the download's progress against it).
const pyodideMetaOf = (pyodide) =>
  `<meta name="candyce-pyodide" content="${pyodide.index}" data-bytes="${pyodide.bytes}" />`;

const cssName = async (file, name) => {
  const hash = createHash('sha256')
    .update(await readFile(file))
    .digest('hex')
    .slice(0, 8)
    .toUpperCase();
  return `${name}-${hash}.css`;
};

/**
 * Builds the web app into `dist` and returns the bundle sizes, the raw,
 * brotli and gzip bytes of the precompressed files, and where Pyodide is.
 */
export async function buildWebApp(dist = join(here, 'dist'), { quiet = false } = {}) {
  await rm(dist, { recursive: true, force: true });
  const assets = join(dist, 'assets');
  const sizes = await bundle({
    entry: join(here, 'src/main.ts'),
    outdir: assets,
    name: 'app',
    hashed: true,
    quiet,
  });
  await mkdir(assets, { recursive: true });
  // Hashed like the scripts: /assets/ is cached for a year.
  const css = await cssName(join(here, 'src/app.css'), 'app');
  await copyFile(join(here, 'src/app.css'), join(assets, css));
  const entry = sizes.files.find((f) => f.initial && f.file.startsWith('app'))?.file;
  if (!entry) throw new Error('The web app bundle has no entry file');
  const pyodide = await addPyodide(dist);
  // The chunks the entry imports are fetched with it, not one round trip after it.
  const preload = sizes.files
    .filter((f) => f.initial && f.file !== entry)
    .map((f) => `<link rel="modulepreload" href="/assets/${f.path}" />`)
    .join('\n    ');
  const page = (await readFile(join(here, 'src/index.html'), 'utf8'))
    .replace('%APP%', entry)
    .replace('%PRELOAD%', preload)
    .replace('%CSS%', css)
    .replace('%PYODIDE%', pyodideMetaOf(pyodide));
  await writeFile(join(dist, 'index.html'), page);
  await addPlayer(dist, quiet, pyodideMetaOf(pyodide));
  await addSqlJs(dist);
  await addServiceWorker(dist, pyodide);
  const compressed = await precompress(dist, {
    cacheDir: join(here, '../../node_modules/.cache/candyce-precompressed'),
  });
  if (!quiet) {
    const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
    console.log(`web app: ${dist} (index.html, assets/${entry}, pyodide ${pyodide.version})`);
    console.log(
      `  precompressed: ${mb(compressed.raw)} raw, ${mb(compressed.br)} brotli, ${mb(compressed.gz)} gzip`,
    );
  }
  return { ...sizes, compressed, pyodide: { index: pyodide.index, bytes: pyodide.bytes } };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildWebApp();
