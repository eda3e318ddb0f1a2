import { isRole, type Role } from './roles.js';

// The claims of a Candyce token (an HS256 JWT signed with the server's
// secret), as host platforms mint them and the server reads them. Signing
// and verifying stay where the secret is (jose, on servers); this module
// only says what a token holds.

/** What a token says about its holder. */
export interface TokenClaims {
  /** A pseudonymous, stable user id: not an e-mail, not a name. */
  readonly sub: string;
  /** The name shown to the others in the notebook. */
  readonly name: string;
  readonly role: Role;
  /** The rooms it opens; a name ending in `*` opens every room it prefixes. */
  readonly rooms: readonly string[];
  /** Expiry, in seconds since the epoch. */
  readonly exp: number;
  /** Issue time, in seconds since the epoch, when the minter said it. */
  readonly iat?: number;
  /** Classroom activity id, for tokens of an activity. */
  readonly act?: string;
  /** Classroom copy id, for a pupil's token. */
  readonly copy?: string;
  /** Generation of a classroom teacher's token (older ones are revoked). */
  readonly gen?: number;
}

/**
 * Reads the claims of a verified token's payload (untrusted JSON): the
 * claims, or the sentence saying which one is missing or wrong. Optional
 * claims of the wrong type are left out, not refused.
 */
export const readTokenClaims = (payload: unknown): { claims: TokenClaims } | { problem: string } => {
  if (typeof payload !== 'object' || payload === null) return { problem: 'token has no claims' };
  const { sub, name, role, rooms, exp, iat, act, copy, gen } = payload as Record<string, unknown>;
  if (typeof exp !== 'number') return { problem: 'token has no exp (expiry)' };
  if (typeof sub !== 'string' || sub === '') return { problem: 'token has no sub' };
  if (typeof name !== 'string') return { problem: 'token has no name' };
  if (!isRole(role)) return { problem: 'role must be teacher, student or viewer' };
  if (!Array.isArray(rooms) || !rooms.every((r) => typeof r === 'string'))
    return { problem: 'rooms must be an array of strings' };
  return {
    claims: {
      sub,
      name,
      role,
      rooms: rooms as string[],
      exp,
      ...(typeof iat === 'number' ? { iat } : {}),
      ...(typeof act === 'string' ? { act } : {}),
      ...(typeof copy === 'string' ? { copy } : {}),
      ...(typeof gen === 'number' && Number.isSafeInteger(gen) ? { gen } : {}),
    },
  };
};

/**
 * Why claims a host is about to sign would make a useless or dangerous
 * token (no sub, an unknown role, no room, a room `*` that opens every
 * room), or null. Minters call it so that a host's bug shows where the token
 * is made, not as a refusal in a pupil's page.
 */
export const mintProblem = (claims: {
  sub: string;
  role: string;
  rooms: readonly unknown[];
}): string | null => {
  if (!claims.sub) return 'The token needs a sub (a pseudonymous user id)';
  if (!isRole(claims.role)) return `Role ${JSON.stringify(claims.role)} is not teacher, student or viewer`;
  if (claims.rooms.length === 0 || claims.rooms.some((r) => typeof r !== 'string' || r === '' || r === '*'))
    return `Rooms ${JSON.stringify(claims.rooms)} must be room names or prefixes ending in * (never * alone)`;
  return null;
};
