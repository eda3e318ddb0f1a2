import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  cellsOf,
  cellToY,
  copyCell,
  findLockViolation,
  getCell,
  importIpynb,
  inspectUpdate,
  moveCell,
  readCell,
  retypeCell,
  sourceOf,
  UnresolvedUpdateError,
  watchNotebook,
  type YCell,
} from '../src/index.js';
import { chainedInserts, decodeStructs, encodeStructs, withoutDeletions } from './helpers/crafted.js';

// A pupil's modified editor against the lock guard: each attack is made with
// raw Yjs (or hand-made bytes) on the pupil's copy and checked against the
// server's copy, as the server does before applying anything.

const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { id: 'free', cell_type: 'code', source: 'a', metadata: {}, outputs: [], execution_count: null },
    {
      id: 'ro',
      cell_type: 'code',
      source: 'x = 1',
      metadata: { editable: false },
      outputs: [],
      execution_count: null,
    },
    { id: 'keep', cell_type: 'markdown', source: 'c', metadata: { deletable: false } },
    {
      id: 'test',
      cell_type: 'code',
      source: 'assert f(2) == 4',
      metadata: { nbgrader: { locked: true, grade: true, grade_id: 'q1', points: 2, solution: false } },
      outputs: [],
      execution_count: null,
    },
    {
      id: 'answer',
      cell_type: 'code',
      source: 'def f(x):\n    pass',
      metadata: { nbgrader: { locked: false, grade: false, grade_id: 'a1', solution: true } },
      outputs: [],
      execution_count: null,
    },
  ],
};

const setup = () => {
  const server = new Y.Doc();
  importIpynb(server, notebook);
  const student = new Y.Doc();
  Y.applyUpdate(student, Y.encodeStateAsUpdate(server));
  const capture = (fn: () => void): Uint8Array => {
    const sv = Y.encodeStateVector(server);
    fn();
    return Y.encodeStateAsUpdate(student, sv);
  };
  return { server, student, capture };
};

const indexOf = (doc: Y.Doc, id: string): number =>
  cellsOf(doc)
    .toArray()
    .findIndex((c) => c.get('id') === id);

/** Replaces the cell `id` by `replacement` (a plain cell) in one transaction, as a move would. */
const fakeMove = (
  doc: Y.Doc,
  id: string,
  change: (cell: ReturnType<typeof readCell>) => void,
  to?: number,
) => {
  const plain = readCell(doc, id);
  change(plain);
  doc.transact(() => {
    const from = indexOf(doc, id);
    cellsOf(doc).delete(from, 1);
    cellsOf(doc).insert(to ?? from, [cellToY(plain)]);
  });
};

