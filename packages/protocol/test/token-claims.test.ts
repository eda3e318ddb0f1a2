import { describe, expect, it } from 'vitest';
import { mintProblem, readTokenClaims } from '../src/index.js';

const good = { sub: 'u1', name: 'Ada', role: 'student', rooms: ['act-a-b'], exp: 2_000_000_000 };

describe('token claims', () => {
  it('reads the claims of a payload, with the optional ones of the right type only', () => {
    expect(readTokenClaims({ ...good, iat: 1, act: 'a', copy: 'b', gen: 2, extra: 'x' })).toEqual({
      claims: { ...good, iat: 1, act: 'a', copy: 'b', gen: 2 },
    });
    expect(readTokenClaims({ ...good, act: 3, copy: null, gen: 1.5, iat: 'now' })).toEqual({ claims: good });
  });

  it('names the first missing or wrong claim', () => {
    const cases: [unknown, RegExp][] = [
      [null, /no claims/],
      ['token', /no claims/],
      [{ ...good, exp: '2030' }, /no exp/],
      [{ ...good, sub: '' }, /no sub/],
      [{ ...good, name: 7 }, /no name/],
      [{ ...good, role: 'admin' }, /role must be/],
      [{ ...good, rooms: 'act-*' }, /rooms must be an array/],
      [{ ...good, rooms: ['a', 1] }, /rooms must be an array/],
    ];
    for (const [payload, problem] of cases) {
      const read = readTokenClaims(payload);
      expect('problem' in read && read.problem, JSON.stringify(payload)).toMatch(problem);
    }
  });

  it('refuses to mint a token without a sub, with an unknown role, or opening every room', () => {
    expect(mintProblem({ sub: 'u', role: 'teacher', rooms: ['act-a*'] })).toBeNull();
    expect(mintProblem({ sub: '', role: 'teacher', rooms: ['r'] })).toMatch(/sub/);
    expect(mintProblem({ sub: 'u', role: 'root', rooms: ['r'] })).toMatch(/Role "root"/);
    for (const rooms of [[], ['*'], [''], [3]])
      expect(mintProblem({ sub: 'u', role: 'viewer', rooms })).toMatch(/Rooms/);
  });
});
