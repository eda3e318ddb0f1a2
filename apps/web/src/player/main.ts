import '@candyce/editor';
import { type CandyceNotebook, httpBaseOf } from '@candyce/editor';
import { connectMetaPlayer, type PlayerImplementation } from '@candyce/embed/app-agent';
import { accessOf, type Mode, type Theme, type Workflow } from '@candyce/embed/contract';
import { type PlayerParams, readPlayerParams } from '@candyce/embed/player-url';
import { exportIpynb } from '@candyce/model';
import { syncUrlOf } from '../routes.js';
import { type PlayerMessage, playerText } from './messages.js';
import { blankNotebook, prepareRoom, RoomError, type RoomOutcome } from './room.js';

// The Capytale player page (/embed/player.html): a host platform puts it in
// an iframe, gives the room and token in the URL's fragment, and drives it
// through the MetaPlayer contract (load and return content, mode, theme,
// workflow). It hosts one <candyce-notebook>.

const statusLine = document.getElementById('player-status')!;
const errorLine = document.getElementById('player-error')!;
const main = document.getElementById('player')!;

// French unless the host asks for English (Capytale: apps load in French by default).
let lang: 'fr' | 'en' = 'fr';
const t = (key: PlayerMessage, params?: Record<string, string>) => playerText(lang, key, params);

const showError = (message: string) => {
  errorLine.textContent = message;
  errorLine.hidden = message === '';
};

/** An error for the host: a plain sentence in the page's language, also shown in the page. */
const fail = (message: string, status = 0): never => {
  showError(message);
  throw Object.assign(new Error(message), { status });
};

const messageOf = (err: RoomError): string =>
  err.kind === 'badContent'
    ? t('badContent', { detail: err.detail })
    : err.kind === 'server'
      ? t('server', { status: String(err.status), detail: err.detail })
      : t(err.kind);

/** The parameters of the fragment, or null with the reason shown. */
const readParams = (): PlayerParams | null => {
  try {
    return readPlayerParams(location.hash);
  } catch (err) {
    showError(t('badUrl', { detail: (err as Error).message }));
    return null;
  }
};

/** Resolves once the notebook has synced with the server (or works offline); rejects when access is refused. */
const settled = (nb: CandyceNotebook): Promise<void> =>
  new Promise((resolve, reject) => {
    const check = (status: string) => {
      if (status === 'online' || status === 'offline' || status === 'local' || status === 'stale') {
        nb.removeEventListener('candyce-status', listener);
        resolve();
      } else if (status === 'denied') {
        nb.removeEventListener('candyce-status', listener);
        reject(new RoomError('forbidden', 403, 'the server refused the connection'));
      }
    };
    const listener = (e: Event) => check((e as CustomEvent<{ status: string }>).detail.status);
    nb.addEventListener('candyce-status', listener);
    check(nb.connection.status);
  });

