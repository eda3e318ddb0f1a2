import {
  type CellComments,
  type CommentDeleteDetail,
  type CommentDetail,
  commentsByCell,
  readTokenClaims,
} from '@candyce/editor';
import { html, nothing, type PropertyValues } from 'lit';
import { type Activity, type CopyRow, type CopyStatus, classroomApi, eventsUrl } from '../classroom/api.js';
import { neighbours, orderCopies, savedOrder } from '../classroom/copy-order.js';
import { type CopyState, copyStates, formatDate, parseActivityRoom, whoOf } from '../classroom/format.js';
import { highlightCells, markPushSeen, pushSeen } from '../classroom/highlight.js';
import { LiveEvents } from '../classroom/live-events.js';
import { classroomMemory, type PupilAccess } from '../classroom/memory.js';
import { dashboardPath, notebookPath, withToken } from '../routes.js';
import { PageElement } from './page-element.js';

/**
 * `<candyce-activity-notebook>`: the notebook page of an activity's room
 * (`/n/act-…#token=…`). Above `<candyce-notebook>`, a banner says what the
 * token's holder needs: for a pupil the title, deadline, state, why the copy
 * is read-only, a hand-in button and the grade, with the teacher's comments
 * beside their cells (live, through Server-Sent Events); for a viewer of a
 * demonstration, that they follow the teacher; for the teacher, whose copy
 * it is, its state and grade, and comments on cells.
 */
export class ActivityNotebook extends PageElement {
  static override properties = {
    ...PageElement.properties,
    room: { type: String },
    token: { type: String },
    server: { type: String },
    kernel: { type: String },
    follow: { type: String },
    status: { state: true },
    activity: { state: true },
    row: { state: true },
    notice: { state: true },
    error: { state: true },
    confirming: { state: true },
    copies: { state: true },
    saved: { state: true },
    pushed: { state: true },
    issued: { state: true },
  };

  declare room: string;
  declare token: string;
  declare server: string;
  declare kernel: string;
  /** Whom the notebook follows (from the page's `follow` query: the dashboard's "follow"). */
  declare follow: string;
  declare private status: CopyStatus | null;
  declare private activity: Activity | null;
  /** The teacher's view of this copy (who is in it). */
  declare private row: CopyRow | null;
  declare private notice: string;
  declare private error: string;
  declare private confirming: boolean;
  /** The activity's copies, for the teacher's previous and next copy. */
  declare private copies: CopyRow[];
  /** What the teacher's grade form says once saved ("Note enregistrée"). */
  declare private saved: string;
  /** The teacher's correction just pushed into the pupil's copy, until the pupil dismisses its notice. */
  declare private pushed: { at: string; cells: string[] } | null;
  private endHighlight: () => void = () => undefined;
  /** The personal code the teacher just set for a pupil of this copy, shown once. */
  declare private issued: { name: string; code: string } | null;

  private comments: CellComments = {};
  private access: PupilAccess | null = null;
  private readonly live = new LiveEvents<CopyStatus>(
    this,
    () => (this.isPupil && this.activityId ? eventsUrl('', this.activityId, this.token) : null),
    'status',
    (status) => this.setStatus(status),
  );
  /** The teacher in a copy follows its row of the dashboard: a hand-in or a grade shows at once. */
  private readonly teacherLive = new LiveEvents<{ copies?: CopyRow[] }>(
    this,
    () =>
      this.isTeacher && this.activityId && this.copyId ? eventsUrl('', this.activityId, this.token) : null,
    'dashboard',
    (data) => {
      if (Array.isArray(data.copies)) this.copies = data.copies;
      const row = data.copies?.find((c) => c.id === this.copyId);
      if (!row) return;
      const before = this.row;
      this.row = row;
      if (
        before &&
        (before.state !== row.state || before.grade !== row.grade || before.handedInAt !== row.handedInAt)
      )
        void this.refresh().catch(() => undefined);
    },
  );

  constructor() {
    super();
    this.room = '';
    this.token = '';
    this.server = '';
    this.kernel = 'pyodide';
    this.follow = '';
    this.status = null;
    this.activity = null;
    this.row = null;
    this.notice = '';
    this.error = '';
    this.confirming = false;
    this.copies = [];
    this.saved = '';
    this.pushed = null;
    this.issued = null;
  }

