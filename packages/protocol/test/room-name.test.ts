import { describe, expect, it } from 'vitest';
import { isLang, isRole, langFrom, maxRoomNameLength, roomNameProblem } from '../src/index.js';

describe('room names', () => {
  it('accepts letters, digits, "_", "." and "-", not starting with "." or "-"', () => {
    for (const name of [
      'maths-2nde_A.1',
      'a',
      '_x',
      '4e-maths_2025',
      'act-abc123-x',
      'x'.repeat(maxRoomNameLength),
    ])
      expect(roomNameProblem(name), name).toBeNull();
  });

  it('refuses accented letters, separators, spaces and over-long names, saying why', () => {
    for (const name of [
      'café',
      'élève',
      'a/b',
      'a b',
      'a!b',
      '.hidden',
      '-x',
      '',
      'x'.repeat(maxRoomNameLength + 1),
      'a%20b',
    ])
      expect(roomNameProblem(name), name).toMatch(/Room name/);
    expect(roomNameProblem('café')).toMatch(/letters, digits/);
  });
});

describe('roles and languages', () => {
  it('knows the three roles and the two languages, and nothing else', () => {
    expect(['teacher', 'student', 'viewer'].every(isRole)).toBe(true);
    expect(isRole('admin')).toBe(false);
    expect(isRole(undefined)).toBe(false);
    expect(isLang('fr') && isLang('en')).toBe(true);
    expect(isLang('de')).toBe(false);
    expect(langFrom('en')).toBe('en');
    expect(langFrom('xx')).toBe('fr');
    expect(langFrom(null, 'en')).toBe('en');
  });
});
