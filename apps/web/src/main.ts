import '@candyce/editor';
import { readTokenClaims } from '@candyce/editor';
import { html, nothing, render } from 'lit';
import { type WebMessageKey, webText } from './catalogue.js';
import { isJoinCode, normalizeCode, parseActivityRoom } from './classroom/format.js';
import { classroomMemory } from './classroom/memory.js';
import { prefs } from './prefs.js';
import { dashboardPath, isRoomName, joinPath, notebookPath, routeOf, withToken } from './routes.js';
import { allowedSyncServers, syncServerFor } from './sync-server.js';

// The classroom web app: the home page (open a room by name, create an
// activity, join one with a code), the join page (/j/<CODE>), the teacher's
// dashboard (/a/<id>, loaded on demand) and the notebook page (/n/<room>),
// which hosts <candyce-notebook>. The server serves index.html for every path.

const params = new URLSearchParams(location.search);
let lang: 'fr' | 'en' =
  params.get('lang') === 'en' ? 'en' : params.get('lang') === 'fr' ? 'fr' : prefs.lang();
const t = (key: WebMessageKey, p?: Record<string, string>) => webText(lang, key, p);
// A token given in the fragment never reaches a server log.
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';

// A teacher's token leaves the address bar once kept on this device: a
// projected screen must not show it. Pupils' links keep theirs (their page
// keeps its own memory of them).
{
  const claims = token ? readTokenClaims(token) : null;
  if (claims?.role === 'teacher' && claims.act && classroomMemory().rememberTeacherToken(claims.act, token))
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
}

/** The token of an activity's teacher: the link's, or the one this device keeps. */
const teacherToken = (activityId: string): string =>
  token || (classroomMemory().teacher(activityId)?.token ?? '');

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

// The first Tab stop of a notebook page: straight to the active cell, past the
// app's header, the activity's banner and the notebook's toolbar.
const skipLink = () =>
  html`<a class="skip-link" href="#main" @click=${(e: Event) => {
    e.preventDefault();
    document.querySelector<HTMLElement & { focusCell?: () => void }>('candyce-notebook')?.focusCell?.();
  }}>${t('notebook.skip')}</a>`;

const openRoomForm = () => {
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
  return html`<form class="stack" @submit=${onSubmit} novalidate>
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
  </form>`;
};

const joinCodeForm = () => {
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const code = normalizeCode(String(new FormData(e.target as HTMLFormElement).get('code') ?? ''));
    if (!isJoinCode(code)) {
      document.getElementById('home-code-error')!.textContent = t('join.error.code-shape');
      (document.getElementById('home-code') as HTMLInputElement).focus();
      return;
    }
    location.assign(joinPath(code));
  };
  return html`<form class="stack" @submit=${onSubmit} novalidate>
    <label for="home-code">${t('home.join.code')}</label>
    <div class="row wrap">
      <input id="home-code" name="code" class="code-input" autocomplete="off" autocapitalize="characters" spellcheck="false"
        maxlength="12" aria-describedby="home-code-error" />
      <button type="submit" class="primary">${t('home.join.submit')}</button>
    </div>
    <p id="home-code-error" class="error" role="alert"></p>
  </form>`;
};

