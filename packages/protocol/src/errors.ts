// The one shape of an HTTP error answer, for every endpoint of the server
// and of its features: `{ error, code }`, plus fields a code documents (for
// example `retryAfter` with `kernels-busy`).

/** An error answer: a sentence in the request's language, and a stable code to match on. */
export interface ErrorBody {
  readonly error: string;
  readonly code: string;
}

const statusCodes: Readonly<Record<number, string>> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  410: 'gone',
  411: 'length-required',
  413: 'too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'too-many-requests',
  431: 'headers-too-large',
  500: 'internal',
  501: 'not-implemented',
  502: 'bad-gateway',
  503: 'unavailable',
  504: 'gateway-timeout',
};

/**
 * The code of an error that names none of its own: one per HTTP status
 * (`not-found` for 404…), `client-error` or `server-error` for the others.
 */
export const errorCodeOfStatus = (status: number): string =>
  statusCodes[status] ?? (status >= 500 ? 'server-error' : 'client-error');

/**
 * Reads an error answer from an untrusted JSON value: its sentence and its
 * code, each null when missing or not a string (a proxy's page, an older
 * server). Reads nothing else, so a hostile body cannot cost more.
 */
export const readErrorBody = (value: unknown): { error: string | null; code: string | null } => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: null, code: null };
  const { error, code } = value as { error?: unknown; code?: unknown };
  return {
    error: typeof error === 'string' ? error : null,
    code: typeof code === 'string' ? code : null,
  };
};
