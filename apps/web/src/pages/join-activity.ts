import { html, nothing, type PropertyValues } from 'lit';
import { classroomApi, type JoinPeek } from '../classroom/api.js';
import { isJoinCode, normalizeCode } from '../classroom/format.js';
import { classroomMemory, type PupilAccess } from '../classroom/memory.js';
import { prefs } from '../prefs.js';
import { notebookPath, withToken } from '../routes.js';
import { PageElement } from './page-element.js';

type Field = 'code' | 'name' | 'pair' | 'resume';

/**
 * `<candyce-join code>`: a pupil joins an activity with its code, a display
 * name and, in pairs, the partner's pair code (the field shows once the
 * server says the code's activity is in pairs). A pupil who already has a copy,
 * on another computer, gives their personal code instead ("I already have a
 * copy") and gets that copy back. The token the server gives is kept on this
 * device for that activity, so that a pupil who comes back continues in the
 * same copy; then the page goes to the copy's notebook.
 */
export class JoinActivity extends PageElement {
  static override properties = {
    ...PageElement.properties,
    code: { type: String },
    error: { state: true },
    errorField: { state: true },
    busy: { state: true },
    returning: { state: true },
    resuming: { state: true },
    peeked: { state: true },
  };

  declare code: string;
  declare private error: string;
  declare private errorField: Field | null;
  declare private busy: boolean;
  /** This device's earlier access to the activity of `code`, offered to continue. */
  declare private returning: PupilAccess | null;
  /** True when the pupil gives their personal code to get their copy back. */
  declare private resuming: boolean;
  /** What the server said of the code typed (its activity's mode), `failed` when it could not say. */
  declare private peeked: { code: string; activity: JoinPeek['activity'] | null; failed: boolean } | null;

  constructor() {
    super();
    this.code = '';
    this.error = '';
    this.errorField = null;
    this.busy = false;
    this.returning = null;
    this.resuming = false;
    this.peeked = null;
  }

  /** Asks the server what activity `code` is (once per code): the pair-code field depends on its mode. */
  private peek(raw: string): void {
    const code = normalizeCode(raw);
    if (!isJoinCode(code) || this.peeked?.code === code) return;
    this.peeked = { code, activity: null, failed: false };
    classroomApi({ lang: this.lang })
      .peek(code)
      .then(
        (answer) => {
          if (this.peeked?.code === code) this.peeked = { code, activity: answer.activity, failed: false };
        },
        (error: unknown) => {
          // A wrong code is said when joining; without an answer at all, the field shows, to be safe.
          const network = (error as { code?: string }).code === 'network';
          if (this.peeked?.code === code) this.peeked = { code, activity: null, failed: network };
        },
      );
  }

