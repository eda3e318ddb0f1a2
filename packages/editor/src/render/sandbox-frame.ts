import { escapeHtml } from './escape.js';

// HTML outputs that need script (interactive plots) run in an iframe with
// `sandbox="allow-scripts"` and no `allow-same-origin`: the frame gets an
// opaque origin, so it reaches neither the page, its storage, nor its
// cookies. A content security policy written before the output's own markup
// also forbids network requests, so the output cannot send what it sees.

const csp =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:";

/** Returns the `srcdoc` of the sandboxed frame that shows `html`. */
export const sandboxDocument = (html: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}"><style>body{margin:0;font-family:system-ui,sans-serif}</style></head><body>${html}</body></html>`;

/** The sandbox flags of output frames: scripts, and nothing that reaches the page or the user's session. */
export const sandboxFlags = 'allow-scripts';

/**
 * The URL of the output frame page of the Candyce server `server` (a sync
 * WebSocket URL), or null when there is none or it is not a URL.
 */
export const outputFrameUrlOf = (server: string | null | undefined): string | null => {
  if (!server) return null;
  try {
    const url = new URL(server, typeof location === 'undefined' ? undefined : location.href);
    url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
    url.pathname = `${url.pathname.replace(/\/sync\/?$/, '').replace(/\/$/, '')}/sandbox.html`;
    url.search = '';
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
};

/**
 * Hands `html` to a loaded output frame page, which writes it as its
 * document. The frame has an opaque origin: '*' is the only target that
 * reaches it, and what it receives is the output it shows anyway.
 */
export const showInFrame = (frame: HTMLIFrameElement, html: string): void => {
  frame.contentWindow?.postMessage({ type: 'candyce-output', html: sandboxDocument(html) }, '*');
};