  private get claims() {
    return readTokenClaims(this.token);
  }

  private get place() {
    return parseActivityRoom(this.room);
  }

  private get activityId(): string | null {
    return this.claims.act ?? this.place?.activityId ?? null;
  }

  private get copyId(): string | null {
    return this.claims.copy ?? this.place?.copyId ?? null;
  }

  private get isPupil(): boolean {
    return this.claims.role === 'student' && this.copyId !== null;
  }

  private get isTeacher(): boolean {
    return this.claims.role === 'teacher';
  }

  private get api() {
    return classroomApi({ lang: this.lang, token: this.token });
  }

  private setStatus(status: CopyStatus): void {
    const before = this.status;
    this.status = status;
    this.comments = commentsByCell(status.comments);
    if (before && this.isPupil) this.announceChange(before, status);
    const push = status.push;
    const copy = this.copyId;
    // A push the pupil has not been told about: say so, and highlight its cells for a while.
    if (this.isPupil && copy && push && !pushSeen(copy, push.at)) {
      markPushSeen(copy, push.at);
      this.pushed = push;
      // Announced through the page's status line, which exists before it changes.
      this.notice = this.t('banner.push', { n: String(push.cells.length) });
      this.endHighlight();
      this.updateComplete.then(() => {
        this.endHighlight = highlightCells(this.querySelector('candyce-notebook'), push.cells);
      });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.endHighlight();
  }

  /** Tells screen readers what changed in the copy's status while the pupil works: a grade, a comment, the state. */
  private announceChange(before: CopyStatus, now: CopyStatus): void {
    // Worded apart from the banner's own lines: the same words twice on the page would be read twice.
    const said: string[] = [];
    if (now.state !== before.state || now.handedInAt !== before.handedInAt)
      said.push(
        now.state === 'handed-in'
          ? now.handedInBy
            ? this.t('banner.announce.handedInBy', { who: now.handedInBy })
            : this.t('banner.announce.handedIn')
          : now.state === 'corrected'
            ? this.t('banner.announce.corrected')
            : this.t('banner.announce.reopened'),
      );
    else if (now.readOnly !== before.readOnly)
      said.push(
        now.readOnly ? this.t(`banner.announce.${now.readOnly}`) : this.t('banner.announce.writable'),
      );
    if (now.grade && now.grade !== before.grade)
      said.push(this.t('banner.announce.grade', { grade: now.grade }));
    const known = new Set(before.comments.map((c) => c.id));
    if (now.comments.some((c) => !known.has(c.id))) said.push(this.t('banner.announce.comment'));
    if (said.length) this.notice = said.join(' ');
  }

  /** "Handed in by Inès on Thu 28 Nov, 10:32", or without a name when the server did not say who. */
  private handedInText(status: CopyStatus): string {
    const date = formatDate(status.handedInAt, this.lang);
    return status.handedInBy
      ? this.t('banner.handedInBy', { who: status.handedInBy, date })
      : this.t('banner.handedIn', { date });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('token') || changed.has('room')) {
      const id = this.activityId;
      this.access = id ? classroomMemory().pupil(id) : null;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    const id = this.activityId;
    const copy = this.copyId;
    if (!id) return;
    try {
      if (this.isTeacher) {
        this.activity = await this.api.activity(id);
        document.title = `${this.activity.title} — Candyce`;
        if (copy) {
          const [status, copies] = await Promise.all([this.api.copyStatus(id, copy), this.api.copies(id)]);
          this.setStatus(status);
          this.row = copies.copies.find((c) => c.id === copy) ?? null;
          this.copies = copies.copies;
        }
      } else if (this.isPupil && copy) {
        this.setStatus(await this.api.copyStatus(id, copy));
        const title = this.status?.title ?? this.access?.title;
        if (title) document.title = `${title} — Candyce`;
      }
    } catch (error) {
      this.error = this.errorText(error);
    }
  }

  private async refresh(): Promise<void> {
    const id = this.activityId;
    const copy = this.copyId;
    if (id && copy) this.setStatus(await this.api.copyStatus(id, copy));
  }

  private onComment = async (e: CustomEvent<CommentDetail>): Promise<void> => {
    const id = this.activityId;
    const copy = this.copyId;
    if (!id || !copy) return;
    try {
      await this.api.addComment(id, copy, e.detail.cellId, e.detail.text);
      await this.refresh();
    } catch (error) {
      this.error = this.errorText(error);
    }
  };

  private onCommentDelete = async (e: CustomEvent<CommentDeleteDetail>): Promise<void> => {
    const id = this.activityId;
    const copy = this.copyId;
    if (!id || !copy) return;
    try {
      await this.api.deleteComment(id, copy, e.detail.commentId);
      await this.refresh();
    } catch (error) {
      this.error = this.errorText(error);
    }
  };

  private openHandIn(): void {
    this.confirming = true;
    this.updateComplete.then(() => this.querySelector<HTMLDialogElement>('dialog.handin')?.showModal());
  }

  private async handIn(): Promise<void> {
    const id = this.activityId;
    const copy = this.copyId;
    this.querySelector<HTMLDialogElement>('dialog.handin')?.close();
    if (!id || !copy) return;
    try {
      const done = await this.api.handIn(id, copy);
      this.notice = this.t('banner.handin.done', { date: formatDate(done.at, this.lang) });
      await this.refresh();
    } catch (error) {
      this.error = this.errorText(error);
    }
  }

  private async saveCopy(body: { state?: CopyState; grade?: string | null }): Promise<void> {
    const id = this.activityId;
    const copy = this.copyId;
    if (!id || !copy) return;
    const gradeChanged = body.grade !== undefined && body.grade !== (this.status?.grade ?? null);
    this.saved = '';
    try {
      await this.api.updateCopy(id, copy, body);
      // Said beside the button, where the teacher looks, and announced (role="status").
      this.saved = this.t(gradeChanged ? 'banner.grade.saved' : 'dash.saved');
      this.error = '';
      await this.refresh();
    } catch (error) {
      this.error = this.errorText(error);
    }
  }

  /** Links to the previous and next copies, in the order the teacher chose on the dashboard. */
  private renderCopyNav() {
    const id = this.activityId;
    const copy = this.copyId;
    if (!id || !copy || this.copies.length < 2) return nothing;
    const { order, filter } = savedOrder(id);
    let list = orderCopies(this.copies, order, filter, this.lang);
    // The copy shown may be filtered out (its state just changed): go through all of them then.
    if (!list.some((c) => c.id === copy)) list = orderCopies(this.copies, order, 'all', this.lang);
    const { previous, next } = neighbours(list, copy);
    const link = (c: CopyRow, key: 'banner.copy.previous' | 'banner.copy.next', rel: string) =>
      html`<a class="button compact" rel=${rel} href=${withToken(notebookPath(c.room), this.token)}>${this.t(key, { who: whoOf(c) })}</a>`;
    return html`<nav class="copy-nav row wrap" aria-label=${this.t('banner.copy.nav')}>
      ${previous ? link(previous, 'banner.copy.previous', 'prev') : nothing}
      ${next ? link(next, 'banner.copy.next', 'next') : nothing}
    </nav>`;
  }

  /** Sets a new personal code for a pupil of this copy (the teacher's action), shown once in the banner. */
  private async newResumeCode(member: string): Promise<void> {
    const id = this.activityId;
    const copy = this.copyId;
    if (!id || !copy) return;
    try {
      const answer = await this.api.newResumeCode(id, copy, member);
      this.issued = { name: answer.name, code: answer.resumeCode };
      this.error = '';
    } catch (error) {
      this.error = this.errorText(error);
    }
  }

  private renderResumeAction() {
    const members = this.row?.members ?? [];
    if (!this.copyId || members.length === 0) return nothing;
    return html`<form class="resume-form" @submit=${(e: SubmitEvent) => {
      e.preventDefault();
      const member = String(new FormData(e.target as HTMLFormElement).get('member') ?? '');
      if (member) void this.newResumeCode(member);
    }}>
      ${
        members.length > 1
          ? html`<label for="resume-member">${this.t('banner.resume.member')}</label>
            <select id="resume-member" name="member">${members.map((m) => html`<option value=${m.id}>${m.name}</option>`)}</select>`
          : html`<input type="hidden" name="member" .value=${members[0]!.id} />`
      }
      <button type="submit" title=${this.t('banner.resume.new.title')}>${this.t('banner.resume.new')}</button>
      ${
        this.issued
          ? html`<p class="notice resume-issued" role="status">${this.t('banner.resume.issued', { name: this.issued.name })}
              <strong class="personal-code">${this.issued.code}</strong></p>`
          : nothing
      }
    </form>`;
  }

  private renderPupilBanner() {
    const status = this.status;
    const title = status?.title ?? this.access?.title ?? this.t('banner.label');
    // The code to give, until the partner has joined.
    const pairCode = (status?.members?.length ?? 1) < 2 ? (status?.pairCode ?? this.access?.pairCode) : null;
    const deadline = status?.deadline ?? this.access?.deadline ?? null;
    const commented = Object.keys(this.comments).length;
    const resumeCode = this.access?.room === this.room ? this.access.resumeCode : undefined;
    // The server takes a hand-in while the copy is in progress, also late or locked: so does the button.
    const canHandIn = status?.state === 'in-progress';
    const readOnlyText = status?.readOnly
      ? status.state === 'corrected'
        ? this.t('banner.readonly.corrected')
        : this.t(`banner.readonly.${status.readOnly}`)
      : '';
    return html`<section class="activity-banner" aria-labelledby="activity-title">
      <div class="banner-main">
        <h1 id="activity-title">${title}</h1>
        <p class="banner-facts">
          <span>${deadline ? this.t('banner.deadline', { date: formatDate(deadline, this.lang) }) : this.t('banner.noDeadline')}</span>
          ${status ? html`<span class="state state-${status.state}">${this.t('banner.state', { state: this.t(`state.${status.state}`) })}</span>` : nothing}
          ${status?.grade ? html`<strong class="grade">${this.t('banner.grade', { grade: status.grade })}</strong>` : nothing}
        </p>
        ${this.live.state === 'lost' ? html`<p class="help">${this.t('dash.reconnecting')}</p>` : nothing}
        ${pairCode ? html`<p class="notice pair-hint">${this.t('banner.pairCode', { code: pairCode })}</p>` : nothing}
        ${status?.handedInAt && status.state !== 'in-progress' ? html`<p class="handed-in-by">${this.handedInText(status)}</p>` : nothing}
        ${readOnlyText ? html`<p class="notice readonly-reason">${readOnlyText}</p>` : nothing}
        ${canHandIn && status?.readOnly ? html`<p class="help handin-late">${this.t('banner.handin.late')}</p>` : nothing}
        ${
          this.pushed
            ? html`<p class="notice push-notice">${this.t('banner.push', { n: String(this.pushed.cells.length) })}
                <button type="button" class="compact" @click=${() => {
                  this.pushed = null;
                  this.endHighlight();
                }}>${this.t('banner.push.ok')}</button></p>`
            : nothing
        }
        ${commented ? html`<p class="help comments-hint">${this.t('banner.comments', { n: String(commented) })}</p>` : nothing}
        ${
          resumeCode
            ? html`<p class="resume-code">${this.t('banner.resume')} <strong class="personal-code">${resumeCode}</strong>
                <span class="help">${this.t('banner.resume.help')}</span></p>`
            : nothing
        }
      </div>
      ${
        (status?.mode ?? this.access?.mode) === 'class'
          ? html`<p class="help class-handin">${this.t('banner.classHandin')}</p>`
          : canHandIn
            ? html`<button type="button" class="primary handin" @click=${() => this.openHandIn()}>${this.t('banner.handin')}</button>`
            : nothing
      }
      ${
        this.confirming
          ? html`<dialog class="handin" aria-labelledby="handin-title" aria-describedby="handin-text"
              @close=${() => {
                this.confirming = false;
              }}>
              <h2 id="handin-title">${this.t('banner.handin.title')}</h2>
              <p id="handin-text">${this.t('banner.handin.text')}</p>
              <div class="row">
                <button type="button" class="primary" @click=${() => this.handIn()}>${this.t('banner.handin.yes')}</button>
                <button type="button" autofocus @click=${() => this.querySelector<HTMLDialogElement>('dialog.handin')?.close()}>${this.t('banner.handin.no')}</button>
              </div>
            </dialog>`
          : nothing
      }
    </section>`;
  }

  private renderTeacherBanner() {
    const id = this.activityId!;
    const status = this.status;
    const who = this.row ? whoOf(this.row) : '';
    return html`<section class="activity-banner teacher" aria-labelledby="activity-title">
      <div class="banner-main">
        <p><a href=${withToken(dashboardPath(id), this.token)}>${this.t('banner.dashboard')}</a></p>
        <h1 id="activity-title">${this.activity?.title ?? this.t('banner.label')}</h1>
        <p class="banner-facts">
          <strong>${this.copyId ? this.t('banner.teacher.copy', { who }) : this.t('banner.teacher.template')}</strong>
          ${status?.readOnly ? html`<span>${this.t(`banner.readonly.${status.readOnly}`)}</span>` : nothing}
        </p>
        ${this.copyId ? html`<p class="help">${this.t('banner.teacher.hint')}</p>` : nothing}
        ${this.copyId ? html`<p class="notice outputs-notice">${this.t('banner.teacher.outputs')}</p>` : nothing}
        ${this.renderCopyNav()}
        ${this.teacherLive.state === 'lost' ? html`<p class="help">${this.t('dash.reconnecting')}</p>` : nothing}
        ${this.renderResumeAction()}
      </div>
      ${
        this.copyId && status
          ? html`<form class="grade-form" @submit=${(e: SubmitEvent) => {
              e.preventDefault();
              const data = new FormData(e.target as HTMLFormElement);
              const grade = String(data.get('grade') ?? '').trim();
              void this.saveCopy({ grade: grade || null, state: String(data.get('state')) as CopyState });
            }}>
              <label for="copy-state">${this.t('banner.state.label')}</label>
              <select id="copy-state" name="state">
                ${copyStates.map((s) => html`<option value=${s} ?selected=${status.state === s}>${this.t(`state.${s}`)}</option>`)}
              </select>
              <label for="copy-grade">${this.t('banner.grade.label')}</label>
              <input id="copy-grade" name="grade" maxlength="40" .value=${status.grade ?? ''} />
              <button type="submit" class="primary">${this.t('banner.grade.save')}</button>
              <p class="grade-saved" role="status">${this.saved}</p>
            </form>`
          : nothing
      }
    </section>`;
  }

  /** The notebook's header names the copy, not its room. */
  private notebookLabel(): string {
    if (this.isTeacher)
      return this.copyId
        ? this.t('banner.teacher.copy', { who: this.row ? whoOf(this.row) : '' })
        : this.t('banner.teacher.template');
    return this.access?.name && this.access.mode === 'individual'
      ? this.t('banner.notebook.pupil', { name: this.access.name })
      : this.t('banner.notebook');
  }

  protected override render() {
    const claims = this.claims;
    const demo = claims.role === 'viewer';
    const banner = this.isTeacher
      ? this.renderTeacherBanner()
      : demo
        ? html`<section class="activity-banner" aria-labelledby="activity-title">
            <div class="banner-main">
              <h1 id="activity-title">${this.access?.title ?? this.t('banner.label')}</h1>
              <p class="notice" role="status">${this.t('banner.demo')}</p>
            </div>
          </section>`
        : this.renderPupilBanner();
    const readonly = this.isPupil && Boolean(this.status?.readOnly);
    return html`${banner}
      <div class="banner-messages">
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <p class="visually-hidden" role="status">${this.notice}</p>
      </div>
      <candyce-notebook
        server=${this.server}
        room=${this.room}
        token=${this.token}
        kernel=${this.kernel}
        lang=${this.lang}
        follow=${this.follow || (demo ? 'role:teacher' : '')}
        label=${this.notebookLabel()}
        .readonly=${readonly}
        .comments=${this.comments}
        ?commentable=${this.isTeacher && this.copyId !== null}
        @candyce-comment=${this.onComment}
        @candyce-comment-delete=${this.onCommentDelete}
      ></candyce-notebook>`;
  }
}

if (!customElements.get('candyce-activity-notebook'))
  customElements.define('candyce-activity-notebook', ActivityNotebook);
