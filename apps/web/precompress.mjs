// Writes `<file>.br` and `<file>.gz` next to each file of the built web app
// worth compressing, for the server to send as they are (it never compresses
// on the fly). Compressed copies are kept in a cache folder by the hash of
// their content: Pyodide's files (brotli at its best level takes half a
// minute for the wasm) and an unchanged app are compressed once, not at
// every build (each end-to-end test file builds the app).
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const compressible = new Set(['.js', '.mjs', '.css', '.html', '.wasm', '.json', '.svg', '.zip', '.txt']);

// A compressed copy that saves less than this is not worth a second file
// (python_stdlib.zip is already deflated).
const minSaving = 0.05;

// The cache keeps at most this many entries; the oldest go first.
const maxCacheEntries = 600;

/** Returns the brotli and gzip encodings of `bytes` that are worth keeping. */
async function encode(bytes) {
  const quality = bytes.length > 4 * 1024 * 1024 ? 9 : 11;
  const [br, gz] = await Promise.all([
    brotli(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gzip(bytes, { level: 9 }),
  ]);
  const worth = (c) => c.length <= bytes.length * (1 - minSaving);
  return { br: worth(br) ? br : null, gz: worth(gz) ? gz : null };
}

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

async function writeAtomic(path, data) {
  const aside = `${path}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  await writeFile(aside, data);
  await rename(aside, path);
}

async function fromCache(base) {
  try {
    const { br, gz } = JSON.parse(await readFile(`${base}.json`, 'utf8'));
    const sizeOf = async (ext) => ({ length: (await stat(`${base}${ext}`)).size });
    return { br: br ? await sizeOf('.br') : null, gz: gz ? await sizeOf('.gz') : null };
  } catch {
    return null;
  }
}

async function pruneCache(cacheDir) {
  const entries = [];
  for (const name of await readdir(cacheDir).catch(() => [])) {
    if (!name.endsWith('.json')) continue;
    const s = await stat(join(cacheDir, name)).catch(() => null);
    if (s) entries.push({ base: join(cacheDir, name.slice(0, -'.json'.length)), time: s.mtimeMs });
  }
  if (entries.length <= maxCacheEntries) return;
  entries.sort((a, b) => a.time - b.time);
  for (const { base } of entries.slice(0, entries.length - maxCacheEntries)) {
    for (const ext of ['.json', '.br', '.gz']) await rm(`${base}${ext}`, { force: true });
  }
}

/**
 * Precompresses every compressible file under `dist`, through `cacheDir`
 * when given. Returns the raw, brotli and gzip byte counts (a file without a
 * worthwhile encoding counts as its raw size).
 */
export async function precompress(dist, { cacheDir } = {}) {
  const totals = { raw: 0, br: 0, gz: 0 };
  if (cacheDir) await mkdir(cacheDir, { recursive: true });
  for await (const file of walk(dist)) {
    if (!compressible.has(extname(file))) continue;
    const bytes = await readFile(file);
    let result;
    if (cacheDir) {
      const base = join(cacheDir, createHash('sha256').update(bytes).digest('hex').slice(0, 32));
      result = await fromCache(base);
      if (!result) {
        result = await encode(bytes);
        // Written aside and renamed: builds running at once (e2e tests) never read half a file.
        if (result.br) await writeAtomic(`${base}.br`, result.br);
        if (result.gz) await writeAtomic(`${base}.gz`, result.gz);
        await writeAtomic(`${base}.json`, JSON.stringify({ br: result.br !== null, gz: result.gz !== null }));
      } else {
        // Used again: the newest entries are kept.
        const now = new Date();
        await utimes(`${base}.json`, now, now).catch(() => undefined);
      }
      if (result.br) await copyFile(`${base}.br`, `${file}.br`);
      if (result.gz) await copyFile(`${base}.gz`, `${file}.gz`);
    } else {
      result = await encode(bytes);
      if (result.br) await writeFile(`${file}.br`, result.br);
      if (result.gz) await writeFile(`${file}.gz`, result.gz);
    }
    totals.raw += bytes.length;
    totals.br += result.br ? result.br.length : bytes.length;
    totals.gz += result.gz ? result.gz.length : bytes.length;
  }
  if (cacheDir) await pruneCache(cacheDir);
  return totals;
}