describe('lock guard against a pupil faking moves', () => {
  it('refuses a locked cell deleted and re-inserted with a changed source under the same id', () => {
    const { server, student, capture } = setup();
    const u = capture(() => fakeMove(student, 'test', (c) => (c.source = 'assert True'), 0));
    expect(findLockViolation(server, u, 'student')).toEqual({ cellId: 'test', operation: 'edit' });
  });

  it('refuses fake moves that change the type or the metadata, drop the locks or reuse the id unlocked', () => {
    const variations: [string, (c: ReturnType<typeof readCell>) => void, string][] = [
      ['ro', (c) => (c.cell_type = 'markdown'), 'edit'],
      ['ro', (c) => (c.metadata = { editable: false, tags: ['x'] }), 'edit'],
      ['ro', (c) => (c.metadata = {}), 'lock'],
      ['ro', (c) => (c.metadata = { editable: true }), 'lock'],
      ['keep', (c) => (c.metadata = {}), 'lock'],
      ['keep', (c) => (c.metadata = { deletable: false, nbgrader: { grade: true, points: 1 } }), 'lock'],
      ['test', (c) => (c.metadata = {}), 'lock'],
      [
        'test',
        (c) => (c.metadata = { nbgrader: { locked: true, grade: true, grade_id: 'q1', points: 20 } }),
        'lock',
      ],
      [
        'answer',
        (c) => (c.metadata = { nbgrader: { locked: true, grade: true, grade_id: 'a1', points: 9 } }),
        'lock',
      ],
      ['test', (c) => (c.execution_count = 9), 'none'],
    ];
    for (const [id, change, operation] of variations) {
      const { server, student, capture } = setup();
      const u = capture(() => fakeMove(student, id, change, 1));
      const expected = operation === 'none' ? null : { cellId: id, operation };
      expect(findLockViolation(server, u, 'student'), `${id} ${change}`).toEqual(expected);
    }
  });

  it('lets a pupil move locked cells unchanged, run them after, move them twice and type in a moved answer', () => {
    const { server, student, capture } = setup();
    const u = capture(() => {
      moveCell(student, 'test', 0);
      moveCell(student, 'ro', 4);
      moveCell(student, 'keep', 0);
      moveCell(student, 'test', 2);
      getCell(student, 'test').set('execution_count', 3);
      moveCell(student, 'answer', 0);
      sourceOf(getCell(student, 'answer')).insert(0, '# mine\n');
    });
    expect(inspectUpdate(server, u, 'student')).toMatchObject({ ok: true });
    Y.applyUpdate(server, u);
    expect(readCell(server, 'test').source).toBe('assert f(2) == 4');
  });

  it('lets a pupil replace a non-deletable but editable cell by a clone with another source (an edit it may make)', () => {
    const { server, student, capture } = setup();
    const u = capture(() => fakeMove(student, 'keep', (c) => (c.source = 'changed'), 0));
    expect(findLockViolation(server, u, 'student')).toBeNull();
  });

  it('refuses a retype of a locked cell (a clone of another type)', () => {
    const { server, student, capture } = setup();
    const u = capture(() => retypeCell(student, 'ro', 'markdown'));
    expect(findLockViolation(server, u, 'student')).toEqual({ cellId: 'ro', operation: 'edit' });
  });

  it('lets a pupil drop one of two equal clones of a locked cell, not a different cell with its id', () => {
    const { server, student, capture } = setup();
    // Two peers moved 'keep' at once: the server holds two equal clones.
    const twin = cellToY(readCell(server, 'test'));
    server.transact(() => cellsOf(server).insert(0, [twin]));
    Y.applyUpdate(student, Y.encodeStateAsUpdate(server));
    const drop = capture(() => cellsOf(student).delete(0, 1));
    expect(findLockViolation(server, drop, 'student')).toBeNull();

    const other = setup();
    const impostor = cellToY({ ...readCell(other.server, 'test'), source: 'assert True' });
    other.server.transact(() => cellsOf(other.server).insert(0, [impostor]));
    Y.applyUpdate(other.student, Y.encodeStateAsUpdate(other.server));
    const genuine = cellsOf(other.student)
      .toArray()
      .findIndex((c, i) => i > 0 && c.get('id') === 'test');
    const u = other.capture(() => cellsOf(other.student).delete(genuine, 1));
    expect(findLockViolation(other.server, u, 'student')).toEqual({ cellId: 'test', operation: 'delete' });
  });
});

