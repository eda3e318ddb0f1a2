// npm run pyodide:install: a distribution that the test builds (a lock file
// with the core's ABI and one pure-Python wheel in Pyodide's format) is
// installed offline, then `import` loads the package from the installed
// folder in a Node worker. What is not a distribution is refused, and the
// installed folder stays as it was.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodePyodideGateway, pyodideDirectory } from '../src/node.js';
import { runCode } from './helpers/notebook.js';

const script = fileURLToPath(new URL('../../../scripts/pyodide-install.mjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'candyce-install-test-'));
const wheelName = 'candyce_demo-1.0-py3-none-any.whl';

// A wheel with one module, written by Python's zipfile (a wheel is a zip).
const buildWheel = (path: string) => {
  const make = spawnSync(
    'python3',
    [
      '-c',
      `import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('candyce_demo/__init__.py', 'def greet():\\n    return "bonjour depuis le serveur"\\n')
    z.writestr('candyce_demo-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: candyce-demo\\nVersion: 1.0\\n')
    z.writestr('candyce_demo-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
    z.writestr('candyce_demo-1.0.dist-info/RECORD', '')
`,
      path,
    ],
    { encoding: 'utf8' },
  );
  if (make.status !== 0) throw new Error(make.stderr);
};

/** Builds a distribution in `dir`: the core's lock info, one package; `change` may spoil it. */
const buildDistribution = (
  dir: string,
  change: (lock: { info: Record<string, unknown> }) => void = () => {},
) => {
  mkdirSync(dir, { recursive: true });
  buildWheel(join(dir, wheelName));
  const core = JSON.parse(readFileSync(join(pyodideDirectory(), 'pyodide-lock.json'), 'utf8'));
  const lock = {
    info: core.info,
    packages: {
      'candyce-demo': {
        name: 'candyce-demo',
        version: '1.0',
        file_name: wheelName,
        install_dir: 'site',
        sha256: createHash('sha256')
          .update(readFileSync(join(dir, wheelName)))
          .digest('hex'),
        package_type: 'package',
        imports: ['candyce_demo'],
        depends: [],
        unvendored_tests: false,
      },
    },
  };
  change(lock);
  writeFileSync(join(dir, 'pyodide-lock.json'), JSON.stringify(lock));
};

const install = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run pyodide:install', () => {
  const target = join(work, 'served');

  beforeAll(() => {
    const dist = join(work, 'pyodide');
    buildDistribution(dist);
    // An archive as released: pyodide/ inside a .tar.bz2.
    const tar = spawnSync('tar', ['-cjf', join(work, 'pyodide-test.tar.bz2'), '-C', work, 'pyodide']);
    expect(tar.status).toBe(0);
  });

  it('installs a distribution from its archive, and then import loads its package from there', async () => {
    const run = install(join(work, 'pyodide-test.tar.bz2'), '--target', target);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/1 packages installed/);
    expect(readdirSync(target).sort()).toEqual([wheelName, 'pyodide-lock.json']);
    const session = await nodePyodideGateway({
      packageIndexURL: `${target}/`,
    }).startKernel();
    try {
      const started = performance.now();
      const { result, outputs } = await runCode(session, 'import candyce_demo\nprint(candyce_demo.greet())');
      console.log(
        `import of a package from the installed distribution: ${Math.round(performance.now() - started)} ms`,
      );
      expect(result.status).toBe('ok');
      expect(
        outputs
          .filter((o) => o.output_type === 'stream')
          .map((o) => (o.output_type === 'stream' ? o.text : ''))
          .join(''),
      ).toContain('bonjour depuis le serveur\n');
    } finally {
      await session.shutdown();
    }
  }, 60_000);

  const refusals: [string, (dir: string) => void, RegExp][] = [
    [
      'a folder without a lock file',
      (dir) => mkdirSync(dir, { recursive: true }),
      /has no pyodide-lock\.json/,
    ],
    [
      'a lock file that is not JSON',
      (dir) => {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'pyodide-lock.json'), '<html>');
      },
      /not JSON/,
    ],
    [
      'a distribution for another Pyodide',
      (dir) =>
        buildDistribution(dir, (lock) => {
          lock.info.abi_version = '1999_0';
        }),
      /built for abi_version 1999_0/,
    ],
    [
      'a wheel that does not match its sha256',
      (dir) => {
        buildDistribution(dir);
        writeFileSync(join(dir, wheelName), 'not the wheel');
      },
      /does not match the sha256/,
    ],
  ];
  for (const [name, make, message] of refusals) {
    it(`refuses ${name}, says why and changes nothing`, () => {
      const before = readdirSync(target).sort();
      const dir = join(work, name.replace(/\W+/g, '-'));
      make(dir);
      const run = install(dir, '--target', target);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/Nothing was changed/);
      expect(readdirSync(target).sort()).toEqual(before);
      expect(existsSync(join(target, 'pyodide-lock.json'))).toBe(true);
    });
  }

  it('refuses a file that is not an archive', () => {
    writeFileSync(join(work, 'page.tar.bz2'), '<!doctype html>');
    const run = install(join(work, 'page.tar.bz2'), '--target', target);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/not an archive tar can read/);
  });
});
