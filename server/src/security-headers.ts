import type { ServerResponse } from 'node:http';

// The content security policy and framing rules of every page the server
// serves. The app's pages run only the app's own scripts (plus WebAssembly,
// for Pyodide), talk only to this server (and the allowed origins), and are
// framed by nobody, except the player page, which host platforms frame (the
// allowlist CANDYCE_EMBED_ORIGINS). HTML outputs with script run in
// /sandbox.html, a page of its own with a policy of its own: a `srcdoc` frame
// would inherit the app's policy, which forbids inline scripts.

/** What the headers depend on. */
export interface HeaderPolicy {
  /** Origins besides this server's that pages may connect to (sync servers of CANDYCE_ALLOWED_ORIGINS). */
  readonly connectOrigins: readonly string[];
  /** Origins that may frame the player page; empty: any (a player without a host's token shows nothing). */
  readonly embedOrigins: readonly string[];
  /** Sources pages may download linked notebooks from (`?from=`): `connect-src` only. */
  readonly linkSources?: readonly string[];
}

/** The kinds of responses with their own policy. */
export type PageKind = 'app' | 'player' | 'worker' | 'sandbox';

/** Returns the kind of a static path: the player page, kernel workers, the sandbox, or the app. */
export const pageKindOf = (path: string): PageKind => {
  if (path === '/sandbox.html') return 'sandbox';
  if (path === '/embed/player.html' || path.startsWith('/embed/player')) return 'player';
  if (path.startsWith('/kernels/') || path.startsWith('/pyodide/')) return 'worker';
  return 'app';
};

/** WebSocket forms (`ws://`, `wss://`) of http(s) origins, which CSP's `'self'` does not always cover. */
const withWebSockets = (origins: readonly string[]): string[] =>
  origins.flatMap((o) => [o, o.replace(/^http/, 'ws')]);

const appPolicy = (
  policy: HeaderPolicy,
  frameAncestors: string,
  script = "'self' 'wasm-unsafe-eval'",
): string =>
  [
    "default-src 'self'",
    // WebAssembly for Pyodide; no inline script, no eval.
    `script-src ${script}`,
    "worker-src 'self' blob:",
    // KaTeX and the editor set style attributes.
    "style-src 'self' 'unsafe-inline'",
    // Markdown may show images from anywhere (COEP credentialless lets them load).
    'img-src * data: blob:',
    "media-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${[...withWebSockets(policy.connectOrigins), ...(policy.linkSources ?? [])].join(' ')}`.trim(),
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');

const sandboxPolicy = [
  "default-src 'none'",
  "script-src 'unsafe-inline' 'unsafe-eval'",
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  'font-src data:',
  // Framed by the notebook page, wherever the element is (a host platform's page included).
  'frame-ancestors *',
].join('; ');

/**
 * Returns the security headers of a response of `kind`: its
 * Content-Security-Policy and, for pages nobody may frame, X-Frame-Options.
 */
export const securityHeaders = (kind: PageKind, policy: HeaderPolicy): Record<string, string> => {
  switch (kind) {
    case 'sandbox':
      return { 'content-security-policy': sandboxPolicy, 'cross-origin-resource-policy': 'cross-origin' };
    case 'player': {
      const ancestors = policy.embedOrigins.length > 0 ? policy.embedOrigins.join(' ') : '*';
      return { 'content-security-policy': appPolicy(policy, ancestors) };
    }
    case 'worker':
      // Pyodide's runtime compiles WebAssembly and evaluates the JavaScript it generates.
      return {
        'content-security-policy': appPolicy(policy, "'none'", "'self' 'wasm-unsafe-eval' 'unsafe-eval'"),
        'x-frame-options': 'DENY',
      };
    default:
      return { 'content-security-policy': appPolicy(policy, "'none'"), 'x-frame-options': 'DENY' };
  }
};

/** Sets the security headers of `path` on `res` (before the handler that writes its head). */
export const applySecurityHeaders = (res: ServerResponse, path: string, policy: HeaderPolicy): void => {
  for (const [name, value] of Object.entries(securityHeaders(pageKindOf(path), policy)))
    res.setHeader(name, value);
};

/**
 * The output frame page: it waits for the notebook page to send the output
 * (its full document, with its own meta policy) and writes it. Scripts of the
 * output run here, in an opaque origin, with no network.
 */
export const sandboxPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>output</title></head><body>
<script>
addEventListener('message', function show(event) {
  if (event.source !== parent || !event.data || event.data.type !== 'candyce-output' || typeof event.data.html !== 'string') return;
  removeEventListener('message', show);
  document.open();
  document.write(event.data.html);
  document.close();
});
</script>
</body></html>
`;
