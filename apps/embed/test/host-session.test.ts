import { roomNameProblem } from '@candyce/server';
import { describe, expect, it } from 'vitest';
import { sessionOf } from '../src/host-session.js';

describe('the example host’s sessions', () => {
  it('gives the teacher the template room in create mode, and a visitor a viewer token on it', () => {
    const create = sessionOf({ activity: 'suites', mode: 'create', name: 'Mme Curie' });
    expect(create.room).toBe('emb.suites');
    expect(create.claims).toMatchObject({ role: 'teacher', rooms: ['emb.suites'], name: 'Mme Curie' });
    expect(create.contentKey).toBe('suites');
    const view = sessionOf({ activity: 'suites', mode: 'view', name: 'X' });
    expect(view.claims).toMatchObject({ role: 'viewer', rooms: ['emb.suites'] });
  });

  it('gives a pupil their own copy, starting from the template', () => {
    const s = sessionOf({ activity: 'suites', mode: 'assignment', pupil: 'alice', name: 'Alice' });
    expect(s.room).toBe('emb.suites.alice');
    expect(s.claims).toMatchObject({ role: 'student', rooms: ['emb.suites.alice'], sub: 'host-pupil-alice' });
    expect(s.contentKey).toBe('suites/alice');
    expect(s.fallbackKey).toBe('suites');
  });

  it('turns a handed-in copy into a viewer token, so the server refuses changes too', () => {
    for (const workflow of ['finished', 'corrected'] as const) {
      const s = sessionOf({ activity: 'a', mode: 'assignment', pupil: 'bob', workflow, name: 'Bob' });
      expect(s.claims.role).toBe('viewer');
    }
    // The teacher reviewing the copy can still write in it.
    const review = sessionOf({
      activity: 'a',
      mode: 'review',
      pupil: 'bob',
      workflow: 'finished',
      name: 'T',
    });
    expect(review.claims).toMatchObject({ role: 'teacher', rooms: ['emb.a.bob'] });
  });

  it('refuses ids that could reach another room', () => {
    expect(() => sessionOf({ activity: 'a*', mode: 'create', name: 'T' })).toThrow(RangeError);
    expect(() => sessionOf({ activity: 'a', mode: 'assignment', pupil: '../b', name: 'P' })).toThrow(
      'Pupil id',
    );
    expect(() => sessionOf({ activity: 'a', mode: 'assignment', name: 'P' })).toThrow('Pupil id');
    expect(() => sessionOf({ activity: '', mode: 'view', name: 'P' })).toThrow('Activity id');
  });

  it('gives a nameless visitor a name, and cuts long names', () => {
    expect(sessionOf({ activity: 'a', mode: 'view', name: '  ' }).claims.name).toBe('Anonyme');
    expect(sessionOf({ activity: 'a', mode: 'view', name: 'x'.repeat(200) }).claims.name).toHaveLength(60);
  });

  it('never gives one room to two visits: a template and a copy, or two copies, differ whatever the ids', () => {
    // The collision of issue 13 (finding 11): activity "math-1" and pupil "1" of activity "math".
    const template = sessionOf({ activity: 'math-1', mode: 'create', name: 'T' });
    const copy = sessionOf({ activity: 'math', mode: 'assignment', pupil: '1', name: 'P' });
    expect(template.room).not.toBe(copy.room);
    expect(copy.claims.rooms).not.toContain(template.room);
    // Every split of a dashed name, every id made of the id alphabet's edge characters.
    const parts = [
      'a',
      'a-b',
      'b',
      'a-b-c',
      'b-c',
      'c',
      '-',
      '--',
      '_',
      'a_',
      '_a',
      'x'.repeat(40),
      '-'.repeat(40),
    ];
    const owners = new Map<string, string>();
    const claim = (room: string, visit: string) => {
      expect(roomNameProblem(room), room).toBeNull();
      const before = owners.get(room);
      if (before !== undefined) expect(before, room).toBe(visit);
      owners.set(room, visit);
    };
    for (const activity of parts) {
      claim(sessionOf({ activity, mode: 'create', name: 'T' }).room, `template ${activity}`);
      claim(sessionOf({ activity, mode: 'view', name: 'V' }).room, `template ${activity}`);
      for (const pupil of parts) {
        claim(
          sessionOf({ activity, mode: 'assignment', pupil, name: 'P' }).room,
          `copy ${activity}/${pupil}`,
        );
        claim(sessionOf({ activity, mode: 'review', pupil, name: 'T' }).room, `copy ${activity}/${pupil}`);
      }
    }
    expect(owners.size).toBe(parts.length + parts.length * parts.length);
  });
});