// Each page's elements load with their route (the browser upgrades their tags
// when they arrive): the notebook page, which a class opens on old laptops,
// does not parse the home page's forms nor the classroom's pages.
const home = () => {
  void import('./pages/create-activity.js');
  void import('./pages/recover-activity.js');
  const recent = prefs.recent();
  const mine = classroomMemory().teacherActivities();
  return html`${header()}
    <main class="home-page">
      <h1 class="visually-hidden">${t('home.heading')}</h1>
      <div class="home-grid">
        <section class="card" aria-labelledby="join-heading">
          <h2 id="join-heading">${t('home.join.title')}</h2>
          ${joinCodeForm()}
        </section>
        <section class="card create" aria-labelledby="create-heading">
          <h2 id="create-heading">${t('home.create.title')}</h2>
          <p class="help">${t('home.create.help')}</p>
          <candyce-create-activity lang=${lang}></candyce-create-activity>
        </section>
        ${
          mine.length
            ? html`<section class="card" aria-labelledby="mine-heading">
                <h2 id="mine-heading">${t('home.mine')}</h2>
                <ul class="recent">${mine.map(
                  (
                    a,
                  ) => html`<li><a href=${withToken(dashboardPath(a.activityId), a.token)}>${a.title || a.activityId}</a>
                    <span class="help">${t('home.mine.code', { code: a.code })}</span></li>`,
                )}</ul>
              </section>`
            : nothing
        }
        <section class="card" aria-labelledby="recover-heading">
          <h2 id="recover-heading">${t('recover.title')}</h2>
          <candyce-recover-activity lang=${lang}></candyce-recover-activity>
        </section>
        <section class="card" aria-labelledby="open-heading">
          <h2 id="open-heading">${t('home.title')}</h2>
          ${openRoomForm()}
          ${
            recent.length
              ? html`<h3 id="recent-title">${t('home.recent')}</h3>
                  <ul class="recent" aria-labelledby="recent-title">${recent.map((r) => html`<li><a href=${notebookPath(r)}>${r}</a></li>`)}</ul>`
              : nothing
          }
        </section>
      </div>
    </main>`;
};

const join = (code: string) => {
  document.title = `${t('join.title')} — Candyce`;
  void import('./pages/join-activity.js');
  return html`${header()}
    <main class="home">
      <candyce-join lang=${lang} code=${code}></candyce-join>
    </main>`;
};

let dashboardLoaded = false;

const dashboard = (activityId: string) => {
  // The dashboard and its QR encoder load only here: the notebook page does not pay for them.
  if (!dashboardLoaded) void import('./pages/teacher-dashboard.js');
  dashboardLoaded = true;
  return html`${header()}
    <candyce-dashboard lang=${lang} activity-id=${activityId} token=${teacherToken(activityId)}></candyce-dashboard>`;
};

const notebook = (room: string) => {
  document.title = t('notebook.title', { room });
  // A pupil who comes back without the link's token continues with the one kept on this device.
  const place = parseActivityRoom(room);
  const kept = !token && place ? classroomMemory().pupil(place.activityId) : null;
  // A teacher's link lost its token in the address bar (above): this device keeps it.
  const access = kept?.room === room ? kept.token : place ? teacherToken(place.activityId) : token;
  // A kept token goes to this page's server (or an allowed one), whatever server the link names.
  const server = syncServerFor(params.get('server'), location, {
    tokenKept: access !== token,
    allowed: allowedSyncServers(),
  });
  if (access && readTokenClaims(access).act && place) {
    void import('./pages/activity-notebook.js');
    return html`${skipLink()}${header()}
      <main class="notebook-page activity-page">
        <candyce-activity-notebook
          lang=${lang}
          room=${room}
          token=${access}
          server=${server}
          kernel=${params.get('kernel') ?? 'pyodide'}
          follow=${params.get('follow') ?? ''}
        ></candyce-activity-notebook>
      </main>`;
  }
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
  return html`${skipLink()}${header()}
    <nav class="crumbs" aria-label=${t('app.name')}><a href="/">${t('notebook.back')}</a></nav>
    <main class="notebook-page">
      <h1 class="visually-hidden">${room}</h1>
      <p id="link-message" class="notice" role="status" hidden></p>
      <candyce-notebook
        server=${server}
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
  const page =
    route.page === 'notebook'
      ? notebook(route.room)
      : route.page === 'join'
        ? join(route.code)
        : route.page === 'dashboard'
          ? dashboard(route.activityId)
          : home();
  render(page, document.getElementById('app')!);
  // The page's "loading" line (index.html), shown until the app could run.
  document.getElementById('boot')?.remove();
  // A Basthon or Capytale link (?ipynb=, ?from=) opens its notebook into the room (loaded for such links only).
  if (route.page === 'notebook' && (params.has('ipynb') || params.has('from')))
    void import('./notebook-link.js').then((link) => link.attachLinkedNotebook(lang));
};

show();

// Keeps the app shell in this browser once visited, so that a notebook opens
// with no network from its IndexedDB copy (see sw.ts). Needs a secure context
// (https, or localhost).
if ('serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}
