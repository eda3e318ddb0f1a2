import { describe, expect, it } from 'vitest';
import { en, fr } from '../src/catalogue.js';
import {
  asMode,
  deadlineFromInput,
  deadlinePassed,
  deadlineToInput,
  fileNameOf,
  formatAgo,
  isJoinCode,
  normalizeCode,
  parseActivityRoom,
  whoOf,
} from '../src/classroom/format.js';
import { classroomMemory, type KeyValueStore, type PupilAccess } from '../src/classroom/memory.js';
import { qrPath } from '../src/classroom/qr.js';
import { dashboardPath, joinPath, routeOf, withToken } from '../src/routes.js';

const mapStore = (): KeyValueStore & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
};

describe('join codes', () => {
  it('accept what a pupil types from the board: lower case, spaces, dashes', () => {
    expect(normalizeCode(' abc-d e2 ')).toBe('ABCDE2');
    expect(isJoinCode(normalizeCode('abc-de2'))).toBe(true);
  });

  it('refuse letters a board confuses, and wrong lengths', () => {
    for (const code of ['ABCDE0', 'ABCDEI', 'ABCDEL', 'ABCDEO', 'ABCDE1', 'ABCDE', 'ABCDEFG', '']) {
      expect(isJoinCode(code), code).toBe(false);
    }
  });
});

describe('modes', () => {
  it('accept the four modes and nothing else', () => {
    expect(['individual', 'pairs', 'class', 'demo'].map(asMode)).toEqual([
      'individual',
      'pairs',
      'class',
      'demo',
    ]);
    expect(asMode('solo')).toBeNull();
    expect(asMode(null)).toBeNull();
    expect(asMode('toString')).toBeNull();
  });
});

describe('activity rooms', () => {
  it('tell the activity and the copy of a room', () => {
    expect(parseActivityRoom('act-abcdefgh23')).toEqual({ activityId: 'abcdefgh23', copyId: null });
    expect(parseActivityRoom('act-abcdefgh23-qrstuv45')).toEqual({
      activityId: 'abcdefgh23',
      copyId: 'qrstuv45',
    });
    expect(parseActivityRoom('act-abcdefgh23-class')).toEqual({ activityId: 'abcdefgh23', copyId: 'class' });
  });

  it('refuse rooms that are not an activity’s', () => {
    for (const room of [
      'maths',
      'act-ABCDEFGH23',
      'act-abcdefgh2',
      'act-abcdefgh23-',
      'act-abcdefgh23-x',
      'xact-abcdefgh23',
    ])
      expect(parseActivityRoom(room), room).toBeNull();
  });
});

describe('routes of the classroom', () => {
  it('send /j, /j/<CODE> and /a/<id> to their pages', () => {
    expect(routeOf('/j')).toEqual({ page: 'join', code: '' });
    expect(routeOf('/j/')).toEqual({ page: 'join', code: '' });
    expect(routeOf('/j/ABC234')).toEqual({ page: 'join', code: 'ABC234' });
    expect(routeOf('/j/%E0%A4%A')).toEqual({ page: 'join', code: '' });
    expect(routeOf('/a/abcdefgh23')).toEqual({ page: 'dashboard', activityId: 'abcdefgh23' });
    expect(routeOf('/a/not-an-id')).toEqual({ page: 'home' });
    expect(routeOf('/j/ABC234/x')).toEqual({ page: 'home' });
  });

  it('build the paths the pages link to, the token in the fragment', () => {
    expect(joinPath('ABC234')).toBe('/j/ABC234');
    expect(joinPath()).toBe('/j');
    expect(withToken(dashboardPath('abcdefgh23'), 'a.b+c')).toBe('/a/abcdefgh23#token=a.b%2Bc');
  });
});

describe('deadlines', () => {
  it('go from the date picker to ISO and back', () => {
    const iso = deadlineFromInput('2026-12-01T16:30');
    expect(typeof iso).toBe('string');
    expect(deadlineToInput(iso)).toBe('2026-12-01T16:30');
    expect(deadlineFromInput('')).toBeNull();
    expect(deadlineFromInput('demain')).toBeUndefined();
    expect(deadlineFromInput('2026-13-45T99:99')).toBeUndefined();
    expect(deadlineToInput(null)).toBe('');
  });

  it('say whether the deadline has passed', () => {
    const now = Date.parse('2026-11-28T15:00:00Z');
    expect(deadlinePassed('2026-11-28T14:59:00Z', now)).toBe(true);
    expect(deadlinePassed('2026-11-28T15:01:00Z', now)).toBe(false);
    expect(deadlinePassed(null, now)).toBe(false);
  });

  it('say how long ago in French and English', () => {
    const now = Date.parse('2026-11-28T15:00:00Z');
    expect(formatAgo('2026-11-28T14:59:50Z', 'fr', now)).toBe('à l’instant');
    expect(formatAgo('2026-11-28T14:59:50Z', 'en', now)).toBe('just now');
    expect(formatAgo('2026-11-28T14:55:00Z', 'fr', now)).toMatch(/5\s*min/);
    expect(formatAgo('2026-11-28T12:00:00Z', 'en', now)).toMatch(/3\s*hr/);
    expect(formatAgo('pas une date', 'fr', now)).toBe('');
  });
});

