import type { TokenClaims } from '@candyce/protocol';
import { SignJWT } from 'jose';
import { copyRoom, templateRoom } from './ids.js';

// Tokens the classroom mints, signed with the server's effective secret
// (CANDYCE_SECRET, or the open-mode secret kept in the data directory).

/** Lifetime of every token the classroom mints: a school year and a half. */
export const tokenLifetimeSeconds = 180 * 24 * 3600;

/** Signs tokens with one secret. */
export interface TokenMinter {
  /** A teacher's token for one activity (its template and every copy), of generation `gen`. */
  teacher(activity: string, sub: string, name: string, gen: number): Promise<string>;
  /** A pupil's token for one copy. */
  pupil(activity: string, copy: string, sub: string, name: string): Promise<string>;
  /** A demonstration viewer's token: the template, read-only. */
  viewer(activity: string, sub: string, name: string): Promise<string>;
}

/** Returns a minter of HS256 tokens signed with `secret`, living `lifetimeSeconds`. */
export const createMinter = (secret: string, lifetimeSeconds = tokenLifetimeSeconds): TokenMinter => {
  const key = new TextEncoder().encode(secret);
  // The claims of @candyce/protocol's TokenClaims; `sub`, `iat` and `exp` are set here.
  const sign = (claims: Omit<TokenClaims, 'sub' | 'exp' | 'iat'>, sub: string): Promise<string> =>
    new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
      .sign(key);
  return {
    teacher: (activity, sub, name, gen) =>
      sign({ name, role: 'teacher', rooms: [`${templateRoom(activity)}*`], act: activity, gen }, sub),
    pupil: (activity, copy, sub, name) =>
      sign({ name, role: 'student', rooms: [copyRoom(activity, copy)], act: activity, copy }, sub),
    viewer: (activity, sub, name) =>
      sign({ name, role: 'viewer', rooms: [templateRoom(activity)], act: activity }, sub),
  };
};
