// Writes `<file>.br` and `<file>.gz` next to each file of the built web app
// worth compressing, for the server to send as they are (it never compresses
// on the fly). Pyodide's files are the same for a given version: their
// compressed copies are kept in node_modules/.cache and reused by the next
// build (brotli at its best level takes half a minute for the wasm).
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const compressible = new Set(['.js', '.mjs', '.css', '.html', '.wasm', '.json', '.svg', '.zip', '.txt']);

// A compressed copy that saves less than this is not worth a second file
// (python_stdlib.zip is already deflated).
const minSaving = 0.05;

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

/**
 * Precompresses every compressible file under `dist`; files under
 * `cached` (a folder of dist whose content is fixed by `cacheKey`) go
 * through `cacheDir`. Returns the raw and compressed byte counts.
 */
export async function precompress(dist, { cached, cacheKey, cacheDir } = {}) {
  const totals = { raw: 0, br: 0, gz: 0 };
  for await (const file of walk(dist)) {
    if (!compressible.has(extname(file))) continue;
    const bytes = await readFile(file);
    let result;
    if (cached && cacheDir && file.startsWith(cached)) {
      const key = createHash('sha256').update(`${cacheKey}\n${file.slice(cached.length)}\n${bytes.length}`);
      const base = join(cacheDir, key.digest('hex').slice(0, 24));
      result = await fromCache(base);
      if (!result) {
        result = await encode(bytes);
        await mkdir(cacheDir, { recursive: true });
        // Written aside and renamed: builds running at once (e2e tests) never read half a file.
        if (result.br) await writeAtomic(`${base}.br`, result.br);
        if (result.gz) await writeAtomic(`${base}.gz`, result.gz);
        await writeAtomic(`${base}.json`, JSON.stringify({ br: result.br !== null, gz: result.gz !== null }));
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
  return totals;
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

async function writeAtomic(path, data) {
  const aside = `${path}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  await writeFile(aside, data);
  await rename(aside, path);
}
