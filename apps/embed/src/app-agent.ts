// The application's side of the MetaPlayer contract (what Capytale calls the
// app agent): the player page in the iframe exposes these methods to the host
// and calls the host's.

import {
  isMode,
  isTheme,
  isWorkflow,
  type Mode,
  methods,
  playerContracts,
  type Theme,
  type Workflow,
} from './contract.js';
import { type ContractLink, createContractLink } from './contract-link.js';

/** What the player does when the host calls it (each method may be async). */
export interface PlayerImplementation {
  /** `simple-content(json):1`: show `content` (an .ipynb object), or a blank notebook when null. Throws when it cannot. */
  loadContent(content: object | null): unknown;
  /** `simple-content(json):1`: the content to save (an .ipynb object). */
  getContent(): unknown;
  /** `simple-content(json):1`: the host saved what `getContent` returned. */
  contentSaved(): unknown;
  /** `mode:1`: how the activity is used. */
  setMode(mode: Mode): unknown;
  /** `theme:1`: light, dark, or null (none). */
  setTheme(theme: Theme): unknown;
  /** `workflow:1`: where the pupil's copy stands. */
  setWorkflow(workflow: Workflow): unknown;
}

/** The host, as the player sees it. */
export interface MetaPlayerConnection {
  /** Resolves with the contracts in force once the handshake completes. */
  readonly agreed: Promise<ReadonlySet<string>>;
  /** Tells the host that the user changed the content (it may show "unsaved changes"). */
  contentChanged(): void;
  destroy(): void;
}

/** Reads JSON given as a string (some hosts store it so), or passes an object through. */
const readContent = (value: unknown): object | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    try {
      return readContent(JSON.parse(value));
    } catch {
      throw new TypeError('loadContent: the content is a string that is not JSON');
    }
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError('loadContent: the content must be a notebook (.ipynb JSON object) or null');
  }
  return value;
};

/**
 * Connects the player page to its host (`window.parent`), exposes the
 * player's side of `simple-content(json):1`, `mode:1`, `theme:1` and
 * `workflow:1`, and once the handshake completes asks the host for the
 * current mode, theme and workflow of the contracts in force (the host may
 * also set them itself at any time). `origin` is the host's origin, or `*`
 * when it cannot be known (messages are still only read from the parent).
 */
export const connectMetaPlayer = (player: PlayerImplementation, origin: string): MetaPlayerConnection => {
  if (window.parent === window)
    throw new Error('The player is not in an iframe: there is no host to talk to');
  const a = methods.application;
  const m = methods.metaplayer;
  let link: ContractLink | null = null;
  const ask = async <T>(method: string, check: (v: unknown) => v is T, apply: (v: T) => unknown) => {
    const value = await link!.call(method);
    if (check(value)) await apply(value);
  };
  link = createContractLink({
    target: window.parent,
    origin,
    contracts: playerContracts,
    handlers: {
      [a.loadContent]: ([content]) => player.loadContent(readContent(content)),
      [a.getContent]: () => player.getContent(),
      [a.contentSaved]: () => player.contentSaved(),
      [a.setMode]: ([mode]) => {
        if (!isMode(mode))
          throw new TypeError(`setMode: ${JSON.stringify(mode)} is not create, assignment, review or view`);
        return player.setMode(mode);
      },
      [a.setTheme]: ([theme]) => {
        if (!isTheme(theme ?? null))
          throw new TypeError(`setTheme: ${JSON.stringify(theme)} is not light, dark or null`);
        return player.setTheme((theme ?? null) as Theme);
      },
      [a.setWorkflow]: ([workflow]) => {
        if (!isWorkflow(workflow))
          throw new TypeError(
            `setWorkflow: ${JSON.stringify(workflow)} is not current, finished or corrected`,
          );
        return player.setWorkflow(workflow);
      },
    },
    onSession: (agreed) => {
      const failed = () => undefined; // the host may implement the contract without this getter: keep the default
      if (agreed.has('mode')) void ask(m.getCurrentMode, isMode, (v) => player.setMode(v)).catch(failed);
      if (agreed.has('theme')) void ask(m.getCurrentTheme, isTheme, (v) => player.setTheme(v)).catch(failed);
      if (agreed.has('workflow'))
        void ask(m.getCurrentWorkflow, isWorkflow, (v) => player.setWorkflow(v)).catch(failed);
    },
  });
  const connection = link;
  return {
    agreed: connection.agreed,
    contentChanged: () => {
      void connection.agreed.then((agreed) => {
        if (agreed.has('simple-content(json)')) connection.notify(m.contentChanged);
      });
    },
    destroy: () => connection.destroy(),
  };
};
