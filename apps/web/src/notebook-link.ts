// Basthon and Capytale links: /n/<room>?ipynb=<notebook, zlib-compressed then
// URL-safe base64, as Basthon's share links "eJ…"> or ?from=<URL of an .ipynb>
// open that notebook into the room. Only into an empty room: a link never
// replaces what people wrote (it says so instead). Everything read is
// bounded and checked; a broken link or content that is not a notebook gets a
// message in the page's language.

/** Why a link's notebook could not be opened. */
export type LinkProblem =
  | 'ipynb-garbage'
  | 'from-unreachable'
  | 'from-not-notebook'
  | 'too-large'
  | 'room-not-empty'
  | 'read-only';

/** An error that carries its {@link LinkProblem}. */
export class LinkError extends Error {
  constructor(
    readonly problem: LinkProblem,
    detail = '',
  ) {
    super(`${problem}${detail ? `: ${detail}` : ''}`);
  }
}

/** The most bytes a link's notebook may have once decompressed or downloaded (20 MiB). */
export const maxLinkedNotebookBytes = 20 * 1024 * 1024;

const texts = {
  fr: {
    'ipynb-garbage':
      'Le lien contient un carnet illisible (paramètre ipynb= abîmé ou tronqué) : rien n’a été importé.',
    'from-unreachable':
      'Le carnet du lien n’a pas pu être téléchargé (lien cassé, site injoignable ou qui refuse le partage) : rien n’a été importé.',
    'from-not-notebook': 'Le lien ne mène pas à un carnet Jupyter (.ipynb) : rien n’a été importé.',
    'too-large': 'Le carnet du lien dépasse 20 Mio : rien n’a été importé.',
    'room-not-empty':
      'Ce carnet contient déjà du travail : le carnet du lien n’a pas été importé. Ouvrez le lien avec un autre nom de carnet.',
    'read-only': 'Ce carnet est en lecture seule : le carnet du lien n’a pas été importé.',
    done: 'Carnet importé depuis le lien.',
  },
  en: {
    'ipynb-garbage':
      'The link holds a notebook that cannot be read (damaged or cut ipynb= parameter): nothing was imported.',
    'from-unreachable':
      'The link’s notebook could not be downloaded (broken link, site unreachable or refusing to share): nothing was imported.',
    'from-not-notebook': 'The link does not lead to a Jupyter notebook (.ipynb): nothing was imported.',
    'too-large': 'The link’s notebook is larger than 20 MiB: nothing was imported.',
    'room-not-empty':
      'This notebook already holds work: the link’s notebook was not imported. Open the link with another notebook name.',
    'read-only': 'This notebook is read only: the link’s notebook was not imported.',
    done: 'Notebook imported from the link.',
  },
} as const;

/** Returns the message of `problem` (or of success, `done`) in `lang`. */
export const linkText = (lang: 'fr' | 'en', problem: LinkProblem | 'done'): string => texts[lang][problem];

// Reads a stream to its end, refusing more than the limit.
const readBounded = async (stream: ReadableStream<Uint8Array>): Promise<Uint8Array> => {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxLinkedNotebookBytes) {
      void reader.cancel();
      throw new LinkError('too-large');
    }
    parts.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
};

// A notebook as far as the link is concerned: JSON with a list of cells (the import checks the rest).
const asNotebook = (bytes: Uint8Array, problem: LinkProblem): object => {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new LinkError(problem, 'not JSON');
  }
  if (!value || typeof value !== 'object' || !Array.isArray((value as { cells?: unknown }).cells))
    throw new LinkError(problem, 'no cells');
  return value;
};

/** Decodes the value of `?ipynb=`: URL-safe base64 of the zlib-compressed (RFC 1950) notebook JSON. */
export async function decodeIpynbParam(value: string): Promise<object> {
  const base64 = value.trim().replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(base64) || base64.length % 4 === 1)
    throw new LinkError('ipynb-garbage', 'not base64');
  let bytes: Uint8Array;
  try {
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    throw new LinkError('ipynb-garbage', 'not base64');
  }
  // 'deflate' is the zlib format (RFC 1950) in the Compression Streams API.
  const inflated = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
  let json: Uint8Array;
  try {
    json = await readBounded(inflated);
  } catch (error) {
    if (error instanceof LinkError) throw error;
    throw new LinkError('ipynb-garbage', 'not zlib');
  }
  return asNotebook(json, 'ipynb-garbage');
}

