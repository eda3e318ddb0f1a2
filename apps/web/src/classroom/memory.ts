import type { ActivityMode } from './format.js';

// What this device remembers of activities: the pupil's access to each one
// (so that a pupil who comes back continues in the same copy) and the
// teacher's links to their dashboards. Storage may be refused: the pages then
// work without memory. Everything read back is checked: it may be old or edited.

/** A pupil's access to one activity, kept on this device. */
export interface PupilAccess {
  activityId: string;
  code: string;
  title: string;
  mode: ActivityMode;
  deadline: string | null;
  name: string;
  room: string;
  token: string;
  pairCode?: string;
  /** The pupil's personal code, to come back from another computer (shown in the banner). */
  resumeCode?: string;
}

/** A teacher's access to one activity's dashboard. */
export interface TeacherAccess {
  activityId: string;
  title: string;
  code: string;
  token: string;
  createdAt: string;
}

/** The part of `localStorage` the memory uses (a Map-backed one in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const defaultStore = (): KeyValueStore | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
};

const isString = (v: unknown): v is string => typeof v === 'string';

const readJson = (store: KeyValueStore | null, key: string): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(store?.getItem(key) ?? 'null');
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
};

const writeJson = (store: KeyValueStore | null, key: string, value: unknown): void => {
  try {
    store?.setItem(key, JSON.stringify(value));
  } catch {
    // Full or refused: nothing to remember with.
  }
};

const asPupil = (v: Record<string, unknown> | null): PupilAccess | null => {
  if (!v) return null;
  const { activityId, code, title, mode, deadline, name, room, token, pairCode, resumeCode } = v;
  if (![activityId, code, title, mode, name, room, token].every(isString)) return null;
  const access: PupilAccess = {
    activityId: activityId as string,
    code: code as string,
    title: title as string,
    mode: mode as ActivityMode,
    deadline: isString(deadline) ? deadline : null,
    name: name as string,
    room: room as string,
    token: token as string,
  };
  if (isString(pairCode)) access.pairCode = pairCode;
  if (isString(resumeCode)) access.resumeCode = resumeCode;
  return access;
};

const asTeacher = (v: Record<string, unknown> | null): TeacherAccess | null => {
  if (!v) return null;
  const { activityId, title, code, token, createdAt } = v;
  if (![activityId, title, code, token, createdAt].every(isString)) return null;
  return v as unknown as TeacherAccess;
};

/** Returns the classroom memory of this device (or of `store`). */
export const classroomMemory = (store: KeyValueStore | null = defaultStore()) => ({
  /** Keeps a pupil's access, found again by activity and by join code. */
  savePupil(access: PupilAccess): void {
    writeJson(store, `candyce:pupil:${access.activityId}`, access);
    writeJson(store, `candyce:code:${access.code}`, { activityId: access.activityId });
  },
  /** The pupil's access to the activity `activityId`, if this device joined it. */
  pupil(activityId: string): PupilAccess | null {
    return asPupil(readJson(store, `candyce:pupil:${activityId}`));
  },
  /** The pupil's access to the activity of join code `code`, if this device joined it. */
  pupilByCode(code: string): PupilAccess | null {
    const ref = readJson(store, `candyce:code:${code}`);
    return isString(ref?.activityId) ? this.pupil(ref.activityId) : null;
  },
  /** Forgets the pupil's access to `activityId` (to join again under another name). */
  forgetPupil(activityId: string): void {
    const access = this.pupil(activityId);
    try {
      store?.removeItem(`candyce:pupil:${activityId}`);
      if (access) store?.removeItem(`candyce:code:${access.code}`);
    } catch {
      // Refused: nothing was kept anyway.
    }
  },
  /** Keeps a teacher's access to a dashboard. */
  saveTeacher(access: TeacherAccess): void {
    const list = this.teacherActivities().filter((a) => a.activityId !== access.activityId);
    writeJson(store, 'candyce:teaching', { list: [access, ...list].slice(0, 30) });
  },
  /** The teacher's access to the activity `activityId`, if this device has its token. */
  teacher(activityId: string): TeacherAccess | null {
    return this.teacherActivities().find((a) => a.activityId === activityId) ?? null;
  },
  /**
   * Keeps a teacher token that came in a link, so that the link's fragment can
   * leave the address bar: updates the activity's entry, or adds one whose
   * title and code the dashboard fills in. Returns true when it is kept.
   */
  rememberTeacherToken(activityId: string, token: string): boolean {
    const known = this.teacher(activityId);
    this.saveTeacher(
      known
        ? { ...known, token }
        : { activityId, token, title: '', code: '', createdAt: new Date().toISOString() },
    );
    return this.teacher(activityId)?.token === token;
  },
  /** The dashboards this device created, newest first. */
  teacherActivities(): TeacherAccess[] {
    const list = readJson(store, 'candyce:teaching')?.list;
    return Array.isArray(list)
      ? list
          .map((v) => asTeacher(v && typeof v === 'object' ? (v as Record<string, unknown>) : null))
          .filter((v): v is TeacherAccess => v !== null)
      : [];
  },
});

/** The classroom memory of one device. */
export type ClassroomMemory = ReturnType<typeof classroomMemory>;
