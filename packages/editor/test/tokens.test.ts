import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { themeTokens } from '../src/styles/tokens.js';

// Colours live in the tokens file only, so that every theme reaches every view.

const src = join(import.meta.dirname, '../src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
const rawColour = /#[0-9a-fA-F]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\(/;
// Not theme colours: people's presence colours (white text on each), and the
// 256-colour and true-colour codes a program prints (ansi.ts turns them into rgb()).
const allowed = new Set(['styles/tokens.ts', 'presence/identity.ts', 'render/ansi.ts']);

describe('design tokens', () => {
  it('has no raw colour outside the tokens file', () => {
    const offending = files(src)
      .map((f) => f.slice(src.length + 1))
      .filter((f) => !allowed.has(f))
      .flatMap((f) =>
        readFileSync(join(src, f), 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${f}:${i + 1}` }))
          .filter(({ line }) => rawColour.test(line) && !/^\s*(\/\/|\*)/.test(line)),
      )
      .map(({ at, line }) => `${at}: ${line.trim()}`);
    expect(offending).toEqual([]);
  });

  it('defines the dark theme under the media query and the theme attribute, the light one winning on theme="light"', () => {
    const text = themeTokens.cssText.replace(/\s+/g, ' ');
    expect(text).toMatch(
      /@media \(prefers-color-scheme: dark\) \{ :host\(:not\(\[theme='light'\]\)\) \{ --_accent/,
    );
    expect(text).toMatch(/:host\(\[theme='dark'\]\) \{ --_accent/);
    expect(text).toMatch(/@media \(prefers-contrast: more\)/);
    // Every token the dark theme sets exists in the light one.
    const names = (block: string) => new Set(block.match(/--_[a-z-]+(?=:)/g));
    const [light, dark] = text.split('@media (prefers-color-scheme: dark)');
    for (const name of names(dark ?? '')) expect(names(light ?? '').has(name), name).toBe(true);
  });
});
