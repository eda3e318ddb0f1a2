import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { colorFor, personColors, readTokenClaims } from '../src/presence/identity.js';
import { readPeople } from '../src/presence/people.js';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('people', () => {
  it('reads names, roles and cells, and replaces colours that are not ours', () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalStateField('user', { name: 'Moi', color: personColors[0], role: 'teacher' });
    awareness.setLocalStateField('cell', 'c1');
    const other = new Awareness(new Y.Doc());
    other.setLocalStateField('user', {
      name: `  ${'x'.repeat(100)}`,
      color: 'red;background:url(//evil)',
      role: 'admin',
    });
    awareness.getStates().set(other.clientID, other.getLocalState()!);
    const people = readPeople(awareness);
    expect(people[0]).toMatchObject({ name: 'Moi', role: 'teacher', cell: 'c1', self: true });
    expect(people[1]!.name).toHaveLength(60);
    expect(people[1]!.role).toBe('student');
    expect(personColors).toContain(people[1]!.color);
  });

  it('gives the same colour to the same person everywhere', () => {
    expect(colorFor('sub-42')).toBe(colorFor('sub-42'));
    expect(personColors).toContain(colorFor('sub-42'));
  });

  it('reads the name and role of a token, and nothing from garbage', () => {
    const token = `${b64({ alg: 'HS256' })}.${b64({ sub: 'u1', name: 'Zoé', role: 'viewer' })}.sig`;
    expect(readTokenClaims(token)).toEqual({ sub: 'u1', name: 'Zoé', role: 'viewer' });
    expect(readTokenClaims('not a token')).toEqual({});
    expect(readTokenClaims(`${b64({})}.${b64({ role: 'root' })}.x`)).toEqual({});
  });
});
