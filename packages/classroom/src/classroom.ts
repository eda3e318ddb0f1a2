import {
  importIpynb,
  NotebookFormatError,
  type NotebookKernelspec,
  newCellId,
  setNotebookKernel,
} from '@candyce/model';
import type { FeatureHooks, FeatureKv, Identity, Logger, Room, RoomManager } from '@candyce/server';
import { KeyedMutex, TokenRevoked } from '@candyce/server';
import * as Y from 'yjs';
import { deadlinePassed, readOnlyReason } from './access.js';
import { assertRoomFor } from './caps.js';
import { removeCopy } from './copy-removal.js';
import { gradesCsv } from './csv.js';
import { EventHub } from './events.js';
import { Feedback } from './feedback.js';
import { mergeTemplate } from './fork.js';
import { badRequest, classroomError, type Lang } from './i18n.js';
import {
  copyRoom,
  newActivityId,
  newCopyId,
  newJoinCode,
  newPairCode,
  newPupilId,
  normaliseCode,
  parseRoom,
  templateRoom,
} from './ids.js';
import { LiveCopies } from './live.js';
import { classLabel, joinName, pupilName, teacherName } from './names.js';
import {
  digestCells,
  nextSnapshot,
  type PushPreview,
  planPush,
  pushIntoCopy,
  templateDigest,
} from './push.js';
import type { ActivityRecord, CopyRecord, Member, Mode } from './records.js';
import { ResumeCodes } from './resume.js';
import { isRevoked, tokenGenOf } from './revocation.js';
import { ActivityStore } from './store.js';
import { TeacherCodes } from './teacher-codes.js';
import { createMinter, type TokenMinter } from './tokens.js';
import { type CopyRow, type CopyStatus, copyRow, copyStatus } from './views.js';

/** What the classroom needs from its server. */
export interface ClassroomOptions {
  readonly rooms: () => RoomManager;
  readonly kv: FeatureKv;
  /** The server's effective secret (CANDYCE_SECRET, or the one the server keeps in open mode). */
  readonly secret: string;
  /** Lifetime of the tokens it mints, in seconds; default 180 days (capped by the server's maximum). */
  readonly tokenLifetimeSeconds?: number;
  readonly logger: Logger;
  /** Stops the server kernel of a room (a removed copy's), when the server runs kernels. */
  readonly stopKernel?: (room: string) => void;
  /**
   * Copies the data files of the room `from` to the room `to` and rewrites the
   * manifest of `to` (a new copy, or a whole push, gets its activity's files).
   */
  readonly copyFiles?: (from: string, to: string) => Promise<void>;
}

/** One activity in memory: its record and its copies in creation order. */
export interface ActivityState {
  readonly record: ActivityRecord;
  readonly copies: Map<string, CopyRecord>;
}

/** The answer to a join. */
export interface JoinResult {
  activity: { id: string; title: string; mode: Mode; deadline: string | null };
  pupil: Member;
  copy: { id: string | null; room: string; pairCode?: string };
  token: string;
  /** The pupil's personal code, given once: at their first join (absent afterwards and in demonstrations). */
  resumeCode?: string;
}

