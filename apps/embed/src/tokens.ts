// Minting Candyce tokens, as a host platform does on its own server with the
// secret it shares with the Candyce server (CANDYCE_SECRET). Never in a
// browser: whoever holds the secret can mint any token.

import type { Role } from '@candyce/protocol';
import { SignJWT } from 'jose';

/** The roles a Candyce token can carry. (defined once in @candyce/protocol). */
export type { Role };

/** What a token says about its holder. */
export interface TokenClaims {
  /** A pseudonymous, stable user id (`sub`): not an e-mail, not a name. */
  readonly sub: string;
  /** The name shown to the others in the notebook (`name`). */
  readonly name: string;
  readonly role: Role;
  /** The rooms it opens; a name ending in `*` opens every room it prefixes. */
  readonly rooms: readonly string[];
  /** Lifetime in seconds (default 4 hours: one lesson, with margin). */
  readonly expiresIn?: number;
  /** Classroom activity id (`act`), for tokens of an activity. */
  readonly act?: string;
  /** Classroom copy id (`copy`), for a pupil's token. */
  readonly copy?: string;
}

const roles: ReadonlySet<string> = new Set(['teacher', 'student', 'viewer']);

/**
 * Returns an HS256 JWT signed with `secret` carrying `claims` (`sub`, `name`,
 * `role`, `rooms`, `exp`, and `act`/`copy` when given). Throws a RangeError
 * naming the value when a claim is out of range, so that a host's bug is
 * caught where the token is made rather than as a refusal in a pupil's page.
 */
export const mintToken = async (secret: string, claims: TokenClaims): Promise<string> => {
  if (secret.length < 32) throw new RangeError(`The secret has ${secret.length} characters; use at least 32`);
  if (!claims.sub) throw new RangeError('The token needs a sub (a pseudonymous user id)');
  if (!roles.has(claims.role))
    throw new RangeError(`Role ${JSON.stringify(claims.role)} is not teacher, student or viewer`);
  if (claims.rooms.length === 0 || claims.rooms.some((r) => typeof r !== 'string' || r === '' || r === '*')) {
    throw new RangeError(
      `Rooms ${JSON.stringify(claims.rooms)} must be room names or prefixes ending in * (never * alone)`,
    );
  }
  const lifetime = claims.expiresIn ?? 4 * 3600;
  if (!Number.isInteger(lifetime) || lifetime <= 0)
    throw new RangeError(`expiresIn ${lifetime} is not a positive number of seconds`);
  const payload: Record<string, unknown> = { name: claims.name, role: claims.role, rooms: [...claims.rooms] };
  if (claims.act) payload.act = claims.act;
  if (claims.copy) payload.copy = claims.copy;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + lifetime)
    .sign(new TextEncoder().encode(secret));
};
