import { html, nothing, svg, type TemplateResult } from 'lit';
import {
  type Activity,
  ApiError,
  type CopyRow,
  classroomApi,
  eventsUrl,
  type PushPreview,
} from '../classroom/api.js';
import {
  asFilter,
  asOrder,
  type CopyFilter,
  type CopyOrder,
  copyFilters,
  copyOrders,
  orderCopies,
  savedOrder,
  saveOrder,
} from '../classroom/copy-order.js';
import {
  type CopyState,
  copyStates,
  deadlineFromInput,
  deadlinePassed,
  deadlineToInput,
  fileNameOf,
  formatAgo,
  formatDate,
  maxCopiesFromInput,
  templateRoomOf,
  whoOf,
} from '../classroom/format.js';
import { LiveEvents } from '../classroom/live-events.js';
import { classroomMemory } from '../classroom/memory.js';
import { encodeQr, type QrMatrix, qrPath } from '../classroom/qr.js';
import { joinPath, notebookPath, withToken } from '../routes.js';
import { PageElement } from './page-element.js';
import { renderPushPreview } from './push-preview.js';
import './recover-activity.js';

/** What a confirmation dialog asks, and what it does on yes. */
interface Confirmation {
  text: string;
  yes: string;
  run: () => Promise<void>;
}

/**
 * `<candyce-dashboard>`: the teacher's live view of an activity
 * (`/a/<id>#token=…`): the join code in large type, the link and its QR code;
 * one row per copy, updated live through Server-Sent Events (who, online,
 * last edit, cells run, errors, state, grade); and the actions: open a copy
 * to co-edit it or follow its pupil, lock or unlock every copy, set the
 * deadline, push the template's correction, change states one by one or in
 * bulk, form pairs, export grades as CSV, open the template. Pupils' names
 * and the title are shown as text only.
 */
export class TeacherDashboard extends PageElement {
  static override properties = {
    ...PageElement.properties,
    activityId: { type: String, attribute: 'activity-id' },
    token: { type: String },
    activity: { state: true },
    copies: { state: true },
    selected: { state: true },
    qr: { state: true },
    notice: { state: true },
    error: { state: true },
    confirmation: { state: true },
    nokey: { state: true },
    preview: { state: true },
    pending: { state: true },
    order: { state: true },
    filter: { state: true },
    why: { state: true },
  };

  declare activityId: string;
  declare token: string;
  declare private activity: Activity | null;
  declare private copies: CopyRow[];
  declare private selected: ReadonlySet<string>;
  declare private qr: QrMatrix | null;
  declare private notice: string;
  declare private error: string;
  declare private confirmation: Confirmation | null;
  /** This device has no valid key (token) for the activity: the teacher code can recover it. */
  declare private nokey: boolean;
  /** The preview of a push, while its dialog is open. */
  declare private preview: PushPreview | null;
  /** States chosen in a row's select but not applied yet (WCAG 3.2.2: choosing is not doing). */
  declare private pending: ReadonlyMap<string, CopyState>;
  declare private order: CopyOrder;
  declare private filter: CopyFilter;
  /** The outputs notice's reason is open. */
  declare private why: boolean;

  private clock: ReturnType<typeof setInterval> | null = null;
  private readonly live = new LiveEvents<{ copies?: CopyRow[] }>(
    this,
    () => (this.token && this.activityId ? eventsUrl('', this.activityId, this.token) : null),
    'dashboard',
    (data) => {
      if (Array.isArray(data.copies)) this.copies = data.copies;
    },
  );

  constructor() {
    super();
    this.activityId = '';
    this.token = '';
    this.activity = null;
    this.copies = [];
    this.selected = new Set();
    this.qr = null;
    this.notice = '';
    this.error = '';
    this.confirmation = null;
    this.nokey = false;
    this.preview = null;
    this.pending = new Map();
    this.order = 'joined';
    this.filter = 'all';
    this.why = false;
  }

  private get api() {
    return classroomApi({ lang: this.lang, token: this.token });
  }

