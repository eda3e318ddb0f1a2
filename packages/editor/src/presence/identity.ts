import { isRole, type TokenClaims as ProtocolClaims, type Role } from '@candyce/protocol';

/** Who is editing, as shown to the others. */
export interface Identity {
  /** Pseudonymous id (the token's `sub`, or one made up for this browser). */
  id: string;
  name: string;
  role: Role;
  /** Caret and badge colour, dark enough for white text (WCAG AA). */
  color: string;
}

/** Colours of people: every one has a contrast of at least 4.5:1 with white text and on a white page. */
export const personColors = [
  '#1d4ed8',
  '#b91c1c',
  '#047857',
  '#7e22ce',
  '#b45309',
  '#be185d',
  '#0e7490',
  '#4d7c0f',
  '#4338ca',
  '#9f1239',
] as const;

/** Returns a colour for `seed`, the same for the same seed on every peer. */
export const colorFor = (seed: string): string => {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return personColors[(h >>> 0) % personColors.length]!;
};

/**
 * The claims of a Candyce token that the editor shows (those of
 * @candyce/protocol's TokenClaims; the server checks the signature, not the editor).
 */
export type TokenClaims = Partial<Pick<ProtocolClaims, 'sub' | 'name' | 'role' | 'act' | 'copy'>>;

/**
 * Returns the claims of a JWT without verifying it, or an empty object when it
 * is not one. The editor only uses them to show the user's name and role; the
 * server enforces them.
 */
export const readTokenClaims = (token: string | null | undefined): TokenClaims => {
  const part = token?.split('.')[1];
  if (!part) return {};
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    return {
      ...(typeof claims.sub === 'string' ? { sub: claims.sub } : {}),
      ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
      ...(isRole(claims.role) ? { role: claims.role } : {}),
      ...(typeof claims.act === 'string' ? { act: claims.act } : {}),
      ...(typeof claims.copy === 'string' ? { copy: claims.copy } : {}),
    };
  } catch {
    return {};
  }
};

/** Returns `value` as a role, or `fallback`. */
export const asRole = (value: string | null | undefined, fallback: Role): Role =>
  isRole(value) ? value : fallback;
