// The Python of the Pyodide kernel lives in real .py files (python/), which
// scripts/embed-python.mjs embeds in src/pyodide-python.ts for the worker.
// The embedded copy must be fresh, and every file must be Python that
// CPython compiles.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pythonModules } from '../src/pyodide-python.js';

const folder = new URL('../python/', import.meta.url);
const files = readdirSync(folder)
  .filter((name) => name.endsWith('.py'))
  .sort();

describe('the Python sources of the Pyodide kernel', () => {
  it('are embedded as they are on disk, all of them and nothing else', () => {
    // Stale after an edit of python/*.py without `npm run embed-python -w @candyce/kernels`.
    expect(Object.keys(pythonModules).sort()).toEqual(files);
    for (const name of files)
      expect(pythonModules[name], name).toBe(readFileSync(new URL(name, folder), 'utf8'));
    expect(files).toEqual(expect.arrayContaining(['_candyce.py', '_candyce_matplotlib.py']));
  });

  it('compile with CPython', () => {
    // compile() only: nothing is imported (the modules need Pyodide) and no .pyc is written.
    const check =
      'import sys\nfor path in sys.argv[1:]:\n    compile(open(path, encoding="utf-8").read(), path, "exec")';
    const paths = files.map((name) => fileURLToPath(new URL(name, folder)));
    const run = spawnSync('/usr/bin/python3', ['-c', check, ...paths], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