describe('lock guard against a pupil creating lock or grading keys', () => {
  const newCell = (metadata: Record<string, unknown>) =>
    cellToY({ id: 'mine', cell_type: 'code', source: 's', metadata: metadata as never, outputs: [] });

  it('refuses new cells carrying nbgrader, editable: false or deletable: false', () => {
    for (const metadata of [
      { nbgrader: { grade: true, grade_id: 'q1', points: 100 } },
      { nbgrader: { solution: true, grade_id: 'x' } },
      { nbgrader: { task: true, points: 5 } },
      { nbgrader: { locked: true } },
      { editable: false },
      { deletable: false },
    ]) {
      const { server, student, capture } = setup();
      const u = capture(() => cellsOf(student).insert(1, [newCell(metadata)]));
      expect(findLockViolation(server, u, 'student'), JSON.stringify(metadata)).toEqual({
        cellId: 'mine',
        operation: 'lock',
      });
    }
  });

  it('refuses a new cell whose metadata is a plain JSON value with grading keys', () => {
    const { server, student, capture } = setup();
    const u = capture(() => {
      const cell = new Y.Map<unknown>();
      cell.set('id', 'mine');
      cell.set('cell_type', 'code');
      cell.set('source', new Y.Text('s'));
      cell.set('metadata', { nbgrader: { grade: true, grade_id: 'q9', points: 50 } });
      cellsOf(student).insert(0, [cell]);
    });
    expect(findLockViolation(server, u, 'student')).toEqual({ cellId: 'mine', operation: 'lock' });
  });

  it('lets a pupil add plain cells and copy a locked cell, whose copy loses its locks', () => {
    const { server, student, capture } = setup();
    const u = capture(() => {
      cellsOf(student).insert(0, [newCell({ tags: ['t'], editable: true, deletable: true })]);
      copyCell(student, 'test');
    });
    expect(findLockViolation(server, u, 'student')).toBeNull();
  });

  it('refuses giving a free cell the id of a locked cell (every peer would rename one of the two)', () => {
    const { server, student, capture } = setup();
    const u = capture(() => getCell(student, 'free').set('id', 'test'));
    expect(findLockViolation(server, u, 'student')).toEqual({ cellId: 'test', operation: 'lock' });
    const s2 = setup();
    const ok = s2.capture(() => getCell(s2.student, 'free').set('id', 'renamed'));
    expect(findLockViolation(s2.server, ok, 'student')).toBeNull();
  });

  it('refuses replacing the metadata map of a cell, even a free one', () => {
    const { server, student, capture } = setup();
    const u = capture(() => getCell(student, 'keep').set('metadata', new Y.Map()));
    expect(findLockViolation(server, u, 'student')).toEqual({ cellId: 'keep', operation: 'lock' });
    // Without its deletions, Yjs still drops the old map (and its lock keys) when the new one lands.
    expect(findLockViolation(server, withoutDeletions(u), 'student')).toEqual({
      cellId: 'keep',
      operation: 'lock',
    });
    const s2 = setup();
    const u2 = s2.capture(() =>
      getCell(s2.student, 'answer').set('metadata', { nbgrader: { grade: true, points: 99 } }),
    );
    expect(findLockViolation(s2.server, u2, 'student')).toEqual({ cellId: 'answer', operation: 'lock' });
  });
});

