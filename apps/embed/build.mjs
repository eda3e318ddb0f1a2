// Builds the example host page into dist/public/: index.html (the host
// server fills in its configuration), assets/host-<hash>.js with a lazy
// chunk holding the editor (the direct <candyce-notebook> example), and
// assets/host.css. The compiled server (dist/*.js) comes from `tsc -b`.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../../packages/editor/build.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Builds the host page into `dir` (default dist/public) and returns the bundle sizes. */
export async function buildHostPage(dir = join(here, 'dist/public'), { quiet = false } = {}) {
  const assets = join(dir, 'assets');
  const sizes = await bundle({
    entry: join(here, 'src/page/host-page.ts'),
    outdir: assets,
    name: 'host',
    hashed: true,
    quiet: true,
  });
  const entry = sizes.files.find((f) => f.initial && f.file.startsWith('host'))?.file;
  if (!entry) throw new Error('The host page bundle has no entry file');
  await mkdir(dir, { recursive: true });
  await copyFile(join(here, 'src/page/host.css'), join(assets, 'host.css'));
  const page = (await readFile(join(here, 'src/page/index.html'), 'utf8')).replace('%HOST%', entry);
  await writeFile(join(dir, 'index.html'), page);
  if (!quiet) console.log(`example host page: ${dir} (index.html, assets/${entry})`);
  return sizes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildHostPage();
