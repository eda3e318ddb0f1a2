import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelsBrowserFiles } from '../src/node.js';

const source = (file: string) =>
  readFileSync(new URL(`../src/${file.replace(/\.js$/, '.ts')}`, import.meta.url), 'utf8');

// Value imports (not `import type`), with their specifiers.
const importsOf = (text: string) =>
  [...text.matchAll(/^import\s+(?!type\s)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);

describe('the browser worker', () => {
  it('imports only the files served with it, which import nothing', () => {
    const [worker, ...others] = kernelsBrowserFiles;
    expect(worker).toBe('pyodide-worker.js');
    expect(importsOf(source(worker!)).sort()).toEqual(others.map((f) => `./${f}`).sort());
    for (const file of others) expect(importsOf(source(file)), file).toEqual([]);
  });
});
