import '@candyce/editor';
import { html, nothing, render } from 'lit';
import { type WebMessageKey, webText } from './catalogue.js';
import { prefs } from './prefs.js';
import { isRoomName, notebookPath, routeOf, syncUrlOf } from './routes.js';

// The classroom web app: the home page (open or create a room by name) and
// the notebook page (/n/<room>), which hosts <candyce-notebook>. The server
// serves index.html for both paths.

const params = new URLSearchParams(location.search);
let lang: 'fr' | 'en' =
  params.get('lang') === 'en' ? 'en' : params.get('lang') === 'fr' ? 'fr' : prefs.lang();
const t = (key: WebMessageKey, p?: Record<string, string>) => webText(lang, key, p);
// A token given in the fragment never reaches a server log.
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';

const switchLang = () => {
  lang = lang === 'fr' ? 'en' : 'fr';
  prefs.setLang(lang);
  show();
};

const header = () => html`<header class="app-header">
  <a class="brand" href="/">${t('app.name')}</a>
  <span class="tagline">${t('app.tagline')}</span>
  <button type="button" class="lang" lang=${lang === 'fr' ? 'en' : 'fr'} aria-label=${t('lang.switch.label')} @click=${switchLang}>
    ${t('lang.switch')}
  </button>
</header>`;

const home = () => {
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const room = String(form.get('room') ?? '').trim();
    const error = document.getElementById('room-error')!;
    if (!isRoomName(room)) {
      error.textContent = t('home.invalid');
      (document.getElementById('room') as HTMLInputElement).focus();
      return;
    }
    prefs.setName(String(form.get('name') ?? '').trim());
    prefs.setRole(String(form.get('role') ?? 'student'));
    location.assign(notebookPath(room));
  };
  const recent = prefs.recent();
  return html`${header()}
    <main class="home">
      <h1>${t('home.title')}</h1>
      <form @submit=${onSubmit} novalidate>
        <label for="room">${t('home.room')}</label>
        <input id="room" name="room" required autocomplete="off" aria-describedby="room-help room-error" />
        <p id="room-help" class="help">${t('home.room.help')}</p>
        <p id="room-error" class="error" role="alert"></p>
        <label for="name">${t('home.name')}</label>
        <input id="name" name="name" autocomplete="given-name" .value=${prefs.name()} />
        <fieldset>
          <legend>${t('home.role')}</legend>
          ${(['student', 'teacher'] as const).map(
            (
              r,
            ) => html`<label class="radio"><input type="radio" name="role" value=${r} ?checked=${prefs.role() === r} />
              ${t(`home.role.${r}`)}</label>`,
          )}
        </fieldset>
        <button type="submit" class="primary">${t('home.open')}</button>
      </form>
      ${
        recent.length
          ? html`<section aria-labelledby="recent-title">
              <h2 id="recent-title">${t('home.recent')}</h2>
              <ul class="recent">${recent.map((r) => html`<li><a href=${notebookPath(r)}>${r}</a></li>`)}</ul>
            </section>`
          : nothing
      }
    </main>`;
};

const notebook = (room: string) => {
  document.title = t('notebook.title', { room });
  prefs.addRecent(room);
  const name = params.get('name') ?? prefs.name();
  if (!token && !name) {
    const onJoin = (e: SubmitEvent) => {
      e.preventDefault();
      const value = String(new FormData(e.target as HTMLFormElement).get('name') ?? '').trim();
      if (!value) return;
      prefs.setName(value);
      show();
    };
    return html`${header()}
      <main class="home">
        <h1>${room}</h1>
        <form @submit=${onJoin}>
          <label for="name">${t('notebook.askName')}</label>
          <input id="name" name="name" required autocomplete="given-name" />
          <button type="submit" class="primary">${t('notebook.join')}</button>
        </form>
      </main>`;
  }
  return html`${header()}
    <nav class="crumbs" aria-label=${t('app.name')}><a href="/">${t('notebook.back')}</a></nav>
    <main class="notebook-page">
      <h1 class="visually-hidden">${room}</h1>
      <candyce-notebook
        server=${params.get('server') ?? syncUrlOf(location)}
        room=${room}
        token=${token}
        kernel=${params.get('kernel') ?? 'pyodide'}
        lang=${lang}
        user-name=${name}
        user-role=${params.get('role') ?? prefs.role()}
        ?readonly=${params.has('readonly')}
      ></candyce-notebook>
    </main>`;
};

const show = () => {
  document.documentElement.lang = lang;
  const route = routeOf(location.pathname);
  render(route.page === 'notebook' ? notebook(route.room) : home(), document.getElementById('app')!);
};

show();

// Keeps the app shell in this browser once visited, so that a notebook opens
// with no network from its IndexedDB copy (see sw.ts). Needs a secure context
// (https, or localhost).
if ('serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}
