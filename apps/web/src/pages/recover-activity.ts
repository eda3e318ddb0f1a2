import { html, nothing } from 'lit';
import { ApiError, classroomApi } from '../classroom/api.js';
import { classroomMemory } from '../classroom/memory.js';
import { dashboardPath, withToken } from '../routes.js';
import { PageElement } from './page-element.js';

/**
 * `<candyce-recover-activity>`: a teacher types the teacher code shown at an
 * activity's creation and goes to its dashboard, on any computer; the token
 * it gets is kept on this device. Used on the home page and on a dashboard
 * opened without its key.
 */
export class RecoverActivity extends PageElement {
  static override properties = {
    ...PageElement.properties,
    error: { state: true },
    busy: { state: true },
  };

  declare private error: string;
  declare private busy: boolean;

  constructor() {
    super();
    this.error = '';
    this.busy = false;
  }

  private onSubmit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (this.busy) return;
    const input = this.querySelector<HTMLInputElement>('#recover-code');
    const code = (input?.value ?? '').trim();
    if (!code) {
      this.error = this.t('recover.error.empty');
      input?.focus();
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const found = await classroomApi({ lang: this.lang }).recover(code);
      classroomMemory().saveTeacher({
        activityId: found.id,
        title: found.title,
        code: found.code,
        token: found.teacherToken,
        createdAt: new Date().toISOString(),
      });
      const target = withToken(dashboardPath(found.id), found.teacherToken);
      // On the dashboard already, a new fragment alone would not load the page again.
      if (location.pathname === dashboardPath(found.id)) {
        history.replaceState(history.state, '', target);
        location.reload();
      } else location.assign(target);
    } catch (error) {
      this.busy = false;
      this.error =
        error instanceof ApiError && error.code === 'unknown-teacher-code'
          ? this.t('recover.error.unknown')
          : error instanceof ApiError && error.code === 'too-many-attempts'
            ? this.t('join.error.too-many-attempts')
            : this.errorText(error);
      this.updateComplete.then(() => input?.focus());
    }
  };

  protected override render() {
    return html`<form class="stack" @submit=${this.onSubmit} novalidate>
      <label for="recover-code">${this.t('recover.code')}</label>
      <div class="row wrap">
        <input id="recover-code" class="code-input teacher-code-input" autocomplete="off" autocapitalize="characters"
          spellcheck="false" maxlength="20" aria-describedby="recover-help recover-error"
          aria-invalid=${this.error ? 'true' : 'false'} />
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.t('recover.submit')}</button>
      </div>
      <p id="recover-help" class="help">${this.t('recover.help')}</p>
      <p id="recover-error" class="error" role="alert">${this.error || nothing}</p>
    </form>`;
  }
}

if (!customElements.get('candyce-recover-activity'))
  customElements.define('candyce-recover-activity', RecoverActivity);