describe('lock guard against crafted bytes', () => {
  it('refuses a map overwrite sent without its deletion (the key is inherited from the neighbour)', () => {
    const { server, student, capture } = setup();
    const u = capture(() => getCell(student, 'ro').set('cell_type', 'markdown'));
    expect(findLockViolation(server, withoutDeletions(u), 'student')).toEqual({
      cellId: 'ro',
      operation: 'edit',
    });
    const s2 = setup();
    const meta = s2.capture(() =>
      (getCell(s2.student, 'ro').get('metadata') as Y.Map<unknown>).set('editable', true),
    );
    expect(findLockViolation(s2.server, withoutDeletions(meta), 'student')).toEqual({
      cellId: 'ro',
      operation: 'lock',
    });
  });

  it('refuses a new cell whose content is sent first, ahead of the cell (it would wait unchecked)', () => {
    const { server, student, capture } = setup();
    const u = capture(() => fakeMove(student, 'test', (c) => (c.source = 'assert True'), 0));
    // The pupil's first struct is the cell map; its keys follow. Sent without it, they have a gap.
    const mine = decodeStructs(u).filter((s) => s.id.client === student.clientID);
    expect(mine[0]).toBeInstanceOf(Y.Item);
    const tail = encodeStructs(mine.slice(1));
    expect(inspectUpdate(server, tail, 'student')).toMatchObject({ ok: false, reason: 'unresolved' });
    expect(() => findLockViolation(server, tail, 'student')).toThrow(UnresolvedUpdateError);
    // The same from another client id: a key whose parent (the cell to come) does not exist yet.
    const parent = Y.createID(student.clientID, Y.getState(server.store, student.clientID));
    const key = new Y.Item(
      Y.createID(777, 0),
      null,
      null,
      null,
      null,
      parent as never,
      'metadata',
      new Y.ContentAny([{ nbgrader: { grade: true } }]),
    );
    expect(inspectUpdate(server, encodeStructs([key]), 'student')).toMatchObject({
      ok: false,
      reason: 'unresolved',
    });
  });

  it('refuses a struct that starts inside the teacher\u2019s history and runs past it', () => {
    const { server } = setup();
    const teacher = new Y.Doc();
    Y.applyUpdate(teacher, Y.encodeStateAsUpdate(server));
    const sv = Y.encodeStateVector(server);
    sourceOf(getCell(teacher, 'test')).insert(16, ' and f(3) == 6');
    // The teacher's new characters, re-sent by a pupil from one clock earlier
    // than the server has: Yjs would glue the new part after the known one.
    const client = teacher.clientID;
    const state = Y.getState(server.store, client);
    const full = decodeStructs(Y.encodeStateAsUpdate(teacher, sv)).filter((s) => s.id.client === client);
    const first = full[0] as Y.Item;
    expect(first.id.clock).toBe(state);
    const overlapping = new Y.Item(
      Y.createID(client, state - 1),
      null,
      first.origin,
      null,
      first.rightOrigin,
      null,
      null,
      new Y.ContentString(`!${(first.content as Y.ContentString).str}`),
    );
    const u = encodeStructs([overlapping]);
    expect(inspectUpdate(server, u, 'student')).toMatchObject({ ok: false, reason: 'unresolved' });
  });

  it('refuses deletions of clocks the server has not seen yet (they would wait and hit later edits)', () => {
    const { server } = setup();
    const client = [...server.store.clients.keys()][0]!;
    const state = Y.getState(server.store, client);
    const u = encodeStructs([], [[client, state, 20]]);
    expect(inspectUpdate(server, u, 'student')).toMatchObject({ ok: false, reason: 'unresolved' });
  });

  it('refuses an item whose neighbour is its own later clock, and a cycle of neighbours', () => {
    const { server } = setup();
    const c = 999;
    const a = new Y.Item(
      Y.createID(c, 0),
      null,
      Y.createID(c, 1),
      null,
      null,
      null,
      null,
      new Y.ContentString('a'),
    );
    const b = new Y.Item(
      Y.createID(c, 1),
      null,
      Y.createID(c, 0),
      null,
      null,
      null,
      null,
      new Y.ContentString('b'),
    );
    expect(inspectUpdate(server, encodeStructs([a, b]), 'student')).toMatchObject({
      ok: false,
      reason: 'unresolved',
    });
  });

  it('caps the structs of one update before decoding it, and checks a long chain in linear time', () => {
    const { server, student } = setup();
    const u = chainedInserts(student, sourceOf(getCell(student, 'free')), 20_000);
    expect(inspectUpdate(server, u, 'student', { maxStructs: 10_000 })).toMatchObject({
      ok: false,
      reason: 'too-many-structs',
    });
    const start = performance.now();
    expect(inspectUpdate(server, u, 'student')).toMatchObject({ ok: true, structs: 20_000 });
    // The cubic check took minutes here; a linear one takes milliseconds even on a busy machine.
    expect(performance.now() - start).toBeLessThan(2000);
    const other = setup();
    const locked = chainedInserts(other.student, sourceOf(getCell(other.student, 'ro')), 5_000);
    expect(findLockViolation(other.server, locked, 'student')).toEqual({ cellId: 'ro', operation: 'edit' });
  });

  it('caps what deletion ranges cover: a few bytes may span a whole document', () => {
    const { server, student } = setup();
    Y.applyUpdate(server, chainedInserts(student, sourceOf(getCell(student, 'free')), 3000));
    const client = student.clientID;
    const u = encodeStructs([], [[client, 0, Y.getState(server.store, client)]]);
    expect(u.length).toBeLessThan(20);
    expect(inspectUpdate(server, u, 'student', { maxDeletedStructs: 1000 })).toMatchObject({
      ok: false,
      reason: 'too-many-structs',
    });
    expect(inspectUpdate(server, u, 'student')).toMatchObject({ ok: true });
  });

  it('keeps a YCell import consistent: the guard accepts what the teacher wrote', () => {
    const { server } = setup();
    const teacher = new Y.Doc();
    Y.applyUpdate(teacher, Y.encodeStateAsUpdate(server));
    const sv = Y.encodeStateVector(server);
    (getCell(teacher, 'ro') as YCell).set('cell_type', 'markdown');
    expect(findLockViolation(server, Y.encodeStateAsUpdate(teacher, sv), 'teacher')).toBeNull();
  });
});

