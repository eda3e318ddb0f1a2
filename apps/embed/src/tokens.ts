// Minting Candyce tokens, as a host platform does on its own server with the
// secret it shares with the Candyce server (CANDYCE_SECRET). Never in a
// browser: whoever holds the secret can mint any token.

import { mintProblem, type TokenClaims as ProtocolClaims, type Role } from '@candyce/protocol';
import { SignJWT } from 'jose';

/** The roles a Candyce token can carry. (defined once in @candyce/protocol). */
export type { Role };

/**
 * What a host puts in a token it mints: the claims of @candyce/protocol's
 * `TokenClaims` a host sets, and a lifetime instead of `exp`.
 */
export interface TokenClaims
  extends Pick<ProtocolClaims, 'sub' | 'name' | 'role' | 'rooms' | 'act' | 'copy'> {
  /** Lifetime in seconds (default 4 hours: one lesson, with margin). */
  readonly expiresIn?: number;
}

/**
 * Returns an HS256 JWT signed with `secret` carrying `claims` (`sub`, `name`,
 * `role`, `rooms`, `exp`, and `act`/`copy` when given). Throws a RangeError
 * naming the value when a claim is out of range, so that a host's bug is
 * caught where the token is made rather than as a refusal in a pupil's page.
 */
export const mintToken = async (secret: string, claims: TokenClaims): Promise<string> => {
  if (secret.length < 32) throw new RangeError(`The secret has ${secret.length} characters; use at least 32`);
  const problem = mintProblem(claims);
  if (problem) throw new RangeError(problem);
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