  private get pairsField(): boolean {
    return this.peeked?.activity?.mode === 'pairs' || this.peeked?.failed === true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('code')) {
      const code = normalizeCode(this.code);
      this.returning = isJoinCode(code) ? classroomMemory().pupilByCode(code) : null;
      this.peek(code);
    }
  }

  protected override firstUpdated(): void {
    // The first empty field takes the focus: with a link, that is the name.
    const field = this.querySelector<HTMLInputElement>(this.code ? '#join-name' : '#join-code');
    if (!this.returning) field?.focus();
  }

  private fail(message: string, field: Field): void {
    this.error = message;
    this.errorField = field;
    this.busy = false;
    this.updateComplete.then(() => this.querySelector<HTMLElement>(`#join-${field}`)?.focus());
  }

  private continueWork(access: PupilAccess): void {
    location.assign(withToken(notebookPath(access.room), access.token));
  }

  private onSubmit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (this.busy) return;
    const form = new FormData(e.target as HTMLFormElement);
    const code = normalizeCode(String(form.get('code') ?? ''));
    const name = String(form.get('name') ?? '').trim();
    const pairCode = this.pairsField ? normalizeCode(String(form.get('pair') ?? '')) : '';
    const resumeCode = this.resuming ? normalizeCode(String(form.get('resume') ?? '')) : '';
    if (!isJoinCode(code)) return this.fail(this.t('join.error.code-shape'), 'code');
    if (this.resuming) {
      if (!isJoinCode(resumeCode)) return this.fail(this.t('join.error.resume-shape'), 'resume');
    } else {
      if (!name) return this.fail(this.t('join.error.name-required'), 'name');
      if (name.length > 60) return this.fail(this.t('join.error.name-too-long'), 'name');
    }
    this.busy = true;
    this.error = '';
    this.errorField = null;
    try {
      const joined = await classroomApi({ lang: this.lang }).join(
        this.resuming ? { code, resumeCode } : { code, name, ...(pairCode ? { pairCode } : {}) },
      );
      const access: PupilAccess = {
        activityId: joined.activity.id,
        code,
        title: joined.activity.title,
        mode: joined.activity.mode,
        deadline: joined.activity.deadline,
        name: joined.pupil.name,
        room: joined.copy.room,
        token: joined.token,
      };
      if (joined.copy.pairCode) access.pairCode = joined.copy.pairCode;
      const personal = joined.resumeCode ?? (resumeCode || undefined);
      if (personal) access.resumeCode = personal;
      classroomMemory().savePupil(access);
      prefs.setName(joined.pupil.name);
      this.continueWork(access);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const field: Field =
        code === 'name-required' || code === 'name-too-long' || code === 'name-reserved'
          ? 'name'
          : code === 'unknown-pair-code' || code === 'pair-full'
            ? 'pair'
            : code === 'unknown-resume-code'
              ? 'resume'
              : 'code';
      this.fail(this.errorText(error, 'join'), field);
    }
  };

  /** Between a first join (name) and coming back with a personal code; the new first field takes the focus. */
  private switchMode(): void {
    this.resuming = !this.resuming;
    this.error = '';
    this.errorField = null;
    this.updateComplete.then(() =>
      this.querySelector<HTMLInputElement>(this.resuming ? '#join-resume' : '#join-name')?.focus(),
    );
  }

  private invalid(field: Field) {
    return this.errorField === field ? 'true' : 'false';
  }

  protected override render() {
    const back = this.returning;
    return html`<h1>${this.t('join.title')}</h1>
      ${
        back
          ? html`<div class="notice" role="status">
              <p>${this.t('join.continue', { title: back.title, name: back.name })}</p>
              <div class="row">
                <button type="button" class="primary" @click=${() => this.continueWork(back)}>${this.t('join.continue.button')}</button>
                <button type="button" @click=${() => {
                  classroomMemory().forgetPupil(back.activityId);
                  this.returning = null;
                }}>${this.t('join.other')}</button>
              </div>
            </div>`
          : nothing
      }
      <form class="stack" @submit=${this.onSubmit} novalidate aria-busy=${this.busy ? 'true' : 'false'}
        data-mode=${this.peeked?.activity?.mode ?? ''}>
        <label for="join-code">${this.t('join.code')}</label>
        <input id="join-code" name="code" class="code-input" required autocomplete="off" autocapitalize="characters"
          spellcheck="false" maxlength="12" .value=${this.code} @input=${(e: Event) => this.peek((e.target as HTMLInputElement).value)}
          aria-describedby="join-code-help join-error" aria-invalid=${this.invalid('code')} />
        <p id="join-code-help" class="help">${this.t('join.code.help')}</p>
        ${
          this.resuming
            ? html`<label for="join-resume">${this.t('join.resume')}</label>
              <input id="join-resume" name="resume" class="code-input" required autocomplete="off" autocapitalize="characters"
                spellcheck="false" maxlength="12" aria-describedby="join-resume-help join-error" aria-invalid=${this.invalid('resume')} />
              <p id="join-resume-help" class="help">${this.t('join.resume.help')}</p>`
            : html`<label for="join-name">${this.t('join.name')}</label>
              <input id="join-name" name="name" required maxlength="80" autocomplete="given-name" .value=${prefs.name()}
                aria-describedby="join-name-help join-error" aria-invalid=${this.invalid('name')} />
              <p id="join-name-help" class="help">${this.t('join.name.help')}</p>
              ${
                this.pairsField
                  ? html`<label for="join-pair">${this.t('join.pairCode')}</label>
                    <input id="join-pair" name="pair" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="12"
                      aria-describedby="join-pair-help join-error" aria-invalid=${this.invalid('pair')} />
                    <p id="join-pair-help" class="help">${this.t('join.pairCode.help')}</p>`
                  : nothing
              }`
        }
        <p id="join-error" class="error" role="alert">${this.error || nothing}</p>
        <button type="submit" class="primary" ?disabled=${this.busy}>${
          this.busy
            ? this.t('join.busy')
            : this.resuming
              ? this.t('join.resume.submit')
              : this.t('join.submit')
        }</button>
      </form>
      <p class="join-switch">
        <button type="button" class="link" aria-pressed=${this.resuming ? 'true' : 'false'} @click=${() => this.switchMode()}>${
          this.resuming ? this.t('join.resume.back') : this.t('join.resume.open')
        }</button>
      </p>`;
  }
}

if (!customElements.get('candyce-join')) customElements.define('candyce-join', JoinActivity);
