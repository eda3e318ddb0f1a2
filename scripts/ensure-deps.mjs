#!/usr/bin/env node
// Installs the npm dependencies when they are missing or stale, so that
// `npm start` and `npm test` work on a fresh clone with no third command.
// "Stale" means the lock file (or the Node.js ABI, for the native LevelDB
// binding) changed since the last install this script made: it records a hash
// of both in node_modules after a successful `npm ci`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lockFile = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.candyce-installed');
// A few files whose absence means a broken or partial install, whatever the stamp says.
const mustExist = ['typescript/bin/tsc', 'vitest/package.json', 'classic-level/package.json'];

const wanted = createHash('sha256')
  .update(readFileSync(lockFile))
  .update(`node-abi:${process.versions.modules}`)
  .digest('hex');
const have = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
const complete = mustExist.every((file) => existsSync(join(root, 'node_modules', file)));

if (have === wanted && complete) process.exit(0);

const why = !existsSync(join(root, 'node_modules'))
  ? 'no dependencies installed yet'
  : !complete
    ? 'the installed dependencies are incomplete'
    : have === ''
      ? 'the installed dependencies are of unknown age'
      : 'the dependencies are stale (package-lock.json or Node.js changed)';
console.log(`ensure-deps: ${why}, running npm ci`);
const npm = process.env.npm_execpath
  ? [process.execPath, [process.env.npm_execpath]]
  : [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
const result = spawnSync(npm[0], [...npm[1], 'ci', '--no-audit', '--no-fund'], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error('ensure-deps: npm ci failed; see the messages above (is the npm registry reachable?)');
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, `${wanted}\n`);
