#!/usr/bin/env node
// npm run pyodide:install -- <archive or folder of a full Pyodide distribution> [--target <folder>]
//
// Installs a full Pyodide distribution (the release archive pyodide-<version>.tar.bz2, or the
// folder it unpacks to) offline, next to the core that Candyce serves: its pyodide-lock.json and
// the package files it lists go to apps/web/pyodide-packages/ (or --target), which the web build
// copies into /pyodide/. `import numpy` in the browser then loads from this deployment.
// The distribution is checked first (a lock file, every package file present with its sha256,
// built for the same Pyodide ABI as the core); when it is not right, the command says why and
// changes nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

class Refusal extends Error {}
const fail = (message) => {
  throw new Refusal(message);
};
const refuse = (error) => {
  if (!(error instanceof Refusal)) throw error;
  console.error(`pyodide:install: ${error.message}`);
  console.error('Nothing was changed.');
  process.exitCode = 1;
};

async function main() {
  const args = process.argv.slice(2);
  let source;
  let target = join(root, 'apps/web/pyodide-packages');
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--target') target = resolve(args[++i] ?? fail('--target needs a folder'));
    else if (source === undefined) source = resolve(args[i]);
    else fail(`unexpected argument ${args[i]}`);
  }
  if (!source)
    fail(
      'give the archive or folder of a full Pyodide distribution, e.g. npm run pyodide:install -- pyodide-<version>.tar.bz2 (from https://github.com/pyodide/pyodide/releases, the same version as the pyodide npm package)',
    );
  if (!existsSync(source)) fail(`${source} does not exist`);

  // The folder holding pyodide-lock.json: the source itself, or one level down (archives hold pyodide/).
  const findLock = (dir) => {
    if (existsSync(join(dir, 'pyodide-lock.json'))) return dir;
    for (const entry of readdirSync(dir, { withFileTypes: true }))
      if (entry.isDirectory() && existsSync(join(dir, entry.name, 'pyodide-lock.json')))
        return join(dir, entry.name);
    return undefined;
  };

  const sha256 = (file) =>
    new Promise((ok, ko) => {
      const hash = createHash('sha256');
      createReadStream(file)
        .on('data', (chunk) => hash.update(chunk))
        .on('end', () => ok(hash.digest('hex')))
        .on('error', ko);
    });

  const scratch = mkdtempSync(join(tmpdir(), 'candyce-pyodide-'));
  try {
    let folder = source;
    if (statSync(source).isFile()) {
      const unpack = join(scratch, 'unpack');
      mkdirSync(unpack);
      // tar knows .tar.bz2, .tar.gz, .tar.xz and .tar by itself.
      const tar = spawnSync('tar', ['-xf', source, '-C', unpack], { encoding: 'utf8' });
      if (tar.status !== 0) fail(`${basename(source)} is not an archive tar can read: ${tar.stderr.trim()}`);
      folder = unpack;
    }
    const dist = findLock(folder);
    if (!dist) fail(`${basename(source)} is not a Pyodide distribution: it has no pyodide-lock.json`);
    let lock;
    try {
      lock = JSON.parse(readFileSync(join(dist, 'pyodide-lock.json'), 'utf8'));
    } catch (error) {
      fail(`its pyodide-lock.json is not JSON: ${error.message}`);
    }
    if (!lock || typeof lock.info !== 'object' || typeof lock.packages !== 'object' || lock.packages === null)
      fail('its pyodide-lock.json has no info and packages: it is not a Pyodide lock file');
    const require = createRequire(join(root, 'packages/kernels/package.json'));
    const coreDir = dirname(require.resolve('pyodide/package.json'));
    const core = JSON.parse(readFileSync(join(coreDir, 'pyodide-lock.json'), 'utf8')).info;
    for (const key of ['abi_version', 'python', 'platform'])
      if (core[key] !== undefined && lock.info[key] !== core[key])
        fail(
          `this distribution is built for ${key} ${lock.info[key]}, the core Candyce serves for ${core[key]} (pyodide ${JSON.parse(readFileSync(join(coreDir, 'package.json'), 'utf8')).version}): take the release of the same version`,
        );
    const files = [];
    for (const [name, entry] of Object.entries(lock.packages)) {
      const file = entry?.file_name;
      if (typeof file !== 'string' || file.includes('/') || file.includes('\\') || file.startsWith('.'))
        fail(`package ${name} has no usable file_name`);
      const path = join(dist, file);
      if (!existsSync(path)) fail(`package ${name}: ${file} is missing from the distribution`);
      if (typeof entry.sha256 === 'string' && (await sha256(path)) !== entry.sha256)
        fail(`package ${name}: ${file} does not match the sha256 of the lock file`);
      files.push(file);
    }
    // Copied beside the target, then swapped in: an interrupted install leaves the old one.
    const fresh = `${target}.new-${process.pid}`;
    rmSync(fresh, { recursive: true, force: true });
    mkdirSync(fresh, { recursive: true });
    for (const file of [...new Set(files)]) await copyFile(join(dist, file), join(fresh, file));
    await copyFile(join(dist, 'pyodide-lock.json'), join(fresh, 'pyodide-lock.json'));
    const old = `${target}.old-${process.pid}`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(fresh, target);
    rmSync(old, { recursive: true, force: true });
    console.log(
      `pyodide:install: ${files.length} packages installed in ${target}; run npm run build (or npm start) so that the server serves them at /pyodide/.`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main().catch(refuse);