describe('names', () => {
  it('make file names from any title', () => {
    expect(fileNameOf('Boucles « for » en Python', '.csv')).toBe('boucles-for-en-python.csv');
    expect(fileNameOf('<img src=x>', '.csv')).toBe('img-src-x.csv');
    expect(fileNameOf('', '.csv')).toBe('activite.csv');
  });

  it('name a copy by its members, or its label', () => {
    expect(whoOf({ id: 'c1', members: [{ name: 'Léa' }, { name: 'Tom' }] })).toBe('Léa, Tom');
    expect(whoOf({ id: 'c1', members: [], label: 'Léa et Tom' })).toBe('Léa et Tom');
    expect(whoOf({ id: 'c1', members: [] })).toBe('c1');
  });
});

describe('the classroom memory', () => {
  const access: PupilAccess = {
    activityId: 'abcdefgh23',
    code: 'ABC234',
    title: 'Boucles',
    mode: 'pairs',
    deadline: null,
    name: 'Léa',
    room: 'act-abcdefgh23-qrstuv45',
    token: 'x.y.z',
    pairCode: 'PQR789',
    resumeCode: 'K7M2QX',
  };

  it('finds a pupil’s access again by activity and by code, until forgotten', () => {
    const store = mapStore();
    const memory = classroomMemory(store);
    memory.savePupil(access);
    expect(classroomMemory(store).pupil('abcdefgh23')).toEqual(access);
    expect(classroomMemory(store).pupilByCode('ABC234')).toEqual(access);
    memory.forgetPupil('abcdefgh23');
    expect(memory.pupil('abcdefgh23')).toBeNull();
    expect(memory.pupilByCode('ABC234')).toBeNull();
  });

  it('ignores what was edited or broken in storage', () => {
    const store = mapStore();
    store.setItem('candyce:pupil:abcdefgh23', '{not json');
    store.setItem('candyce:code:ABC234', JSON.stringify({ activityId: 'abcdefgh23' }));
    store.setItem('candyce:teaching', JSON.stringify({ list: [null, { activityId: 1 }, 'x'] }));
    const memory = classroomMemory(store);
    expect(memory.pupilByCode('ABC234')).toBeNull();
    expect(memory.teacherActivities()).toEqual([]);
    store.setItem('candyce:pupil:abcdefgh23', JSON.stringify({ ...access, token: 42 }));
    expect(memory.pupil('abcdefgh23')).toBeNull();
    // A personal code that is not text is dropped, the access kept.
    store.setItem('candyce:pupil:abcdefgh23', JSON.stringify({ ...access, resumeCode: { x: 1 } }));
    expect(memory.pupil('abcdefgh23')?.resumeCode).toBeUndefined();
    expect(memory.pupil('abcdefgh23')?.room).toBe(access.room);
  });

  it('keeps the teacher’s dashboards newest first, once each', () => {
    const memory = classroomMemory(mapStore());
    const a = { activityId: 'a', title: 'A', code: 'AAAAAA', token: 't1', createdAt: '2026-11-28T10:00:00Z' };
    const b = { ...a, activityId: 'b', title: 'B' };
    memory.saveTeacher(a);
    memory.saveTeacher(b);
    memory.saveTeacher({ ...a, title: 'A2' });
    expect(memory.teacherActivities().map((x) => x.title)).toEqual(['A2', 'B']);
  });

  it('works without storage', () => {
    const memory = classroomMemory(null);
    memory.savePupil(access);
    expect(memory.pupil('abcdefgh23')).toBeNull();
    const refusing: KeyValueStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(() => classroomMemory(refusing).savePupil(access)).not.toThrow();
    expect(classroomMemory(refusing).pupil('abcdefgh23')).toBeNull();
  });
});

describe('the QR path', () => {
  it('draws each run of dark modules of a row as one rectangle, inside the quiet zone', () => {
    const rows = ['##.#', '....', '.###', '#..#'];
    const path = qrPath({ size: 4, dark: (r, c) => rows[r]![c] === '#' }, 4);
    expect(path).toBe('M4 4h2v1h-2zM7 4h1v1h-1zM5 6h3v1h-3zM4 7h1v1h-1zM7 7h1v1h-1z');
  });
});

describe('the classroom catalogue', () => {
  it('says every join error code the API documents, in both languages', () => {
    for (const code of [
      'unknown-code',
      'code-expired',
      'name-required',
      'name-too-long',
      'unknown-pair-code',
      'pair-full',
      'too-many-attempts',
    ])
      for (const catalogue of [fr, en])
        expect(Object.hasOwn(catalogue, `join.error.${code}`), code).toBe(true);
  });

  it('uses the same placeholders in both languages', () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(fr) as (keyof typeof fr)[])
      expect(holes(en[key]), key).toEqual(holes(fr[key]));
  });
});