describe('lock guard and the repair of concurrent moves', () => {
  it('accepts every update of a pupil who moved a locked cell while the teacher moved it too', () => {
    const { server } = setup();
    const join = () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
      return { doc, stop: watchNotebook(doc) };
    };
    const teacher = join();
    const pupil = join();
    const outbox: Uint8Array[] = [];
    pupil.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'server') outbox.push(u);
    });
    // Both move the test cell offline, then sync through the server, which checks the pupil's updates.
    const tsv = Y.encodeStateVector(server);
    moveCell(teacher.doc, 'test', 0, { role: 'teacher' });
    moveCell(pupil.doc, 'test', 4);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(teacher.doc, tsv), 'teacher');
    const checked: string[] = [];
    const deliver = () => {
      while (outbox.length > 0) {
        const u = outbox.shift()!;
        const verdict = inspectUpdate(server, u, 'student');
        checked.push(verdict.ok ? 'ok' : verdict.reason);
        if (verdict.ok) Y.applyUpdate(server, u, 'pupil');
      }
    };
    deliver();
    Y.applyUpdate(pupil.doc, Y.encodeStateAsUpdate(server), 'server');
    deliver();
    Y.applyUpdate(teacher.doc, Y.encodeStateAsUpdate(server), 'server');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(teacher.doc), 'teacher');
    Y.applyUpdate(pupil.doc, Y.encodeStateAsUpdate(server), 'server');
    deliver();
    // The pupil's move, then its repair once it sees the teacher's clone (drop one, keep one).
    expect(checked.length).toBeGreaterThan(1);
    expect(
      checked.every((c) => c === 'ok'),
      checked.join(),
    ).toBe(true);
    const ids = cellsOf(server)
      .toArray()
      .map((c) => c.get('id'));
    expect(ids.filter((id) => id === 'test')).toHaveLength(1);
    expect(readCell(server, 'test').source).toBe('assert f(2) == 4');
    teacher.stop();
    pupil.stop();
  });
});

describe('lock guard against forged lineage records', () => {
  const lineageKey = (doc: Y.Doc, id: string): string => {
    const cell = getCell(doc, id);
    return `${cell._item!.id.client}:${cell._item!.id.clock}`;
  };

  it('refuses a record that puts a pupil cell into the lineage of a locked cell (the teacher would drop it)', () => {
    const { server, student, capture } = setup();
    const locked = lineageKey(server, 'test');
    const forge = () => {
      cellsOf(student).insert(0, [
        cellToY({ id: 'mine', cell_type: 'code', source: 'x', metadata: {}, outputs: [] }),
      ]);
      const key = lineageKey(student, 'mine');
      student.getMap('moves').set(key, {
        cell: 'mine',
        from: '1:0',
        to: key,
        root: locked,
        view: [],
        target: [],
        sv: new Uint8Array(),
        at: 0,
      });
    };
    const u = capture(forge);
    // Applied, every peer's repair keeps one cell per lineage: the teacher's browser deletes the test cell.
    const teacher = new Y.Doc();
    Y.applyUpdate(teacher, Y.encodeStateAsUpdate(server));
    const stop = watchNotebook(teacher);
    Y.applyUpdate(teacher, u);
    expect(
      cellsOf(teacher)
        .toArray()
        .some((c) => c.get('id') === 'test'),
    ).toBe(false);
    stop();
    expect(findLockViolation(server, u, 'student')).toEqual({ cellId: 'mine', operation: 'lock' });
  });

  it('refuses records naming another clone, another cell id, a forged root or a drop of a live cell', () => {
    const attempts: ((s: ReturnType<typeof setup>) => void)[] = [
      ({ student, server }) => {
        moveCell(student, 'free', 3);
        const key = lineageKey(student, 'free');
        const record = student.getMap('moves').get(key) as Record<string, unknown>;
        student.getMap('moves').set(key, { ...record, root: lineageKey(server, 'test') });
      },
      ({ student }) => {
        moveCell(student, 'free', 3);
        const key = lineageKey(student, 'free');
        const record = student.getMap('moves').get(key) as Record<string, unknown>;
        student.getMap('moves').set(key, { ...record, cell: 'test' });
      },
      ({ student, server }) => {
        student.getMap('moves').set(`drop:${lineageKey(server, 'test')}`, {
          kind: 'drop',
          cell: 'test',
          from: lineageKey(server, 'test'),
          to: lineageKey(server, 'free'),
          root: lineageKey(server, 'test'),
          at: 0,
        });
      },
      ({ student }) => student.getMap('moves').set('1:1', new Y.Map() as never),
    ];
    for (const [i, attempt] of attempts.entries()) {
      const s = setup();
      const u = s.capture(() => attempt(s));
      expect(findLockViolation(s.server, u, 'student')?.operation, `attempt ${i}`).toBe('lock');
    }
  });
});
