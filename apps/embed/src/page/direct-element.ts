// The second way to embed: the <candyce-notebook> custom element in the
// host's own page. The host serves the editor's script itself (it installs
// @candyce/editor), so nothing but the WebSocket goes to the Candyce server.
import '@candyce/editor';
import type { CandyceNotebook } from '@candyce/editor';

/** Where and as whom the element opens its notebook. */
export interface ElementOptions {
  /** The Candyce sync URL (`wss://candyce.example/sync`). */
  server: string;
  room: string;
  /** A token minted by the host's backend. */
  token: string;
  lang: 'fr' | 'en';
}

/**
 * Replaces the content of `box` with a `<candyce-notebook>` opened on
 * `options.room`. Code does not run here (`kernel="none"`): running Python
 * in the page needs the Pyodide files served from the host's origin.
 */
export const showNotebook = (box: HTMLElement, options: ElementOptions): CandyceNotebook => {
  const nb = document.createElement('candyce-notebook') as CandyceNotebook;
  nb.server = options.server;
  nb.room = options.room;
  nb.token = options.token;
  nb.lang = options.lang;
  nb.kernel = 'none';
  box.replaceChildren(nb);
  return nb;
};