const start = (params: PlayerParams) => {
  statusLine.textContent = t('waiting');
  const server = params.server || syncUrlOf(location);

  let nb: CandyceNotebook | null = null;
  let opening: Promise<void> | null = null;
  let outcome: RoomOutcome | null = null;
  let mode: Mode | null = null;
  let workflow: Workflow = 'current';
  // Until the host says the mode (or turns out not to speak the mode
  // contract), the notebook stays read-only: a viewer never gets a moment
  // of editing.
  let modeKnown = false;

  const applyAccess = () => {
    const access = accessOf(mode ?? 'assignment', workflow);
    const readonly = !modeKnown || access.readonly || outcome === 'local';
    if (nb) nb.readonly = readonly;
    const reason =
      outcome === 'local'
        ? t('localView')
        : access.reason === 'view'
          ? t('readonlyView')
          : access.reason === 'finished'
            ? t('readonlyFinished')
            : access.reason === 'corrected'
              ? t('readonlyCorrected')
              : '';
    statusLine.textContent = nb ? reason : t('waiting');
  };

  let changeTimer: ReturnType<typeof setTimeout> | null = null;
  // A notice still waiting is void once the host has the content (getContent)
  // or gave it (loadContent): it would say "unsaved" about what is saved.
  const dropPendingChange = () => {
    if (changeTimer) clearTimeout(changeTimer);
    changeTimer = null;
  };
  const onChange = (e: Event) => {
    if (!(e as CustomEvent<{ local: boolean }>).detail.local || changeTimer) return;
    // At most one notice every half second: the host only shows "unsaved".
    changeTimer = setTimeout(() => {
      changeTimer = null;
      host.contentChanged();
    }, 500);
  };

  const open = async (content: object | null) => {
    statusLine.textContent = t('loading');
    showError('');
    try {
      outcome = await prepareRoom(httpBaseOf(server), params.room, params.token, content);
    } catch (err) {
      statusLine.textContent = '';
      if (err instanceof RoomError) fail(messageOf(err), err.status);
      throw err;
    }
    const element = document.createElement('candyce-notebook') as CandyceNotebook;
    element.lang = lang;
    element.kernel = params.kernel || 'pyodide';
    element.readonly = true;
    if (outcome === 'local') {
      // Nothing to share: show the host's content in this page only.
      element.offline = false;
      element.room = params.room;
    } else {
      element.server = server;
      element.token = params.token;
      element.room = params.room;
    }
    element.addEventListener('candyce-change', onChange);
    main.append(element);
    nb = element;
    await element.updateComplete;
    if (outcome === 'local') {
      element.readonly = false;
      element.importNotebook(content ?? blankNotebook());
    } else {
      try {
        await settled(element);
      } catch (err) {
        fail(messageOf(err as RoomError), 403);
      }
    }
    dropPendingChange();
    applyAccess();
  };

  const player: PlayerImplementation = {
    async loadContent(content) {
      // A second call while the first is still opening waits for it, then replaces.
      if (opening) await opening.catch(() => undefined);
      if (!nb) {
        opening = open(content);
        try {
          return await opening;
        } finally {
          opening = null;
        }
      }
      // Loaded again: replace the live notebook for everyone in the room.
      if (nb.readonly) fail(t('readonlyReplace'), 409);
      try {
        nb.importNotebook(content ?? blankNotebook());
      } catch (err) {
        fail(t('badContent', { detail: (err as Error).message }), 400);
      }
      dropPendingChange();
    },
    getContent() {
      const doc = nb?.doc;
      if (!doc) return fail(t('notLoaded'), 409);
      dropPendingChange();
      return exportIpynb(doc);
    },
    contentSaved() {
      // Said briefly, unless a read-only reason is on show.
      if (statusLine.textContent) return;
      statusLine.textContent = t('saved');
      setTimeout(applyAccess, 3000);
    },
    setMode(next) {
      mode = next;
      modeKnown = true;
      applyAccess();
    },
    setWorkflow(next) {
      workflow = next;
      applyAccess();
    },
    setTheme(theme: Theme) {
      if (theme) document.documentElement.dataset.theme = theme;
      else delete document.documentElement.dataset.theme;
    },
  };

  // Only the embedding page may talk to the player (Chromium and Safari tell
  // its origin; elsewhere, or for an opaque "null" origin, messages are
  // still only read from the parent).
  const parentOrigin = location.ancestorOrigins?.[0];
  const hostOrigin = parentOrigin && parentOrigin !== 'null' ? parentOrigin : '*';
  const host = connectMetaPlayer(player, hostOrigin);
  void host.agreed.then((agreed) => {
    if (!agreed.has('mode')) {
      modeKnown = true;
      applyAccess();
    }
  });
};

const fragmentLang = new URLSearchParams(location.hash.slice(1)).get('lang');
if (fragmentLang === 'fr' || fragmentLang === 'en') lang = fragmentLang;
document.documentElement.lang = lang;
if (window.parent === window) {
  showError(t('notInFrame'));
} else {
  const params = readParams();
  if (params) start(params);
}
