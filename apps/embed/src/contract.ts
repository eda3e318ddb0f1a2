// The Capytale MetaPlayer contract, as Candyce speaks it: the names and
// shapes both sides agree on, and the pure rules that follow from them. No
// DOM and no Node API: the player page, the host page and the tests share it.
//
// From Capytale's public description (capytale/metaplayer-rpc): the
// MetaPlayer (the host page) puts the application (our player) in an iframe;
// they talk through @mixer/postmessage-rpc with the service id
// `capytale-player`. Each side declares the contracts it implements, by name
// and version (`simple-content(json):1`, `mode:1`, `theme:1`, `workflow:1`),
// then says it is done; a contract is in force when both sides declared the
// same version of it. Each contract gives each side a few methods.

/** The postMessage RPC service id of the MetaPlayer contract. */
export const serviceId = 'capytale-player';

/** How the activity is being used: `create` (teacher edits the template), `assignment` (pupil works), `review` (teacher looks at a pupil's copy), `view` (read only). */
export type Mode = 'create' | 'assignment' | 'review' | 'view';

/** Where a pupil's copy stands: `current` (not handed in), `finished` (handed in), `corrected`. */
export type Workflow = 'current' | 'finished' | 'corrected';

/** The display theme; null when the host has none. */
export type Theme = 'light' | 'dark' | null;

/** A contract's name and version as declared over the wire (`version` 0: not implemented). */
export interface ContractId {
  readonly name: string;
  readonly version: number;
}

/** The contracts the player implements, in the order it declares them. */
export const playerContracts: readonly ContractId[] = [
  { name: 'simple-content(json)', version: 1 },
  { name: 'mode', version: 1 },
  { name: 'theme', version: 1 },
  { name: 'workflow', version: 1 },
];

/**
 * The RPC method names, by the side that exposes them. `declare` and `done`
 * carry the handshake on both sides; the others belong to one contract each.
 * Parameters go as an array (`call('setMode', ['view'])`), as Capytale's
 * postmessage-rpc integrations pass them.
 */
export const methods = {
  /** Exposed by both sides. */
  handshake: { declare: 'declare', done: 'done' },
  /** Exposed by the application (the player), called by the MetaPlayer. */
  application: {
    loadContent: 'loadContent',
    getContent: 'getContent',
    contentSaved: 'contentSaved',
    setMode: 'setMode',
    setTheme: 'setTheme',
    setWorkflow: 'setWorkflow',
  },
  /** Exposed by the MetaPlayer (the host), called by the application. */
  metaplayer: {
    contentChanged: 'contentChanged',
    getCurrentMode: 'getCurrentMode',
    getCurrentTheme: 'getCurrentTheme',
    getCurrentWorkflow: 'getCurrentWorkflow',
  },
} as const;

const modes: ReadonlySet<string> = new Set(['create', 'assignment', 'review', 'view']);
const workflows: ReadonlySet<string> = new Set(['current', 'finished', 'corrected']);

/** Returns true when `value` is a {@link Mode}. */
export const isMode = (value: unknown): value is Mode => typeof value === 'string' && modes.has(value);

/** Returns true when `value` is a {@link Workflow}. */
export const isWorkflow = (value: unknown): value is Workflow =>
  typeof value === 'string' && workflows.has(value);

/** Returns true when `value` is a {@link Theme} (`light`, `dark` or null). */
export const isTheme = (value: unknown): value is Theme =>
  value === null || value === 'light' || value === 'dark';

/**
 * Parses a contract id written `name:version` (`simple-content(json):1`).
 * Throws a RangeError naming the id when it is not of that form or its
 * version is not a positive integer.
 */
export const parseContractId = (id: string): ContractId => {
  const parts = id.split(':');
  const [name, version] = parts;
  if (parts.length !== 2 || !name || !version || !/^[1-9]\d*$/.test(version)) {
    throw new RangeError(`Contract id ${JSON.stringify(id)} is not of the form "name:version" (version ≥ 1)`);
  }
  return { name, version: Number(version) };
};

/** Writes a contract id as `name:version`. */
export const formatContractId = (id: ContractId): string => `${id.name}:${id.version}`;

/**
 * Reads the argument of a `declare` call: an array of `{ name, version }`.
 * Throws a TypeError naming what is wrong, so that a bad peer gets an RPC
 * error rather than a half-made handshake.
 */
export const readDeclaration = (value: unknown): ContractId[] => {
  if (!Array.isArray(value)) throw new TypeError('declare expects an array of { name, version }');
  return value.map((item, i) => {
    const { name, version } = (item ?? {}) as { name?: unknown; version?: unknown };
    if (typeof name !== 'string' || name === '') throw new TypeError(`declare: item ${i} has no name`);
    const v = version ?? 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new TypeError(`declare: contract ${JSON.stringify(name)} has version ${JSON.stringify(version)}`);
    }
    return { name, version: v };
  });
};

/**
 * Returns the contracts in force between two declarations: those both sides
 * declared with the same version, other than 0. A contract one side declared
 * and the other did not is not in force (the side that lacks it said nothing
 * or declared version 0).
 */
export const agreedContracts = (local: readonly ContractId[], remote: readonly ContractId[]): Set<string> => {
  const agreed = new Set<string>();
  for (const mine of local) {
    if (mine.version === 0) continue;
    if (remote.some((theirs) => theirs.name === mine.name && theirs.version === mine.version)) {
      agreed.add(mine.name);
    }
  }
  return agreed;
};

/** What the player lets its user do, derived from the mode and the workflow. */
export interface Access {
  /** True when nothing in the notebook can be changed. */
  readonly readonly: boolean;
  /** Why it is read-only, for the message shown: the mode, or the hand-in state. */
  readonly reason: 'view' | 'finished' | 'corrected' | null;
}

/**
 * Returns what the user may do in `mode` with the copy in `workflow`:
 * `create` (the teacher's template) and `review` (the teacher correcting a
 * pupil's copy) are editable; `view` is read-only; `assignment` is editable
 * while the copy is `current`, and read-only once it is `finished` (handed in)
 * or `corrected`. The workflow only binds pupils: a teacher reviewing a
 * handed-in copy can still write in it.
 */
export const accessOf = (mode: Mode, workflow: Workflow): Access => {
  if (mode === 'view') return { readonly: true, reason: 'view' };
  if (mode === 'assignment' && workflow !== 'current') return { readonly: true, reason: workflow };
  return { readonly: false, reason: null };
};
