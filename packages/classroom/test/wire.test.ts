// The browser imports `@candyce/classroom/wire` alone: it must stay free of
// imports (no Node API, no server part dragged into the page's bundle).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { copyStates, modes } from '../src/wire.js';

describe('the classroom wire types', () => {
  it('import nothing, so that a page can load them on their own', () => {
    const source = readFileSync(new URL('../src/wire.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*(import|export .* from)\b/m);
    expect(source).not.toMatch(/\brequire\(|\bimport\(/);
  });

  it('list the modes and copy states the server validates against', () => {
    expect(modes).toEqual(['individual', 'pairs', 'class', 'demo']);
    expect(copyStates).toEqual(['in-progress', 'handed-in', 'corrected']);
  });
});
