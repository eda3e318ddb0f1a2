import { escapeHtml } from './escape.js';

// HTML outputs that need script (interactive plots) run in an iframe with
// `sandbox="allow-scripts"` and no `allow-same-origin`: the frame gets an
// opaque origin, so it reaches neither the page, its storage, nor its
// cookies. A content security policy written before the output's own markup
// also forbids network requests, so the output cannot send what it sees.

const csp =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:";

// Runs first in the frame: tells the page the height of the frame's content
// whenever it changes, so that the frame takes that height (the page cannot
// measure a frame of another origin itself).
const heightReporter = `<script>(function(){var last=-1;function send(){var h=Math.ceil(document.documentElement.getBoundingClientRect().height);if(h!==last){last=h;parent.postMessage({candyceFrameHeight:h},'*')}}try{var o=new ResizeObserver(send);window.__candyceSize=o;o.observe(document.documentElement);document.addEventListener('DOMContentLoaded',function(){o.observe(document.body)})}catch(e){}addEventListener('load',send)})()</script>`;

/** Returns the `srcdoc` of the sandboxed frame that shows `html`. */
export const sandboxDocument = (html: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}"><style>html,body{margin:0}body{font-family:system-ui,sans-serif}</style>${heightReporter}</head><body>${html}</body></html>`;

/** The smallest and largest heights (CSS pixels) a frame takes from its content's message. */
export const frameHeightBounds = { min: 16, max: 4000 } as const;

// The output frames on screen. A frame's message is believed only when it
// comes from that frame's own window, and only as a bounded height.
const frames = new Set<HTMLIFrameElement>();
let listening = false;

const onFrameMessage = (event: MessageEvent): void => {
  const data = event.data as { candyceFrameHeight?: unknown } | null;
  if (typeof data !== 'object' || data === null) return;
  const height = data.candyceFrameHeight;
  if (typeof height !== 'number' || !Number.isFinite(height)) return;
  for (const frame of frames) {
    if (!frame.isConnected) {
      frames.delete(frame);
      continue;
    }
    if (frame.contentWindow !== event.source || event.source === null) continue;
    const bounded = Math.min(frameHeightBounds.max, Math.max(frameHeightBounds.min, Math.ceil(height)));
    // A 1 px border on each side (the output-frame style).
    frame.style.height = `${bounded + 2}px`;
    return;
  }
};

/**
 * Makes `frame` take the height its content reports (the `ref` of an
 * output frame): called with the frame when it is rendered.
 */
export const sizeFrame = (frame: Element | undefined): void => {
  if (!(frame instanceof HTMLIFrameElement)) return;
  for (const known of frames) if (!known.isConnected) frames.delete(known);
  frames.add(frame);
  if (!listening) {
    listening = true;
    window.addEventListener('message', onFrameMessage);
  }
};

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
