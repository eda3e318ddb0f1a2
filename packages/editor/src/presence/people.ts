import type { Role } from '@candyce/model';
import type { Awareness } from 'y-protocols/awareness';
import { colorFor, personColors } from './identity.js';

/** One person in the room, as read from the awareness. */
export interface Person {
  clientId: number;
  name: string;
  color: string;
  role: Role;
  /** The cell they are in, or null. */
  cell: string | null;
  /** True for this browser's own entry. */
  self: boolean;
}

const maxName = 60;

/**
 * Reads the people of a room from its awareness, self first, then by name.
 * Awareness states come from other browsers: every field is checked, names
 * are cut, and a colour that is not one of ours is replaced (it would be
 * inserted into styles).
 */
export const readPeople = (awareness: Awareness): Person[] => {
  const people: Person[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const user = (state as { user?: Record<string, unknown> }).user;
    if (!user || typeof user !== 'object') return;
    const name = typeof user.name === 'string' && user.name.trim() ? user.name.trim().slice(0, maxName) : '?';
    const color =
      typeof user.color === 'string' && (personColors as readonly string[]).includes(user.color)
        ? user.color
        : colorFor(String(clientId));
    const role = user.role === 'teacher' || user.role === 'viewer' ? user.role : 'student';
    const cell =
      typeof (state as { cell?: unknown }).cell === 'string' ? (state as { cell: string }).cell : null;
    people.push({ clientId, name, color, role, cell, self: clientId === awareness.clientID });
  });
  return people.sort((a, b) => (a.self !== b.self ? (a.self ? -1 : 1) : a.name.localeCompare(b.name)));
};

/** Returns a key that changes only when what a cell shows of the people in it changes. */
export const peopleKey = (people: readonly Person[]): string =>
  people.map((p) => `${p.clientId}:${p.name}:${p.color}`).join('|');

/**
 * Returns whom a `follow` attribute designates among `people`: the first
 * other person whose name is `target` (or, for `role:<role>`, whose role is
 * that), skipping those in `done` (already followed once: the follower may
 * have stopped). Null when nobody here matches.
 */
export const findFollowed = (
  people: readonly Person[],
  target: string,
  done: ReadonlySet<number> = new Set(),
): Person | null => {
  const want = target.trim();
  if (!want) return null;
  const role = want.startsWith('role:') ? want.slice(5) : null;
  return (
    people.find(
      (p) =>
        !p.self &&
        !done.has(p.clientId) &&
        (role === null ? p.name === want.slice(0, maxName) : p.role === role),
    ) ?? null
  );
};
