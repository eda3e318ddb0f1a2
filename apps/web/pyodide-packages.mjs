// The packages of a full Pyodide distribution, installed by `npm run
// pyodide:install` into apps/web/pyodide-packages/, served with the core at
// /pyodide/<version>/: the worker loads what a cell imports from there. Without one,
// the lock file served lists only the packages whose files are served (none
// from the npm core), so that `import numpy` fails at once with the kernel's
// advice instead of a request for a file that is not there.

import { existsSync } from 'node:fs';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Adds the installed distribution to `served` (the core's folder), or trims the core's lock file; returns the package count. */
export async function addPyodidePackages(served, installed = join(here, 'pyodide-packages')) {
  if (existsSync(join(installed, 'pyodide-lock.json'))) {
    for (const file of await readdir(installed)) await copyFile(join(installed, file), join(served, file));
    return Object.keys(JSON.parse(await readFile(join(installed, 'pyodide-lock.json'), 'utf8')).packages)
      .length;
  }
  const lock = JSON.parse(await readFile(join(served, 'pyodide-lock.json'), 'utf8'));
  const present = new Set(await readdir(served));
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).filter(([, entry]) => present.has(entry.file_name)),
  );
  await writeFile(join(served, 'pyodide-lock.json'), JSON.stringify(lock));
  return Object.keys(lock.packages).length;
}
