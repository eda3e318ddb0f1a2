// The example host page. Part one plays Capytale's MetaPlayer: it asks its
// backend for a session (room, token, player URL), puts the Candyce player
// in an iframe, and drives it through the capytale-player contract: mode,
// theme, workflow, content in, content out. Part two places the
// <candyce-notebook> element directly in the page with the same kind of token.
import type { Mode, Theme, Workflow } from '../contract.js';
import { type ApplicationConnection, connectApplication } from '../mp-agent.js';
import { type HostText, hostText } from './texts.js';

/** What the host backend answers to POST /api/session. */
interface Session {
  room: string;
  role: string;
  token: string;
  server: string;
  playerUrl: string;
  contentKey: string;
  fallbackKey: string | null;
}

// Set by the host server: where the Candyce server is.
const config = { candyce: document.body.dataset.candyce ?? '', sync: document.body.dataset.sync ?? '' };
const params = new URLSearchParams(location.search);
const lang: 'fr' | 'en' = params.get('lang') === 'en' ? 'en' : 'fr';
const t = (key: HostText, p?: Record<string, string>) => hostText(lang, key, p);
document.documentElement.lang = lang;
document.title = t('title');

/** Makes an element with attributes and children; text goes in as text, never as HTML. */
const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
};

const field = (id: string, label: HostText, control: HTMLElement) => {
  control.id = id;
  return el('label', { for: id }, t(label), control);
};
const select = (options: [string, HostText][], value: string) => {
  const s = el('select');
  for (const [v, label] of options) s.append(el('option', { value: v }, t(label)));
  s.value = value;
  return s;
};

const activity = el('input', { value: params.get('activity') ?? 'demo', autocomplete: 'off' });
const mode = select(
  (['create', 'assignment', 'review', 'view'] as const).map((m) => [m, `mode.${m}` as HostText]),
  params.get('mode') ?? 'create',
);
const pupil = el('input', { value: params.get('pupil') ?? 'alice', autocomplete: 'off' });
const name = el('input', { value: params.get('name') ?? 'Alice', autocomplete: 'off' });
const workflow = select(
  (['current', 'finished', 'corrected'] as const).map((w) => [w, `workflow.${w}` as HostText]),
  'current',
);
const theme = select(
  [
    ['light', 'theme.light'],
    ['dark', 'theme.dark'],
    ['', 'theme.none'],
  ],
  'light',
);
const status = el('p', { id: 'player-status', class: 'status', role: 'status', 'aria-live': 'polite' });
const contracts = el('p', { id: 'player-contracts', class: 'status' });
const frameBox = el('div', { id: 'player-box' });
const elementBox = el('div', { id: 'element-box' });
const openButton = el('button', { type: 'button', id: 'open' }, t('open'));
const saveButton = el('button', { type: 'button', id: 'save' }, t('save'));
const elementButton = el('button', { type: 'button', id: 'element-open' }, t('elementOpen'));
const langLink = el(
  'a',
  { href: `?lang=${lang === 'fr' ? 'en' : 'fr'}`, lang: lang === 'fr' ? 'en' : 'fr' },
  t('switchLang'),
);

document
  .getElementById('app')!
  .append(
    el('header', {}, el('h1', {}, t('title')), langLink),
    el('p', {}, t('intro')),
    el(
      'fieldset',
      {},
      el('legend', {}, t('settings')),
      field('activity', 'activity', activity),
      field('mode', 'mode', mode),
      field('pupil', 'pupil', pupil),
      field('name', 'name', name),
      field('workflow', 'workflow', workflow),
      field('theme', 'theme', theme),
    ),
    el(
      'section',
      { 'aria-labelledby': 'player-title' },
      el('h2', { id: 'player-title' }, t('playerTitle')),
      el('div', { class: 'actions' }, openButton, saveButton),
      status,
      contracts,
      frameBox,
    ),
    el(
      'section',
      { 'aria-labelledby': 'element-title' },
      el('h2', { id: 'element-title' }, t('elementTitle')),
      el('p', {}, t('elementNote')),
      el('div', { class: 'actions' }, elementButton),
      elementBox,
    ),
  );

const say = (text: string, state: string, error = false) => {
  status.textContent = text;
  status.dataset.state = state;
  status.classList.toggle('error', error);
};

const currentTheme = (): Theme =>
  theme.value === 'dark' ? 'dark' : theme.value === 'light' ? 'light' : null;
