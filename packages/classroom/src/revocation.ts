import { AuthError, type Identity } from '@candyce/server';
import type { ActivityRecord } from './records.js';

// Revocation of teacher links. A teacher token lives 180 days in the
// teacher's browser (and in any link copied from it); each activity keeps a
// generation number, minted into its teacher tokens as the `gen` claim, and a
// teacher token of an older generation is refused on every request and
// connection. "Revoking the old links" moves the generation on and mints a
// new link.

/** Thrown by a {@link revocable} authenticator for a token of an older generation. */
export class RevokedTokenError extends AuthError {
  constructor() {
    super(401, 'Unauthorized: token revoked by the teacher; use the new link');
  }
}

/** The current generation of an activity's teacher tokens. */
export const tokenGenOf = (activity: ActivityRecord): number => activity.tokenGen ?? 0;

/**
 * True when `identity` is a teacher token minted by the classroom for
 * `activity` (its `act` claim) whose generation is not the current one.
 * Tokens without `act` (a host's, the local teacher of open mode) are never
 * revoked here: their issuer controls them.
 */
export const isRevoked = (identity: Identity, activity: ActivityRecord | null): boolean =>
  identity.role === 'teacher' &&
  identity.act !== undefined &&
  activity !== null &&
  identity.act === activity.id &&
  (identity.gen ?? 0) !== tokenGenOf(activity);