const blankNotebook = () => ({
  cells: [
    { cell_type: 'code', id: newCellId(), metadata: {}, source: '', outputs: [], execution_count: null },
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5,
});

/**
 * The classroom: activities, their copies, joins, hand-ins, comments, grades
 * and live statistics, on top of the room manager. Records live in memory and
 * are written through to LevelDB; every change to one activity runs under
 * that activity's turn, so a class joining at once gets one copy per pupil.
 */
export class Classroom {
  readonly events: EventHub;
  /** States, grades, hand-ins and comments of copies. */
  readonly feedback: Feedback;
  /** The room hooks that keep statistics and presence, and enforce read-only copies. */
  readonly hooks: FeatureHooks;
  private readonly activities = new Map<string, ActivityState>();
  private readonly codes = new Map<string, string>();
  private readonly live: LiveCopies;
  private readonly turns = new KeyedMutex();
  private readonly store: ActivityStore;
  private minterValue: TokenMinter | null = null;
  private teacherCodesValue: TeacherCodes | null = null;
  private resumeValue: ResumeCodes | null = null;

  constructor(private readonly options: ClassroomOptions) {
    this.store = new ActivityStore(options.kv);
    this.live = new LiveCopies(
      this.store,
      options.logger,
      (copy) => this.events.changed(copy.activity, null),
      (activity, task) => this.turns.run(activity, task),
    );
    this.events = new EventHub({
      dashboard: (activity) => {
        const state = this.activities.get(activity);
        return state ? { copies: this.rows(state) } : null;
      },
      status: (activity, copy) => {
        const state = this.activities.get(activity);
        const record = state?.copies.get(copy);
        return state && record ? this.status(state, record) : null;
      },
    });
    this.feedback = new Feedback({
      rooms: options.rooms,
      turns: this.turns,
      store: this.store,
      events: this.events,
    });
    this.hooks = {
      loaded: ({ room }) => this.roomLoaded(room),
      unloading: ({ room }) => this.roomUnloading(room),
      canWrite: ({ room, identity }) => this.canWrite(room.name, identity),
      joined: ({ room, identity }) => this.presence(room, identity, 1),
      left: ({ room, identity }) => this.presence(room, identity, -1),
    };
  }

  /**
   * Loads every activity and copy, and derives the minter and the keyed
   * hashes of codes from the server's effective secret.
   */
  async open(): Promise<void> {
    const secret = this.options.secret;
    this.minterValue = createMinter(secret, this.options.tokenLifetimeSeconds);
    this.teacherCodesValue = new TeacherCodes(secret);
    this.resumeValue = new ResumeCodes(this.options.kv, secret);
    await this.resumeValue.load();
    const { activities, copies } = await this.store.loadAll();
    for (const record of activities) {
      this.activities.set(record.id, { record, copies: new Map() });
      this.codes.set(record.code, record.id);
      this.teacherCodesValue.add(record.id, record.teacherCodeHash);
    }
    copies.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    for (const copy of copies) this.activities.get(copy.activity)?.copies.set(copy.id, copy);
  }

  /** Closes the event streams (first, at shutdown: they hold HTTP connections open). */
  closeEvents(): void {
    this.events.close();
  }

  /** Waits for running operations and writes the statistics not yet saved. */
  async close(): Promise<void> {
    this.events.close();
    await this.turns.idle();
    await this.live.flush();
  }

  private get minter(): TokenMinter {
    if (!this.minterValue) throw new Error('Classroom used before open()');
    return this.minterValue;
  }

  private get teacherCodes(): TeacherCodes {
    if (!this.teacherCodesValue) throw new Error('Classroom used before open()');
    return this.teacherCodesValue;
  }

  /**
   * Returns the activity of a teacher code and a new teacher token for it
   * (named as at creation, for the activity's owner), or null when no
   * activity has this code.
   */
  async recoverTeacher(
    lang: Lang,
    code: string,
  ): Promise<{ record: ActivityRecord; teacherToken: string } | null> {
    const id = this.teacherCodes.find(code);
    const state = id ? this.activities.get(id) : undefined;
    if (!state) return null;
    const { record } = state;
    const teacherToken = await this.minter.teacher(
      record.id,
      record.owner,
      record.teacherName ?? teacherName(lang),
      tokenGenOf(record),
    );
    this.options.logger.info({ activity: record.id }, 'teacher token recovered with the teacher code');
    return { record, teacherToken };
  }

  /** The pupils' personal codes. */
  private get resume(): ResumeCodes {
    if (!this.resumeValue) throw new Error('Classroom used before open()');
    return this.resumeValue;
  }

  /** Returns an activity, or null. */
  activity(id: string): ActivityState | null {
    return this.activities.get(id) ?? null;
  }

  /** Returns the activity of a join code (as typed), or null. */
  activityByCode(code: string): ActivityState | null {
    const id = this.codes.get(normaliseCode(code));
    return (id && this.activities.get(id)) || null;
  }

  // --- activities --------------------------------------------------------

  /**
   * Creates an activity: imports the notebook (a blank one when absent) into
   * the template room, and for the whole-class mode forks the class's copy.
   * Throws a bad-request error when the notebook is not a valid .ipynb.
   */
  async create(
    lang: Lang,
    owner: Identity,
    input: {
      title: string;
      mode: Mode;
      notebook?: unknown;
      deadline: string | null;
      maxCopies?: number;
      teacherName?: string;
      /** The kernel the teacher chose, written into the template's metadata. */
      kernelspec?: NotebookKernelspec;
    },
  ): Promise<{ record: ActivityRecord; teacherToken: string; teacherCode: string }> {
    const scratch = new Y.Doc();
    try {
      importIpynb(scratch, input.notebook ?? blankNotebook(), { kind: 'server', reason: 'import' });
    } catch (err) {
      if (err instanceof NotebookFormatError)
        throw badRequest(lang, `Notebook invalide : ${err.message}`, `Invalid notebook: ${err.message}`);
      throw err;
    }
    if (input.kernelspec)
      setNotebookKernel(scratch, input.kernelspec, { origin: { kind: 'server', reason: 'import' } });
    const rooms = this.options.rooms();
    let id = newActivityId();
    while (this.activities.has(id) || (await rooms.exists(templateRoom(id)))) id = newActivityId();
    let code = newJoinCode();
    while (this.codes.has(code)) code = newJoinCode();
    this.codes.set(code, id);
    const teacherCode = this.teacherCodes.issue(id);
    const name = input.teacherName || owner.name || teacherName(lang);
    try {
      return await this.turns.run(id, async () => {
        const template = await rooms.acquire(templateRoom(id));
        try {
          Y.applyUpdate(template.doc, Y.encodeStateAsUpdate(scratch), { kind: 'server', reason: 'import' });
          template.stampEpoch();
          await template.whenFlushed();
        } finally {
          rooms.release(template);
        }
        const record: ActivityRecord = {
          id,
          title: input.title,
          mode: input.mode,
          code,
          deadline: input.deadline,
          locked: false,
          joinOpen: true,
          createdAt: new Date().toISOString(),
          owner: owner.sub,
          teacherName: name,
          tokenGen: 0,
          ...(input.maxCopies !== undefined ? { maxCopies: input.maxCopies } : {}),
          teacherCodeHash: teacherCode.hash,
          pushed: { at: null, cells: digestCells(scratch) },
        };
        const state: ActivityState = { record, copies: new Map() };
        const copies: CopyRecord[] = [];
        if (input.mode === 'class') {
          copies.push(await this.fork(state, 'class', classLabel(lang), null, []));
        }
        await this.store.saveAll(record, copies);
        this.activities.set(id, state);
        for (const copy of copies) await this.register(state, copy);
        const teacherToken = await this.minter.teacher(id, owner.sub, name, 0);
        this.options.logger.info({ activity: id, mode: input.mode, user: owner.sub }, 'activity created');
        return { record, teacherToken, teacherCode: teacherCode.code };
      });
    } catch (err) {
      if (!this.activities.has(id)) {
        this.codes.delete(code);
        this.teacherCodes.remove(teacherCode.hash);
      }
      throw err;
    }
  }

  /** Changes an activity's title, deadline, lock or joining, and tells every open page. */
  async update(
    state: ActivityState,
    patch: {
      title?: string;
      deadline?: string | null;
      locked?: boolean;
      joinOpen?: boolean;
      maxCopies?: number;
    },
  ): Promise<ActivityRecord> {
    return this.turns.run(state.record.id, async () => {
      const before = { ...state.record };
      Object.assign(state.record, patch);
      try {
        await this.store.saveActivity(state.record);
      } catch (err) {
        Object.assign(state.record, before);
        throw err;
      }
      this.events.changed(state.record.id);
      return state.record;
    });
  }

  // --- joining -----------------------------------------------------------

  /**
   * Joins an activity by its code. `identity` is the pupil's token when the
   * request had one (a host platform's, or one this server minted): its `sub`
   * gets back the same copy. Without one, `name` is required and the pupil
   * gets a new pseudonymous id.
   */
  async join(
    lang: Lang,
    identity: Identity | null,
    input: { code: string; name: unknown; pairCode: unknown; resumeCode?: unknown },
  ): Promise<JoinResult> {
    const id = this.codes.get(normaliseCode(input.code));
    const state = id ? this.activities.get(id) : undefined;
    if (!state) throw classroomError(lang, 'unknown-code');
    const record = state.record;
    if (typeof input.resumeCode === 'string' && input.resumeCode.trim() !== '')
      return this.rejoin(lang, state, input.resumeCode);
    // A pupil who has a copy gets it back even once joining is closed.
    const returning =
      identity?.role === 'student' &&
      [...state.copies.values()].some((c) => c.members.some((m) => m.id === identity.sub));
    if (!returning && (!record.joinOpen || deadlinePassed(record)))
      throw classroomError(lang, 'code-expired');
    let pupil: Member;
    const anonymous = !(identity?.role === 'student' && identity.name);
    if (identity?.role === 'student' && identity.name) pupil = { id: identity.sub, name: identity.name };
    else pupil = { id: newPupilId(), name: pupilName(lang, input.name) };
    return this.turns.run(record.id, async () => {
      const activity = { id: record.id, title: record.title, mode: record.mode, deadline: record.deadline };
      // In the turn: the names taken are those of the pupils who joined before.
      if (anonymous)
        pupil = { ...pupil, name: joinName(lang, pupil.name, record.teacherName, this.names(state)) };
      if (record.mode === 'demo') {
        const token = await this.minter.viewer(record.id, pupil.id, pupil.name);
        return { activity, pupil, copy: { id: null, room: templateRoom(record.id) }, token };
      }
      let copy = [...state.copies.values()].find((c) => c.members.some((m) => m.id === pupil.id));
      const joinsPartner = typeof input.pairCode === 'string' && input.pairCode.trim() !== '';
      // A new copy, or a new pupil in the class's, needs room under the cap; a partner fills a place.
      if (!copy && !(record.mode === 'pairs' && joinsPartner)) assertRoomFor(lang, record, state.copies);
      if (copy) pupil = copy.members.find((m) => m.id === pupil.id)!;
      else if (record.mode === 'individual') copy = await this.addCopy(state, pupil.name, null, [pupil]);
      else if (record.mode === 'class') copy = await this.addMember(state.copies.get('class')!, pupil);
      else if (joinsPartner && typeof input.pairCode === 'string') {
        const pairCode = normaliseCode(input.pairCode);
        const partner = [...state.copies.values()].find((c) => c.pairCode === pairCode);
        if (!partner) throw classroomError(lang, 'unknown-pair-code');
        if (partner.members.length >= 2) throw classroomError(lang, 'pair-full');
        copy = await this.addMember(partner, pupil);
      } else copy = await this.addCopy(state, pupil.name, this.newPairCode(state), [pupil]);
      const token = await this.minter.pupil(record.id, copy.id, pupil.id, pupil.name);
      // A pupil gets their personal code once; one who joined before codes existed gets one now.
      const resumeCode = this.resume.has(record.id, copy.id, pupil.id)
        ? undefined
        : await this.resume.issue(record.id, copy.id, pupil.id);
      this.events.changed(record.id, copy.id);
      return {
        activity,
        pupil,
        copy: { id: copy.id, room: copy.room, ...(copy.pairCode ? { pairCode: copy.pairCode } : {}) },
        token,
        ...(resumeCode ? { resumeCode } : {}),
      };
    });
  }

  /**
   * A pupil back with their personal code, from any computer: their own
   * copy and identity again, even once joining is closed or the deadline
   * passed. An unknown code is `unknown-resume-code` (the route counts it as
   * a wrong attempt).
   */
  private async rejoin(lang: Lang, state: ActivityState, code: string): Promise<JoinResult> {
    const record = state.record;
    const target = this.resume.find(record.id, code);
    const copy = target ? state.copies.get(target.copy) : undefined;
    const pupil = copy?.members.find((m) => m.id === target?.member);
    if (!copy || !pupil) throw classroomError(lang, 'unknown-resume-code');
    const token = await this.minter.pupil(record.id, copy.id, pupil.id, pupil.name);
    return {
      activity: { id: record.id, title: record.title, mode: record.mode, deadline: record.deadline },
      pupil,
      copy: { id: copy.id, room: copy.room, ...(copy.pairCode ? { pairCode: copy.pairCode } : {}) },
      token,
    };
  }

  /**
   * Gives the pupil `member` of `copy` a new personal code (the old one
   * stops working): the teacher's way to let a pupil who lost theirs back in.
   * Resolves to null when `member` is not a pupil of the copy.
   */
  async newResumeCode(state: ActivityState, copy: CopyRecord, member: string): Promise<string | null> {
    return this.turns.run(state.record.id, async () =>
      copy.members.some((m) => m.id === member) ? this.resume.issue(state.record.id, copy.id, member) : null,
    );
  }

  /** Creates a copy with a pair code and no pupil yet (a pair formed by the teacher). */
  async addPairCopy(lang: Lang, state: ActivityState, label: string): Promise<CopyRecord> {
    return this.turns.run(state.record.id, async () => {
      assertRoomFor(lang, state.record, state.copies);
      const copy = await this.addCopy(state, label, this.newPairCode(state), []);
      this.events.changed(state.record.id, copy.id);
      return copy;
    });
  }

  /** The names of every pupil of an activity. */
  private *names(state: ActivityState): Iterable<string> {
    for (const copy of state.copies.values()) for (const member of copy.members) yield member.name;
  }

  /**
   * Removes a copy for good (see copy-removal.ts): its room, record and
   * hand-ins; its pupils are disconnected and their links open nothing.
   */
  async removeCopy(state: ActivityState, copy: CopyRecord): Promise<void> {
    await this.turns.run(state.record.id, async () => {
      if (state.copies.get(copy.id) !== copy) return;
      await removeCopy(
        {
          rooms: this.options.rooms(),
          store: this.store,
          live: this.live,
          events: this.events,
          logger: this.options.logger,
          ...(this.options.stopKernel ? { stopKernel: this.options.stopKernel } : {}),
        },
        state,
        copy,
      );
    });
  }

  /**
   * Revokes every teacher link of an activity: its token generation moves
   * on, so older teacher tokens are refused from now on (HTTP 401, WebSocket
   * 4401), their open connections and dashboards are closed, and a new
   * teacher token is minted for `by`.
   */
  async revokeTeacherTokens(state: ActivityState, by: Identity, lang: Lang): Promise<string> {
    return this.turns.run(state.record.id, async () => {
      const gen = tokenGenOf(state.record) + 1;
      await this.store.saveActivity({ ...state.record, tokenGen: gen });
      state.record.tokenGen = gen;
      const name = by.name || state.record.teacherName || teacherName(lang);
      const token = await this.minter.teacher(state.record.id, by.sub, name, gen);
      const rooms = this.options.rooms();
      for (const room of [templateRoom(state.record.id), ...[...state.copies.values()].map((c) => c.room)]) {
        const loaded = await rooms.peek(room);
        for (const member of loaded ? [...loaded.members] : []) {
          const identity = (member as { identity?: Identity | null }).identity;
          if (identity && isRevoked(identity, state.record)) member.close(TokenRevoked);
        }
      }
      this.events.changed(state.record.id);
      this.options.logger.info({ activity: state.record.id, gen }, 'teacher links revoked');
      return token;
    });
  }

  /** True when `identity` is a teacher token of an activity whose links were revoked since it was minted. */
  revoked(identity: Identity): boolean {
    if (identity.act === undefined) return false;
    return isRevoked(identity, this.activities.get(identity.act)?.record ?? null);
  }

  private newPairCode(state: ActivityState): string {
    const used = new Set([...state.copies.values()].map((c) => c.pairCode));
    let code = newPairCode();
    while (used.has(code)) code = newPairCode();
    return code;
  }

  private async addCopy(
    state: ActivityState,
    label: string,
    pairCode: string | null,
    members: Member[],
  ): Promise<CopyRecord> {
    let id = newCopyId();
    while (state.copies.has(id)) id = newCopyId();
    const copy = await this.fork(state, id, label, pairCode, members);
    await this.store.saveCopy(copy);
    await this.register(state, copy);
    return copy;
  }

  /** Adds a new copy to its activity and watches its room, loaded by the fork before the copy was known. */
  private async register(state: ActivityState, copy: CopyRecord): Promise<void> {
    state.copies.set(copy.id, copy);
    const room = await this.options.rooms().peek(copy.room);
    if (room && !this.live.has(room.name)) this.live.attach(room, copy);
  }

  private async fork(
    state: ActivityState,
    id: string,
    label: string,
    pairCode: string | null,
    members: Member[],
  ): Promise<CopyRecord> {
    const activity = state.record.id;
    const copy: CopyRecord = {
      id,
      activity,
      room: copyRoom(activity, id),
      label,
      pairCode,
      members,
      state: 'in-progress',
      handedInAt: null,
      grade: null,
      comments: [],
      createdAt: new Date().toISOString(),
      stats: { lastEditAt: null, cellsRun: 0, errors: 0 },
    };
    await mergeTemplate(this.options.rooms(), templateRoom(activity), copy.room);
    // The template's manifest came with its state map: the files it lists come too.
    await this.options.copyFiles?.(templateRoom(activity), copy.room);
    return copy;
  }

  private async addMember(copy: CopyRecord, pupil: Member): Promise<CopyRecord> {
    const members = [...copy.members, pupil];
    // A pair formed by a pupil is labelled with its names; a teacher's label stays.
    const first = copy.members[0];
    const label =
      copy.members.length === 1 && first && copy.label === first.name
        ? `${first.name} & ${pupil.name}`
        : copy.label;
    await this.store.saveCopy({ ...copy, members, label });
    copy.members = members;
    copy.label = label;
    return copy;
  }

  // --- copies ------------------------------------------------------------

  /** Returns the dashboard rows of an activity, copies in creation order. */
  rows(state: ActivityState): CopyRow[] {
    return [...state.copies.values()].map((copy) => copyRow(copy, this.live.online(copy.room)));
  }

  /** Returns what a copy's pupils see of it. */
  status(state: ActivityState, copy: CopyRecord): CopyStatus {
    return copyStatus(state.record, copy);
  }

  /** Returns what a push would change in the copies now, compared with the previous push. */
  async pushPreview(state: ActivityState): Promise<PushPreview & { copies: number }> {
    const previous = state.record.pushed ?? null;
    const current = await templateDigest(this.options.rooms(), templateRoom(state.record.id), previous);
    return { ...planPush(previous, current, null).preview, copies: state.copies.size };
  }

  /**
   * Pushes the template into every copy (push.ts): all of it, whose updates
   * merge with the pupils' edits, or only the cells `cells`, replaced. The
   * copies' statuses then name the cells changed, which pupils see
   * highlighted. Resolves to the number of copies and those cells.
   */
  async push(
    state: ActivityState,
    cells: readonly string[] | null = null,
  ): Promise<{ copies: number; cells: string[] }> {
    return this.turns.run(state.record.id, async () => {
      const rooms = this.options.rooms();
      const template = templateRoom(state.record.id);
      const previous = state.record.pushed ?? null;
      const current = await templateDigest(rooms, template, previous);
      const { touched, again } = planPush(previous, current, cells);
      for (const copy of state.copies.values()) {
        await pushIntoCopy(rooms, template, copy.room, cells, again);
        // A whole push brings the template's manifest along: the files it lists come too.
        if (cells === null) await this.options.copyFiles?.(template, copy.room);
      }
      const at = new Date().toISOString();
      state.record.pushed = nextSnapshot(previous, current, cells, at);
      for (const copy of state.copies.values()) copy.lastPush = { at, cells: touched };
      await this.store.saveAll(state.record, [...state.copies.values()]);
      this.events.changed(state.record.id);
      this.options.logger.info(
        { activity: state.record.id, copies: state.copies.size, cells: cells?.length ?? 'all' },
        'template pushed',
      );
      return { copies: state.copies.size, cells: touched };
    });
  }

  /** Returns the grades and hand-in times of an activity as CSV. */
  csv(state: ActivityState): string {
    return gradesCsv([...state.copies.values()]);
  }

  // --- room hooks --------------------------------------------------------

  private copyOfRoom(name: string): { state: ActivityState; copy: CopyRecord | null } | null {
    const parsed = parseRoom(name);
    const state = parsed ? this.activities.get(parsed.activity) : undefined;
    if (!parsed || !state) return null;
    return { state, copy: parsed.copy ? (state.copies.get(parsed.copy) ?? null) : null };
  }

  /**
   * May this identity change this room now? Teachers always; in an
   * activity's rooms a pupil only changes a copy of which they are a member,
   * while it is not read-only (deadline, lock, hand-in).
   */
  private canWrite(room: string, identity: Identity): boolean {
    if (identity.role !== 'student') return true;
    const found = this.copyOfRoom(room);
    if (!found) return true;
    const { state, copy } = found;
    if (!copy?.members.some((m) => m.id === identity.sub)) return false;
    return readOnlyReason(state.record, copy) === null;
  }

  private roomLoaded(room: Room): void {
    const copy = this.copyOfRoom(room.name)?.copy;
    if (copy) this.live.attach(room, copy);
  }

  private presence(room: Room, identity: Identity, change: 1 | -1): void {
    const found = this.copyOfRoom(room.name);
    if (!found?.copy) return;
    this.live.presence(room.name, identity.sub, change);
    this.events.changed(found.state.record.id, null);
  }

  private roomUnloading(room: Room): void {
    if (this.live.detach(room)) this.events.changed(parseRoom(room.name)!.activity, null);
  }
}
