// What the example host platform decides for each user of an activity: the
// room, the token's claims, and where it keeps the content it saves. A real
// platform decides the same from its own users and courses.
import type { Mode, Workflow } from './contract.js';
import type { TokenClaims } from './tokens.js';

/** Who opens an activity in the example host, in which mode. */
export interface HostVisit {
  /** The activity's id on the host (letters, digits, - and _). */
  readonly activity: string;
  readonly mode: Mode;
  /** The pupil whose copy is opened (`assignment`, `review`); ignored otherwise. */
  readonly pupil?: string;
  /** The pupil's copy state (`assignment`): a handed-in copy gets a read-only token. */
  readonly workflow?: Workflow;
  /** The display name of the person (shown to the others in the notebook). */
  readonly name: string;
}

/** The room, token claims and saved-content key of a visit. */
export interface HostSession {
  readonly room: string;
  readonly claims: TokenClaims;
  /** Where the host keeps the content it saves (`<activity>` or `<activity>/<pupil>`). */
  readonly contentKey: string;
  /** Where the first content of this room comes from when the host has none saved under `contentKey`. */
  readonly fallbackKey: string | null;
}

const idPattern = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * Room names are parts joined with `.`, a character room names allow and ids
 * never hold: `emb.<activity>` and `emb.<activity>.<pupil>`. With `-`, which
 * ids may hold, the copy of pupil `1` in activity `math` and the template of
 * activity `math-1` were the same room `emb-math-1`.
 */
const separator = '.';

/** The template room of an activity of the example host. */
export const templateRoomOf = (activity: string): string => ['emb', activity].join(separator);

/** The room of a pupil's copy of an activity of the example host. */
export const copyRoomOf = (activity: string, pupil: string): string =>
  ['emb', activity, pupil].join(separator);

/**
 * Returns the session of `visit`: the template room `emb.<activity>` for
 * `create` (a teacher token) and `view` (a viewer token), the pupil's copy
 * `emb.<activity>.<pupil>` for `assignment` (a student token, a viewer one
 * once the copy is finished or corrected, so the server refuses any change)
 * and `review` (a teacher token). Tokens open that one room only. Throws a
 * RangeError naming the value when an id is not of the allowed form.
 */
export const sessionOf = (visit: HostVisit): HostSession => {
  if (!idPattern.test(visit.activity)) {
    throw new RangeError(
      `Activity id ${JSON.stringify(visit.activity)} must be 1 to 40 letters, digits, - or _`,
    );
  }
  const name = visit.name.trim().slice(0, 60) || 'Anonyme';
  const template = templateRoomOf(visit.activity);
  if (visit.mode === 'create' || visit.mode === 'view') {
    return {
      room: template,
      claims: {
        sub: `host-${visit.mode === 'create' ? 'teacher' : 'visitor'}-${visit.activity}`,
        name,
        role: visit.mode === 'create' ? 'teacher' : 'viewer',
        rooms: [template],
      },
      contentKey: visit.activity,
      fallbackKey: null,
    };
  }
  const pupil = visit.pupil ?? '';
  if (!idPattern.test(pupil)) {
    throw new RangeError(`Pupil id ${JSON.stringify(pupil)} must be 1 to 40 letters, digits, - or _`);
  }
  const room = copyRoomOf(visit.activity, pupil);
  const handedIn = visit.mode === 'assignment' && (visit.workflow ?? 'current') !== 'current';
  return {
    room,
    claims: {
      sub: visit.mode === 'assignment' ? `host-pupil-${pupil}` : `host-teacher-${visit.activity}`,
      name,
      role: visit.mode === 'review' ? 'teacher' : handedIn ? 'viewer' : 'student',
      rooms: [room],
    },
    contentKey: `${visit.activity}/${pupil}`,
    fallbackKey: visit.activity,
  };
};