  private get joinUrl(): string {
    return this.activity ? `${location.origin}${joinPath(this.activity.code)}` : '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    ({ order: this.order, filter: this.filter } = savedOrder(this.activityId));
    // "2 min ago" moves on by itself.
    this.clock = setInterval(() => this.requestUpdate(), 20_000);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.clock !== null) clearInterval(this.clock);
    this.clock = null;
  }

  private async load(): Promise<void> {
    if (!this.token) {
      this.nokey = true;
      return;
    }
    try {
      const [activity, copies] = await Promise.all([
        this.api.activity(this.activityId),
        this.api.copies(this.activityId),
      ]);
      this.setActivity(activity);
      // Live events may have come first: they are newer.
      if (this.live.state !== 'live') this.copies = copies.copies;
      this.qr = await encodeQr(this.joinUrl);
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'unauthorized' || error.code === 'forbidden'))
        this.nokey = true;
      else this.error = this.errorText(error);
    }
  }

  private setActivity(activity: Activity): void {
    this.activity = activity;
    document.title = this.t('dash.title', { title: activity.title });
    classroomMemory().saveTeacher({
      activityId: activity.id,
      title: activity.title,
      code: activity.code,
      token: this.token,
      createdAt: activity.createdAt ?? new Date().toISOString(),
    });
  }

  /** Runs one action: shows its result or its error, in words. */
  private async act(action: () => Promise<string | undefined>): Promise<void> {
    try {
      const done = await action();
      this.error = '';
      this.notice = done ?? this.t('dash.saved');
    } catch (error) {
      this.notice = '';
      this.error = this.errorText(error);
    }
  }

  private patchActivity(body: Parameters<ReturnType<typeof classroomApi>['updateActivity']>[1]) {
    return this.act(async () => {
      await this.api.updateActivity(this.activityId, body);
      this.setActivity(await this.api.activity(this.activityId));
      return undefined;
    });
  }

  /** Asks a yes-or-no question in a dialog before an action that cannot be undone (removing a copy, say). */
  protected ask(confirmation: Confirmation): void {
    this.confirmation = confirmation;
    this.updateComplete.then(() => this.querySelector<HTMLDialogElement>('dialog.confirm')?.showModal());
  }

  /** Asks the server what a push would change, and shows it before anything is sent. */
  private async openPushPreview(): Promise<void> {
    try {
      this.preview = await this.api.pushPreview(this.activityId);
      this.error = '';
      this.updateComplete.then(() =>
        this.querySelector<HTMLDialogElement>('dialog.push-preview')?.showModal(),
      );
    } catch (error) {
      this.error = this.errorText(error);
    }
  }

  private renderPreview(): TemplateResult | typeof nothing {
    const preview = this.preview;
    if (!preview) return nothing;
    const close = () => this.querySelector<HTMLDialogElement>('dialog.push-preview')?.close();
    return renderPushPreview(
      {
        lang: this.lang,
        t: (key, params) => this.t(key, params),
        close: () => {
          close();
          this.preview = null;
        },
        push: (cells) => {
          close();
          this.preview = null;
          void this.act(async () => {
            const { copies } = await this.api.push(this.activityId, cells);
            return this.t(cells ? 'push.one.done' : 'dash.push.done', { n: String(copies) });
          });
        },
      },
      preview,
    );
  }

  private async exportCsv(): Promise<void> {
    await this.act(async () => {
      const csv = await this.api.gradesCsv(this.activityId);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      a.download = fileNameOf(this.activity?.title ?? '', '-notes.csv');
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      return undefined;
    });
  }

  /** Downloads the last hand-in of a copy, as the pupil handed it in. */
  private async downloadHandin(c: CopyRow): Promise<void> {
    await this.act(async () => {
      const { handins } = await this.api.handins(this.activityId, c.id);
      const last = handins[handins.length - 1];
      if (!last) return undefined;
      const ipynb = await this.api.handinNotebook(this.activityId, c.id, last.id);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([ipynb], { type: 'application/x-ipynb+json' }));
      a.download = fileNameOf(`${this.activity?.title ?? ''} ${whoOf(c)}`, '.ipynb');
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      return undefined;
    });
  }

  /** Asks, then removes a copy for good (issue 13: copies can be removed). */
  private removeCopy(c: CopyRow): void {
    const who = whoOf(c);
    this.ask({
      text: this.t('dash.remove.confirm', { who }),
      yes: this.t('dash.remove'),
      run: () =>
        this.act(async () => {
          await this.api.removeCopy(this.activityId, c.id);
          this.copies = this.copies.filter((row) => row.id !== c.id);
          return this.t('dash.remove.done', { who });
        }),
    });
  }

  /** Asks, then revokes every teacher link and continues with the new one (kept on this device). */
  private revokeLinks(): void {
    this.ask({
      text: this.t('dash.revoke.confirm'),
      yes: this.t('dash.revoke'),
      run: () =>
        this.act(async () => {
          const { teacherToken } = await this.api.revokeLinks(this.activityId);
          this.token = teacherToken;
          history.replaceState(null, '', withToken(location.pathname, teacherToken));
          if (this.activity) this.setActivity(this.activity);
          return this.t('dash.revoke.done');
        }),
    });
  }

  private async copyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.joinUrl);
      this.notice = this.t('dash.join.copied');
    } catch {
      // No clipboard (an insecure origin): select the link, the teacher copies it.
      const link = this.querySelector('.join-link a');
      if (link) getSelection()?.selectAllChildren(link);
    }
  }

  /** The label of a cell when rows are cards (narrow screens), with the language's colon. */
  private cardLabel(
    key:
      | 'dash.col.online'
      | 'dash.col.lastEdit'
      | 'dash.col.cellsRun'
      | 'dash.col.errors'
      | 'dash.col.state'
      | 'dash.col.grade',
  ): string {
    return `${this.t(key)}${this.lang === 'en' ? ': ' : '\u00a0: '}`;
  }

  /** Remembers the state chosen in a row's select; nothing is sent until "Appliquer". */
  private choose(c: CopyRow, state: CopyState): void {
    const next = new Map(this.pending);
    if (state === c.state) next.delete(c.id);
    else next.set(c.id, state);
    this.pending = next;
    // Cancelling puts the select back, which Lit does not do for a value the user changed.
    if (state === c.state)
      this.updateComplete.then(() => {
        const select = this.querySelector<HTMLSelectElement>(`tr[data-copy="${c.id}"] td.state select`);
        if (select) select.value = c.state;
        select?.focus();
      });
  }

  private async applyState(c: CopyRow, state: CopyState): Promise<void> {
    const who = whoOf(c);
    await this.act(async () => {
      await this.api.updateCopy(this.activityId, c.id, { state });
      const next = new Map(this.pending);
      next.delete(c.id);
      this.pending = next;
      // The row shows the new state at once; the live event confirms it.
      this.copies = this.copies.map((row) => (row.id === c.id ? { ...row, state } : row));
      this.updateComplete.then(() =>
        this.querySelector<HTMLSelectElement>(`tr[data-copy="${c.id}"] td.state select`)?.focus(),
      );
      return this.t('dash.state.done', { who, state: this.t(`state.${state}`) });
    });
  }

  private setOrder(order: CopyOrder, filter: CopyFilter): void {
    this.order = order;
    this.filter = filter;
    saveOrder(this.activityId, order, filter);
  }

  private toggle(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  private renderJoin(a: Activity): TemplateResult {
    const qr = this.qr;
    return html`<section class="card join-card" aria-labelledby="join-title">
      <div class="join-text">
        <h2 id="join-title">${this.t('dash.join.title')}</h2>
        <p class="join-code-label">${this.t('dash.join.code')}</p>
        <p class="join-code" data-code=${a.code}>
          <span aria-hidden="true">${a.code}</span><span class="visually-hidden">${[...a.code].join(' ')}</span>
        </p>
        <p class="join-link">${this.t('dash.join.link')} <a href=${joinPath(a.code)}>${this.joinUrl}</a></p>
        ${a.joinOpen ? nothing : html`<p class="notice warning">${this.t('dash.joinClosed')}</p>`}
        <div class="row wrap">
          <button type="button" class="compact" @click=${() => this.copyLink()}>${this.t('dash.join.copy')}</button>
          <button type="button" class="compact" @click=${() => this.patchActivity({ joinOpen: !a.joinOpen })}>
            ${a.joinOpen ? this.t('dash.closeJoin') : this.t('dash.openJoin')}
          </button>
        </div>
      </div>
      ${
        qr
          ? html`<svg class="qr" role="img" aria-label=${this.t('dash.qr')} viewBox="0 0 ${qr.size + 8} ${qr.size + 8}"
              shape-rendering="crispEdges">${svg`<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d=${qrPath(qr)}/>`}</svg>`
          : html`<div class="qr qr-placeholder" aria-hidden="true"></div>`
      }
    </section>`;
  }

  private renderActions(a: Activity): TemplateResult {
    const passed = deadlinePassed(a.deadline);
    // Shown on the closed settings too: the deadline is the one setting a teacher checks often.
    const deadlineLine = !a.deadline
      ? this.t('dash.deadline.none')
      : passed
        ? this.t('dash.deadline.passed', { date: formatDate(a.deadline, this.lang) })
        : this.t('dash.deadline.set', { date: formatDate(a.deadline, this.lang) });
    return html`<section class="card actions-card" aria-labelledby="actions-title">
      <h2 id="actions-title">${this.t('dash.actions')}</h2>
      <div class="row wrap">
        <a class="button compact" href=${withToken(notebookPath(templateRoomOf(a.id)), this.token)}>${this.t('dash.template')}</a>
        ${
          a.mode === 'demo'
            ? nothing
            : html`<button type="button" class="compact" @click=${() => this.openPushPreview()}>${this.t('dash.push')}</button>
              <button type="button" class=${a.locked ? 'primary compact' : 'compact'} aria-pressed=${a.locked ? 'true' : 'false'}
                @click=${() => this.patchActivity({ locked: !a.locked })}>${a.locked ? this.t('dash.unlock') : this.t('dash.lock')}</button>
              <button type="button" class="compact" @click=${() => this.exportCsv()}>${this.t('dash.csv')}</button>`
        }
      </div>
      ${a.mode === 'demo' ? html`<p class="notice">${this.t('dash.demo')}</p>` : nothing}
      ${a.locked ? html`<p class="notice warning">${this.t('dash.locked')}</p>` : nothing}
      ${
        a.mode === 'pairs'
          ? html`<form class="pair-form" @submit=${(e: SubmitEvent) => {
              e.preventDefault();
              const form = e.target as HTMLFormElement;
              const label = String(new FormData(form).get('label') ?? '').trim();
              if (!label) return;
              void this.act(async () => {
                const copy = await this.api.createCopy(this.activityId, label);
                form.reset();
                return this.t('dash.pair.done', { label: copy.label, code: copy.pairCode });
              });
            }}>
              <label for="pair-label">${this.t('dash.pair.title')}</label>
              <div class="row">
                <input id="pair-label" name="label" maxlength="120" autocomplete="off" aria-describedby="pair-help" />
                <button type="submit" class="compact">${this.t('dash.pair.submit')}</button>
              </div>
              <p id="pair-help" class="help">${this.t('dash.pair.label')}</p>
            </form>`
          : nothing
      }
      <details class="settings">
        <summary><span class="settings-title">${this.t('dash.settings')}</span>
          <span class="help settings-deadline">${deadlineLine}</span></summary>
        <form class="deadline-form" @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          const value = String(new FormData(e.target as HTMLFormElement).get('deadline') ?? '');
          const deadline = deadlineFromInput(value);
          if (deadline === undefined) {
            this.error = this.t('create.error.deadline');
            return;
          }
          void this.patchActivity({ deadline });
        }}>
          <label for="dash-deadline">${this.t('dash.deadline')}</label>
          <div class="row wrap">
            <input id="dash-deadline" name="deadline" type="datetime-local" .value=${deadlineToInput(a.deadline)} />
            <button type="submit" class="compact">${this.t('dash.deadline.save')}</button>
            ${a.deadline ? html`<button type="button" class="compact" @click=${() => this.patchActivity({ deadline: null })}>${this.t('dash.deadline.clear')}</button>` : nothing}
          </div>
        </form>
        ${
          a.mode === 'demo'
            ? nothing
            : html`<form class="max-form" @submit=${(e: SubmitEvent) => {
                e.preventDefault();
                const maxCopies = maxCopiesFromInput(
                  String(new FormData(e.target as HTMLFormElement).get('maxCopies') ?? ''),
                );
                if (typeof maxCopies !== 'number') {
                  this.error = this.t('create.error.maxCopies');
                  return;
                }
                void this.patchActivity({ maxCopies });
              }}>
                <label for="dash-max">${this.t('dash.maxCopies')}</label>
                <div class="row">
                  <input id="dash-max" name="maxCopies" type="number" inputmode="numeric" min="1" max="500" step="1"
                    .value=${String(a.maxCopies ?? 60)} aria-describedby="dash-max-help" />
                  <button type="submit" class="compact">${this.t('dash.maxCopies.save')}</button>
                </div>
                <p id="dash-max-help" class="help">${this.t('dash.maxCopies.help', { n: String(this.copies.length), max: String(a.maxCopies ?? 60) })}</p>
              </form>`
        }
        <div class="revoke-row">
          <button type="button" class="compact revoke" @click=${() => this.revokeLinks()}>${this.t('dash.revoke')}</button>
        </div>
      </details>
    </section>`;
  }

  private renderRow(c: CopyRow): TemplateResult {
    const who = whoOf(c);
    const chosen = this.pending.get(c.id) ?? c.state;
    const teacherLink = (follow: boolean) => {
      const query = follow && c.members[0] ? `?follow=${encodeURIComponent(c.members[0].name)}` : '';
      return withToken(`${notebookPath(c.room)}${query}`, this.token);
    };
    return html`<tr data-copy=${c.id} class=${c.online ? 'is-online' : ''}>
      <td class="select"><input type="checkbox" .checked=${this.selected.has(c.id)} aria-label=${this.t('dash.select.row', { who })}
        @change=${(e: Event) => this.toggle(c.id, (e.target as HTMLInputElement).checked)} /></td>
      <th scope="row" class="who">
        ${
          c.members.length
            ? // In a pair, a dot says which of the two is here.
              c.members.map(
                (m) =>
                  html`<span class="member ${c.members.length > 1 && m.online ? 'online' : ''}">${m.name}</span>`,
              )
            : html`<span class="member">${c.label ?? ''}</span> <span class="help">${this.t('dash.nobody')}</span>`
        }
        ${c.pairCode ? html`<span class="help pair-code">${this.t('home.mine.code', { code: c.pairCode })}</span>` : nothing}
      </th>
      <td class="presence" data-label=${this.cardLabel('dash.col.online')}><span class="dot ${c.online ? 'on' : ''}" aria-hidden="true"></span>${c.online ? this.t('dash.online') : this.t('dash.offline')}</td>
      <td class="last-edit" data-label=${this.cardLabel('dash.col.lastEdit')}>${
        c.lastEditAt
          ? html`<time datetime=${c.lastEditAt} title=${formatDate(c.lastEditAt, this.lang)}>${formatAgo(c.lastEditAt, this.lang)}</time>`
          : this.t('dash.never')
      }</td>
      <td class="num cells-run" data-label=${this.cardLabel('dash.col.cellsRun')}>${c.cellsRun}</td>
      <td class="num errors ${c.errors > 0 ? 'has-errors' : ''}" data-label=${this.cardLabel('dash.col.errors')}>${c.errors}</td>
      <td class="state" data-label=${this.cardLabel('dash.col.state')}>
        <select aria-label=${this.t('dash.state.label', { who })} class="state-${c.state}"
          @change=${(e: Event) => this.choose(c, (e.target as HTMLSelectElement).value as CopyState)}>
          ${copyStates.map((s) => html`<option value=${s} ?selected=${chosen === s}>${this.t(`state.${s}`)}</option>`)}
        </select>
        ${
          chosen !== c.state
            ? html`<span class="state-apply row wrap">
                <button type="button" class="primary compact"
                  aria-label=${this.t('dash.state.apply.label', { state: this.t(`state.${chosen}`), who })}
                  @click=${() => this.applyState(c, chosen)}>${this.t('dash.state.apply')}</button>
                <button type="button" class="compact" aria-label=${this.t('dash.state.cancel.label', { who })}
                  @click=${() => this.choose(c, c.state)}>${this.t('dash.state.cancel')}</button>
              </span>`
            : nothing
        }
        ${
          c.handedInAt
            ? html`<time class="help handed-in-at" datetime=${c.handedInAt}>${formatDate(c.handedInAt, this.lang)}</time>
                <button type="button" class="link handin-download" @click=${() => this.downloadHandin(c)}
                  aria-label=${this.t('dash.handin.label', { who: whoOf(c) })}>${this.t('dash.handin')}</button>`
            : nothing
        }
      </td>
      <td class="grade" data-label=${this.cardLabel('dash.col.grade')}>${c.grade ?? '—'}</td>
      <td class="row-actions">
        ${/* "Supprimer" alone, its name says whose copy: the full words pushed the row past a 1024 px screen. */ ''}
        <a class="button compact" href=${teacherLink(false)} aria-label=${this.t('dash.open.label', { who })}>${this.t('dash.open')}</a>
        ${
          c.members.length
            ? html`<a class="button compact" href=${teacherLink(true)} aria-label=${this.t('dash.follow.label', { who })}>${this.t('dash.follow')}</a>`
            : nothing
        }
        ${
          this.activity?.mode === 'class'
            ? nothing
            : html`<button type="button" class="danger compact remove-copy" aria-label=${this.t('dash.remove.label', { who })}
                @click=${() => this.removeCopy(c)}>${this.t('dash.remove.short')}</button>`
        }
      </td>
    </tr>`;
  }

  private renderCopies(a: Activity): TemplateResult | typeof nothing {
    if (a.mode === 'demo') return nothing;
    const copies = this.copies;
    const shown = orderCopies(copies, this.order, this.filter, this.lang);
    const allSelected = copies.length > 0 && copies.every((c) => this.selected.has(c.id));
    return html`<section class="card copies-card" aria-labelledby="copies-title">
      <div class="row spread">
        <h2 id="copies-title">${this.t('dash.copies', { n: String(copies.length) })}</h2>
        <span class="live-state live-${this.live.state}" role="status">
          <span class="dot" aria-hidden="true"></span>${this.live.state === 'lost' ? this.t('dash.reconnecting') : this.t('dash.live')}
        </span>
      </div>
      ${
        copies.length
          ? // One line; the reason waits behind "Pourquoi ?" (it is read once, the table every minute).
            html`<div class="outputs-notice">
              <p class="help">${this.t('dash.outputs.short')}
                <button type="button" class="link" aria-expanded=${this.why ? 'true' : 'false'} aria-controls="outputs-why"
                  @click=${() => {
                    this.why = !this.why;
                  }}>${this.t('dash.outputs.why')}</button></p>
              <p id="outputs-why" class="help" ?hidden=${!this.why}>${this.t('dash.outputs')}</p>
            </div>`
          : nothing
      }
      ${
        copies.length === 0
          ? html`<p class="empty">${this.t('dash.empty')}</p>`
          : html`<div class="copies-tools"><form class="bulk row wrap" @submit=${(e: SubmitEvent) => {
              e.preventDefault();
              const state = String(new FormData(e.target as HTMLFormElement).get('state')) as CopyState;
              const ids = copies.filter((c) => this.selected.has(c.id)).map((c) => c.id);
              if (ids.length === 0) {
                this.error = this.t('dash.bulk.none');
                return;
              }
              void this.act(async () => {
                await this.api.setStates(this.activityId, allSelected ? 'all' : ids, state);
                return this.t('dash.bulk.done', { n: String(ids.length) });
              });
            }}>
              <span>${this.t('dash.bulk', { n: String(copies.filter((c) => this.selected.has(c.id)).length) })}</span>
              <label for="bulk-state" class="visually-hidden">${this.t('dash.bulk.state')}</label>
              <select id="bulk-state" name="state">
                ${copyStates.map((s) => html`<option value=${s}>${this.t(`state.${s}`)}</option>`)}
              </select>
              <button type="submit" class="compact">${this.t('dash.bulk.apply')}</button>
            </form>
            <div class="copy-view row wrap">
              <label for="copy-order">${this.t('dash.order')}</label>
              <select id="copy-order" @change=${(e: Event) => this.setOrder(asOrder((e.target as HTMLSelectElement).value), this.filter)}>
                ${copyOrders.map((o) => html`<option value=${o} ?selected=${this.order === o}>${this.t(`dash.order.${o}`)}</option>`)}
              </select>
              <label for="copy-filter">${this.t('dash.filter')}</label>
              <select id="copy-filter" @change=${(e: Event) => this.setOrder(this.order, asFilter((e.target as HTMLSelectElement).value))}>
                ${copyFilters.map((f) => html`<option value=${f} ?selected=${this.filter === f}>${this.t(`dash.filter.${f}`)}</option>`)}
              </select>
              ${shown.length < copies.length ? html`<span class="help" role="status">${this.t('dash.filter.shown', { n: String(shown.length), total: String(copies.length) })}</span>` : nothing}
            </div></div>
            <div class="table-wrap">
              <table class="copies">
                <thead><tr>
                  <th scope="col" class="select"><input type="checkbox" .checked=${shown.length > 0 && shown.every((c) => this.selected.has(c.id))}
                    aria-label=${this.t('dash.select.all')}
                    @change=${(e: Event) => {
                      // Filtered, "all" means the copies shown.
                      this.selected = (e.target as HTMLInputElement).checked
                        ? new Set(shown.map((c) => c.id))
                        : new Set();
                    }} /></th>
                  <th scope="col">${this.t('dash.col.who')}</th>
                  <th scope="col">${this.t('dash.col.online')}</th>
                  <th scope="col">${this.t('dash.col.lastEdit')}</th>
                  <th scope="col" class="num">${this.t('dash.col.cellsRun')}</th>
                  <th scope="col" class="num">${this.t('dash.col.errors')}</th>
                  <th scope="col">${this.t('dash.col.state')}</th>
                  <th scope="col">${this.t('dash.col.grade')}</th>
                  <th scope="col">${this.t('dash.col.actions')}</th>
                </tr></thead>
                <tbody>${shown.map((c) => this.renderRow(c))}</tbody>
              </table>
            </div>`
      }
    </section>`;
  }

  private renderConfirm(): TemplateResult | typeof nothing {
    const c = this.confirmation;
    if (!c) return nothing;
    const close = () => this.querySelector<HTMLDialogElement>('dialog.confirm')?.close();
    return html`<dialog class="confirm" aria-describedby="confirm-text" @close=${() => {
      this.confirmation = null;
    }}>
      <p id="confirm-text">${c.text}</p>
      <div class="row">
        <button type="button" class="primary" @click=${() => {
          close();
          void c.run();
        }}>${c.yes}</button>
        <button type="button" autofocus @click=${close}>${this.t('banner.handin.no')}</button>
      </div>
    </dialog>`;
  }

  protected override render() {
    const a = this.activity;
    return html`<main class="dashboard">
      ${
        a
          ? html`<header class="dash-head">
              <h1><span class="eyebrow">${this.t('dash.label')}</span> ${a.title}</h1>
              <p class="help">${this.t('dash.mode', { mode: this.t(`create.mode.${a.mode}`) })}</p>
            </header>`
          : html`<h1>${this.t('dash.label')}</h1>`
      }
      ${
        this.nokey
          ? html`<section class="card nokey" aria-labelledby="nokey-title">
              <h2 id="nokey-title">${this.t('recover.title')}</h2>
              <p class="notice warning" role="alert">${this.t('dash.nokey')}</p>
              <candyce-recover-activity lang=${this.lang}></candyce-recover-activity>
            </section>`
          : nothing
      }
      <div class="messages">
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <p class="notice-line" role="status">${this.notice}</p>
      </div>
      ${
        a
          ? html`<div class="dash-grid">${this.renderJoin(a)}${this.renderActions(a)}</div>
              ${this.renderCopies(a)}`
          : nothing
      }
      ${this.renderConfirm()}
      ${this.renderPreview()}
    </main>`;
  }
}

if (!customElements.get('candyce-dashboard')) customElements.define('candyce-dashboard', TeacherDashboard);
