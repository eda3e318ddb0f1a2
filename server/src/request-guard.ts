import type { IncomingMessage } from 'node:http';
import { requestUrl } from './http-util.js';

// Which web pages may talk to the server. Without CANDYCE_SECRET, being able
// to reach the port is the only credential, so any page open in the
// teacher's browser could use it: a page on another origin (its WebSocket
// and its "simple" POSTs are not stopped by CORS) or a page that rebinds its
// own DNS name to 127.0.0.1 (same origin for the browser, a foreign Host for
// us). With a secret, every request carries its token explicitly (no cookie),
// so a foreign page can only do what a token it was given allows: host
// platforms embed the editor from their own origin that way.

/** Who may reach the server from a browser; see {@link createRequestGuard}. */
export interface OriginPolicy {
  /** True without CANDYCE_SECRET: origins and hosts are then always checked. */
  readonly open: boolean;
  /** Origins (`https://school.example`) allowed besides the server's own (CANDYCE_ALLOWED_ORIGINS). */
  readonly allowedOrigins: readonly string[];
  /** The server's public URL (CANDYCE_PUBLIC_URL): its host is a known Host in open mode. */
  readonly publicUrl: string | null;
  /** The interface the server listens on: a known Host when it is a specific address. */
  readonly listenHost?: string;
  /**
   * Paths whose changing requests carry raw bytes (uploads of data files):
   * exempt from the JSON Content-Type rule, not from the Origin check. PUT is
   * never a "simple" request, so a foreign page still needs a preflight.
   */
  readonly rawBodyPath?: (path: string) => boolean;
}

/** Why a request is refused: an HTTP status, a sentence and the stable `code` of the answer. */
export interface Refusal {
  readonly status: 403 | 415 | 421;
  readonly error: string;
  readonly code: string;
}

/** The checks of one server; each returns null when the request may go on. */
export interface RequestGuard {
  /** Host and Origin of a WebSocket upgrade (any method: WebSockets ignore CORS). */
  upgrade(req: IncomingMessage): Refusal | null;
  /** Host of any request; Origin and Content-Type of one that changes something. */
  request(req: IncomingMessage): Refusal | null;
}

const loopbackName =
  /^(?:localhost|[^.]+\.localhost|127(?:\.\d{1,3}){3}|\[::1\]|\[::ffff:127(?:\.\d{1,3}){3}\])$/;
const changing = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);
// application/json, and the +json types (.ipynb is application/x-ipynb+json).
const jsonType = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** The host part (name or [IPv6]) of a `Host` header, lower-cased, without the port. */
const hostName = (host: string): string => {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.lastIndexOf(':');
  return colon >= 0 ? lower.slice(0, colon) : lower;
};

/** The origin (`scheme://host[:port]`) of a URL-ish string, lower-cased, or null. */
const originOf = (value: string): string | null => {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin.toLowerCase();
  } catch {
    return null;
  }
};

/**
 * Returns the Host, Origin and Content-Type checks of a server. In open mode:
 * a `Host` must be a loopback name or address, the listening address, or the
 * host of the public URL or of an allowed origin (DNS rebinding), and an
 * `Origin`, when present, must be the server's own (same host as `Host`) or
 * an allowed one. With a secret, Origin is checked only when an allowlist is
 * configured. A body of a changing request must be JSON in every mode, so
 * that a cross-origin page cannot send one without a CORS preflight, which
 * the server never grants.
 */
export const createRequestGuard = (policy: OriginPolicy): RequestGuard => {
  const allowedOrigins = new Set(
    [...policy.allowedOrigins, ...(policy.publicUrl ? [policy.publicUrl] : [])]
      .map(originOf)
      .filter((o): o is string => o !== null),
  );
  const knownHosts = new Set<string>();
  for (const origin of allowedOrigins) knownHosts.add(new URL(origin).hostname.toLowerCase());
  const listen = policy.listenHost?.toLowerCase();
  if (listen && listen !== '0.0.0.0' && listen !== '::')
    knownHosts.add(listen.includes(':') && !listen.startsWith('[') ? `[${listen}]` : listen);
  const checkOrigin = policy.open || policy.allowedOrigins.length > 0;

  const hostProblem = (req: IncomingMessage): Refusal | null => {
    if (!policy.open) return null;
    const host = req.headers.host;
    // Browsers always send Host; a raw client without one is not a rebinding page.
    if (host === undefined) return null;
    const name = hostName(host);
    if (loopbackName.test(name) || knownHosts.has(name)) return null;
    return {
      status: 421,
      error: `Unknown host ${JSON.stringify(host.slice(0, 100))}: a server without CANDYCE_SECRET answers only to localhost; set CANDYCE_PUBLIC_URL or CANDYCE_ALLOWED_ORIGINS to add a name`,
      code: 'unknown-host',
    };
  };

  const originProblem = (req: IncomingMessage): Refusal | null => {
    if (!checkOrigin) return null;
    const origin = req.headers.origin;
    if (origin === undefined) return null;
    const parsed = originOf(origin);
    if (parsed !== null) {
      if (allowedOrigins.has(parsed)) return null;
      const host = req.headers.host;
      if (host !== undefined && new URL(parsed).host === host.trim().toLowerCase()) return null;
    }
    return {
      status: 403,
      error: `Cross-origin request refused: ${JSON.stringify(origin.slice(0, 100))} is not this server's origin nor in CANDYCE_ALLOWED_ORIGINS`,
      code: 'cross-origin',
    };
  };

  return {
    upgrade: (req) => hostProblem(req) ?? originProblem(req),
    request(req) {
      const host = hostProblem(req);
      if (host) return host;
      if (!changing.has(req.method ?? 'GET')) return null;
      const origin = originProblem(req);
      if (origin) return origin;
      if (
        policy.rawBodyPath &&
        req.method === 'PUT' &&
        policy.rawBodyPath(requestUrl(req.url)?.pathname ?? '')
      )
        return null;
      const type = req.headers['content-type'];
      const hasBody =
        req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
      if ((hasBody || type !== undefined) && !jsonType.test(type ?? ''))
        return {
          status: 415,
          error: `Unsupported Content-Type ${JSON.stringify((type ?? '(none)').slice(0, 100))}: send application/json`,
          code: 'unsupported-media-type',
        };
      return null;
    },
  };
};