const applyPageTheme = () => {
  const value = currentTheme();
  if (value) document.documentElement.dataset.theme = value;
  else delete document.documentElement.dataset.theme;
};
applyPageTheme();

/** Asks the host backend (which holds the secret) for a session of the chosen visit. */
const newSession = async (): Promise<Session> => {
  const response = await fetch('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      activity: activity.value.trim(),
      mode: mode.value,
      pupil: pupil.value.trim(),
      name: name.value,
      workflow: workflow.value,
      lang,
    }),
  });
  const body = (await response.json()) as Session & { error?: string };
  if (!response.ok) throw new Error(body.error ?? response.statusText);
  return body;
};

/** The content the host saved under `key`, or null. */
const savedContent = async (key: string): Promise<object | null> => {
  const response = await fetch(`/api/content/${key.split('/').map(encodeURIComponent).join('/')}`);
  const body = (await response.json()) as { content?: object | null; error?: string };
  if (!response.ok) throw new Error(body.error ?? response.statusText);
  return body.content ?? null;
};

let player: { app: ApplicationConnection; session: Session } | null = null;

/** Opens the chosen visit in a new player iframe and loads its content through the contract. */
const openPlayer = async () => {
  player?.app.destroy();
  player = null;
  frameBox.replaceChildren();
  contracts.textContent = '';
  const session = await newSession();
  const visitMode = mode.value as Mode;
  const iframe = el('iframe', {
    class: 'player',
    title: t('frameTitle'),
    // The player is on another origin: allow-same-origin gives it its own
    // (storage, its server's API), never this page's.
    sandbox: 'allow-scripts allow-same-origin allow-downloads allow-popups allow-forms',
    allow: 'clipboard-read; clipboard-write',
    referrerpolicy: 'no-referrer',
  });
  frameBox.append(iframe);
  const app = connectApplication(
    iframe,
    config.candyce,
    {
      contentChanged: () => say(t('dirty'), 'dirty'),
      getCurrentMode: () => visitMode,
      getCurrentTheme: currentTheme,
      getCurrentWorkflow: () => workflow.value as Workflow,
    },
    {
      onSession: (agreed) => {
        contracts.textContent = t('agreed', { list: [...agreed].join(', ') });
        void (async () => {
          try {
            if (agreed.has('mode')) await app.setMode(visitMode);
            if (agreed.has('theme')) await app.setTheme(currentTheme());
            if (agreed.has('workflow')) await app.setWorkflow(workflow.value as Workflow);
            const content =
              (await savedContent(session.contentKey)) ??
              (session.fallbackKey ? await savedContent(session.fallbackKey) : null);
            await app.loadContent(content);
            say(t('loaded', { mode: visitMode }), 'loaded');
          } catch (err) {
            say(t('failed', { detail: (err as Error).message }), 'failed', true);
          }
        })();
      },
    },
  );
  player = { app, session };
  // The token is in the fragment: it never reaches a server or a Referer.
  iframe.src = session.playerUrl;
};

/** Gets the content back through the contract, stores it on the host backend, and tells the player. */
const save = async () => {
  if (!player) return say(t('notOpen'), 'failed', true);
  const { app, session } = player;
  const content = (await app.getContent()) as { cells?: unknown[] };
  const key = session.contentKey.split('/').map(encodeURIComponent).join('/');
  const response = await fetch(`/api/content/${key}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(content),
  });
  if (!response.ok)
    throw new Error(((await response.json()) as { error?: string }).error ?? response.statusText);
  await app.contentSaved();
  say(t('saved', { cells: String(content.cells?.length ?? 0) }), 'saved');
};

/** Part two: the element itself in this page, with a token of the same session. */
const openElement = async () => {
  const session = await newSession();
  await import('./direct-element.js').then(({ showNotebook }) =>
    showNotebook(elementBox, { server: config.sync, room: session.room, token: session.token, lang }),
  );
};

const guard = (action: () => Promise<unknown>) => () => {
  action().catch((err: unknown) => say(t('failed', { detail: (err as Error).message }), 'failed', true));
};
openButton.addEventListener('click', guard(openPlayer));
saveButton.addEventListener('click', guard(save));
elementButton.addEventListener('click', guard(openElement));
mode.addEventListener('change', () => {
  if (player) guard(openPlayer)();
});
workflow.addEventListener('change', () => {
  if (player) guard(() => player!.app.setWorkflow(workflow.value as Workflow))();
});
theme.addEventListener('change', () => {
  applyPageTheme();
  if (player) guard(() => player!.app.setTheme(currentTheme()))();
});