/** Downloads the notebook of `?from=` (http or https only), bounded in size and time. */
export async function fetchLinkedNotebook(url: string, timeoutMs = 20_000): Promise<object> {
  let target: URL;
  try {
    target = new URL(url, globalThis.location?.href);
  } catch {
    throw new LinkError('from-unreachable', 'not a URL');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:')
    throw new LinkError('from-unreachable', target.protocol);
  let response: Response;
  try {
    response = await fetch(target, {
      credentials: 'omit',
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'follow',
    });
  } catch (error) {
    throw new LinkError('from-unreachable', String(error));
  }
  if (!response.ok || !response.body) throw new LinkError('from-unreachable', `HTTP ${response.status}`);
  return asNotebook(await readBounded(response.body), 'from-not-notebook');
}

// A room is empty when no cell holds anything (a new room has none, or one empty cell).
const isEmptyRoom = (notebook: { cells?: { source?: unknown }[] }): boolean =>
  (notebook.cells ?? []).every(
    (cell) => String(Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? '')).trim() === '',
  );

/**
 * Imports the notebook named by the page's `?ipynb=` or `?from=` into the
 * room once it is in sync, if the room is empty; resolves with the message to
 * show (or null when the page has no such link).
 */
export async function openLinkedNotebook(
  params: URLSearchParams,
  element: { importNotebook(notebook: unknown): void; exportNotebook(): object },
  synced: Promise<void>,
  lang: 'fr' | 'en',
): Promise<{ ok: boolean; message: string } | null> {
  const ipynb = params.get('ipynb');
  const from = params.get('from');
  if (ipynb === null && from === null) return null;
  try {
    const notebook = ipynb !== null ? await decodeIpynbParam(ipynb) : await fetchLinkedNotebook(from ?? '');
    await synced;
    if (!isEmptyRoom(element.exportNotebook() as { cells?: { source?: unknown }[] }))
      throw new LinkError('room-not-empty');
    try {
      element.importNotebook(notebook);
    } catch (error) {
      if (String(error).includes('read-only')) throw new LinkError('read-only');
      throw new LinkError(ipynb !== null ? 'ipynb-garbage' : 'from-not-notebook', String(error));
    }
    return { ok: true, message: linkText(lang, 'done') };
  } catch (error) {
    const problem = error instanceof LinkError ? error.problem : 'from-unreachable';
    return { ok: false, message: linkText(lang, problem) };
  }
}

interface NotebookElement extends HTMLElement {
  importNotebook(notebook: unknown): void;
  exportNotebook(): object;
  readonly connection: { status: string } | undefined;
}

// Resolves once the room's content has arrived (or the notebook lives on this device only).
const whenSynced = (element: NotebookElement): Promise<void> =>
  new Promise((resolve) => {
    const check = () => {
      const status = element.connection?.status;
      if (status !== 'online' && status !== 'local') return;
      element.removeEventListener('candyce-status', check);
      resolve();
    };
    element.addEventListener('candyce-status', check);
    check();
  });

/**
 * On the notebook page: opens the notebook of the page's link (if any) into
 * the room, shows what happened in `#link-message`, and takes the link's
 * parameter out of the address so that a reload does not try again.
 */
let attached = false;

export function attachLinkedNotebook(lang: 'fr' | 'en'): void {
  if (attached) return;
  const params = new URLSearchParams(location.search);
  const element = document.querySelector('candyce-notebook') as NotebookElement | null;
  const message = document.getElementById('link-message');
  if (!element || !message || (!params.has('ipynb') && !params.has('from'))) return;
  attached = true;
  void openLinkedNotebook(params, element, whenSynced(element), lang).then((outcome) => {
    if (!outcome) return;
    message.textContent = outcome.message;
    message.dataset.outcome = outcome.ok ? 'imported' : 'refused';
    message.hidden = false;
    params.delete('ipynb');
    params.delete('from');
    const search = params.toString();
    history.replaceState(
      history.state,
      '',
      `${location.pathname}${search ? `?${search}` : ''}${location.hash}`,
    );
  });
}
