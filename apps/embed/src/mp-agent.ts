// The MetaPlayer's side of the contract (what Capytale calls the mp agent):
// the host page exposes these methods to the player in its iframe and calls
// the player's.

import {
  type ContractId,
  type Mode,
  methods,
  playerContracts,
  type Theme,
  type Workflow,
} from './contract.js';
import { type ContractLink, createContractLink } from './contract-link.js';

/** What the host answers when the player asks. */
export interface MetaPlayerImplementation {
  /** `simple-content(json):1`: the user changed the content (show "unsaved changes"). */
  contentChanged(): void;
  /** `mode:1` */
  getCurrentMode(): Mode;
  /** `theme:1` */
  getCurrentTheme(): Theme;
  /** `workflow:1` */
  getCurrentWorkflow(): Workflow;
}

/** The player in the iframe, as the host sees it. Every call rejects with the player's error message. */
export interface ApplicationConnection {
  /** Resolves with the contracts in force once the first handshake completes. */
  readonly agreed: Promise<ReadonlySet<string>>;
  /** Gives the player its content: an .ipynb object, or null for a new activity. */
  loadContent(content: object | null): Promise<void>;
  /** Asks the player for its content (the .ipynb of the live notebook). */
  getContent(): Promise<unknown>;
  /** Tells the player that the content it gave was saved. */
  contentSaved(): Promise<void>;
  setMode(mode: Mode): Promise<void>;
  setTheme(theme: Theme): Promise<void>;
  setWorkflow(workflow: Workflow): Promise<void>;
  destroy(): void;
}

/**
 * Connects the host page to the player in `iframe`, whose origin is
 * `origin` (the Candyce server's). Create it before or right after setting
 * the iframe's `src`: the handshake runs once the player page is up, and
 * again if it reloads (`onSession` is called each time: give it the mode and
 * the content there). The host declares the same four contracts as the
 * player unless `contracts` says otherwise.
 */
export const connectApplication = (
  iframe: HTMLIFrameElement,
  origin: string,
  host: MetaPlayerImplementation,
  options: { onSession?: (agreed: ReadonlySet<string>) => void; contracts?: readonly ContractId[] } = {},
): ApplicationConnection => {
  const target = iframe.contentWindow;
  if (!target) throw new Error('The player iframe is not in the document: add it to the page first');
  const m = methods.metaplayer;
  const a = methods.application;
  const start = () =>
    createContractLink({
      target,
      origin,
      contracts: options.contracts ?? playerContracts,
      handlers: {
        [m.contentChanged]: () => host.contentChanged(),
        [m.getCurrentMode]: () => host.getCurrentMode(),
        [m.getCurrentTheme]: () => host.getCurrentTheme(),
        [m.getCurrentWorkflow]: () => host.getCurrentWorkflow(),
      },
      ...(options.onSession ? { onSession: options.onSession } : {}),
    });
  // While the iframe still shows its first empty document (its src not loaded
  // yet), a message to the player's origin could not be delivered: start once
  // the player has loaded. A cross-origin document is already the player.
  const link = isBlank(target)
    ? new Promise<ContractLink>((resolve) => {
        const loaded = () => {
          if (isBlank(target)) return; // the first empty document's own load event
          iframe.removeEventListener('load', loaded);
          resolve(start());
        };
        iframe.addEventListener('load', loaded);
      })
    : Promise.resolve(start());
  const call = <T>(method: string, args: unknown[] = []) => link.then((l) => l.call<T>(method, args));
  return {
    agreed: link.then((l) => l.agreed),
    loadContent: (content) => call(a.loadContent, [content]),
    getContent: () => call(a.getContent),
    contentSaved: () => call(a.contentSaved),
    setMode: (mode) => call(a.setMode, [mode]),
    setTheme: (theme) => call(a.setTheme, [theme]),
    setWorkflow: (workflow) => call(a.setWorkflow, [workflow]),
    destroy: () => void link.then((l) => l.destroy()),
  };
};

/** True when `win` shows the iframe's initial about:blank (readable: it has this page's origin). */
const isBlank = (win: Window): boolean => {
  try {
    return win.location.href === 'about:blank';
  } catch {
    return false;
  }
};
