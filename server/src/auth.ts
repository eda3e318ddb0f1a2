import { type Role, readTokenClaims } from '@candyce/protocol';
import { errors, jwtVerify } from 'jose';

export type { Role };

/**
 * Who is on the other end of a connection or request, from a verified token
 * (or the open-mode identity when the server runs without a secret).
 */
export interface Identity {
  /** Pseudonymous user id (`sub`). */
  readonly sub: string;
  /** Display name (`name`); awareness states must claim this name. Null in open mode. */
  readonly name: string | null;
  readonly role: Role;
  /** Room names, a trailing `*` making a prefix. */
  readonly rooms: readonly string[];
  /** Expiry in milliseconds since the epoch; null only for the open-mode identity (no token). */
  readonly expiresAt: number | null;
  /** Activity id (`act` claim) of a token minted by the classroom, if any. */
  readonly act?: string;
  /** Copy id (`copy` claim) of a pupil's token minted by the classroom, if any. */
  readonly copy?: string;
  /** Generation (`gen` claim) of a teacher token minted by the classroom, if any (see classroom/revocation.ts). */
  readonly gen?: number;
}

/** Thrown when a token is missing or invalid (401) or does not grant what is asked (403). */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Verifies tokens. Open mode (no secret) lets everyone without a token in as
 * the local teacher, for a server on one machine; a token presented anyway is
 * verified with the effective secret once {@link Authenticator.useOpenSecret}
 * gave it (so a pupil's page acts as that pupil), and ignored before.
 */
export interface Authenticator {
  readonly open: boolean;
  /** Resolves to the identity of `token`, or rejects with an {@link AuthError} (401). */
  authenticate(token: string | null): Promise<Identity>;
  /**
   * Open mode only: the secret that tokens presented anyway are verified with
   * (the server's effective secret, kept in its data directory).
   */
  useOpenSecret(secret: string): void;
}

const openIdentity: Identity = { sub: 'local', name: null, role: 'teacher', rooms: ['*'], expiresAt: null };

/** Fewest bytes of a CANDYCE_SECRET: an HS256 key shorter than its hash is open to offline guessing. */
export const minSecretBytes = 32;

/** Why `secret` is too weak to sign tokens with (a sentence saying how to make one), or null. */
export const weakSecretProblem = (secret: string): string | null =>
  Buffer.byteLength(secret, 'utf8') < minSecretBytes
    ? `CANDYCE_SECRET is ${Buffer.byteLength(secret, 'utf8')} bytes long; it must be at least ${minSecretBytes} random bytes (a short one is guessed from a single token in milliseconds). Make one with: openssl rand -base64 32`
    : null;

/** Longest token lifetime accepted by default: 180 days, what the classroom mints. */
export const defaultMaxTokenLifetimeSeconds = 180 * 24 * 3600;

/**
 * Returns an authenticator that checks HS256 JWTs signed with `secret`
 * (claims `sub`, `name`, `role`, `rooms`, `exp`, and the classroom's optional
 * `act` and `copy`), or the open-mode one when `secret` is undefined or empty.
 * A token without `exp`, or living longer than `maxLifetimeSeconds` (from its
 * `iat`, and from now), is refused.
 */
export const createAuthenticator = (
  secret: string | undefined,
  maxLifetimeSeconds = defaultMaxTokenLifetimeSeconds,
): Authenticator => {
  const verify = (token: string, key: Uint8Array) => verifyToken(token, key, maxLifetimeSeconds);
  if (!secret) {
    let key: Uint8Array | null = null;
    return {
      open: true,
      authenticate: async (token) => (token && key ? verify(token, key) : openIdentity),
      useOpenSecret(openSecret) {
        key = new TextEncoder().encode(openSecret);
      },
    };
  }
  const key = new TextEncoder().encode(secret);
  return {
    open: false,
    async authenticate(token) {
      if (!token) throw new AuthError(401, 'Unauthorized: no token');
      return verify(token, key);
    },
    useOpenSecret() {
      // The configured secret is the effective one.
    },
  };
};

// Clocks of the minting platform and of this server may differ a little.
const clockSkewSeconds = 300;

const verifyToken = async (token: string, key: Uint8Array, maxLifetimeSeconds: number): Promise<Identity> => {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'] }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new AuthError(401, 'Unauthorized: token expired');
    throw new AuthError(401, 'Unauthorized: invalid token');
  }
  const read = readTokenClaims(payload);
  if ('problem' in read) throw new AuthError(401, `Unauthorized: ${read.problem}`);
  const { sub, name, role, rooms, exp, iat, act, copy, gen } = read.claims;
  const now = Date.now() / 1000;
  const from = iat === undefined ? now : Math.min(iat, now);
  if (exp - from > maxLifetimeSeconds + clockSkewSeconds)
    throw new AuthError(
      401,
      `Unauthorized: token lives longer than ${Math.round(maxLifetimeSeconds / 86_400)} days (exp too far)`,
    );
  return {
    sub,
    name,
    role,
    rooms,
    expiresAt: exp * 1000,
    ...(act === undefined ? {} : { act }),
    ...(copy === undefined ? {} : { copy }),
    ...(gen === undefined ? {} : { gen }),
  };
};

/** Returns true when `identity`'s `rooms` claim grants `room` (exactly, or by a `prefix*`). */
export const canAccessRoom = (identity: Identity, room: string): boolean =>
  identity.rooms.some((r) => (r.endsWith('*') ? room.startsWith(r.slice(0, -1)) : r === room));

/** Returns true when `identity` may change documents (every role but viewer). */
export const canWrite = (identity: Identity): boolean => identity.role !== 'viewer';
