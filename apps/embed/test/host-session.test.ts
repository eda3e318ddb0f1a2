import { describe, expect, it } from 'vitest';
import { sessionOf } from '../src/host-session.js';

describe('the example host’s sessions', () => {
  it('gives the teacher the template room in create mode, and a visitor a viewer token on it', () => {
    const create = sessionOf({ activity: 'suites', mode: 'create', name: 'Mme Curie' });
    expect(create.room).toBe('emb-suites');
    expect(create.claims).toMatchObject({ role: 'teacher', rooms: ['emb-suites'], name: 'Mme Curie' });
    expect(create.contentKey).toBe('suites');
    const view = sessionOf({ activity: 'suites', mode: 'view', name: 'X' });
    expect(view.claims).toMatchObject({ role: 'viewer', rooms: ['emb-suites'] });
  });

  it('gives a pupil their own copy, starting from the template', () => {
    const s = sessionOf({ activity: 'suites', mode: 'assignment', pupil: 'alice', name: 'Alice' });
    expect(s.room).toBe('emb-suites-alice');
    expect(s.claims).toMatchObject({ role: 'student', rooms: ['emb-suites-alice'], sub: 'host-pupil-alice' });
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
    expect(review.claims).toMatchObject({ role: 'teacher', rooms: ['emb-a-bob'] });
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
});
