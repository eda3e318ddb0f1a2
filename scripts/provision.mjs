#!/usr/bin/env node
// Makes sure the system packages that the test suite uses are on this machine.
// As root on Debian, missing ones are installed with apt-get; otherwise the
// script stops and says what to install. Each entry names why it is needed.
import { execFileSync, spawnSync } from 'node:child_process';

/** Debian packages the tests rely on, with a command that proves each is usable. */
const requirements = [
  {
    apt: 'python3-nbformat',
    why: 'exported notebooks are checked with the official nbformat validator',
    check: ['/usr/bin/python3', ['-c', 'import nbformat']],
  },
  {
    apt: 'jupyter-server',
    why: 'the jupyter kernel gateway is tested against a real Jupyter Server',
    check: ['/usr/bin/python3', ['-c', 'import jupyter_server']],
  },
  {
    apt: 'python3-ipykernel',
    why: 'the Jupyter Server runs a real Python kernel in the tests',
    check: ['/usr/bin/python3', ['-c', 'import ipykernel']],
  },
  {
    apt: 'chromium',
    why: 'end-to-end tests drive a real Chromium with playwright-core',
    check: ['/usr/bin/chromium', ['--version']],
  },
  {
    apt: 'fonts-dejavu-core',
    why: 'pages rendered in headless Chromium need a font with French accents',
    check: ['/bin/sh', ['-c', 'test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf']],
  },
];

const ok = (check) => spawnSync(check[0], check[1], { stdio: 'ignore' }).status === 0;

const missing = requirements.filter((r) => !ok(r.check));
if (missing.length === 0) process.exit(0);

const names = missing.map((r) => r.apt);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt || process.env.CANDYCE_NO_PROVISION) {
  console.error('The tests need these system packages, which are missing:');
  for (const r of missing) console.error(`  - ${r.apt}: ${r.why}`);
  console.error(`Install them, for example: sudo apt-get install -y ${names.join(' ')}`);
  process.exit(1);
}
console.log(`provision: installing ${names.join(', ')} with apt-get`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
  stdio: 'inherit',
  env,
});
const still = missing.filter((r) => !ok(r.check));
if (still.length > 0) {
  console.error(`provision: still unusable after install: ${still.map((r) => r.apt).join(', ')}`);
  process.exit(1);
}
