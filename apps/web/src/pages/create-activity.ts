import { browserCatalog, catalogOf, type KernelCatalog, kernelLabel, optionFields } from '@candyce/editor';
import { html, nothing } from 'lit';
import { type CreatedActivity, classroomApi } from '../classroom/api.js';
import { activityModes, asMode, deadlineFromInput, maxCopiesFromInput } from '../classroom/format.js';
import { classroomMemory } from '../classroom/memory.js';
import { prefs } from '../prefs.js';
import { PageElement } from './page-element.js';
import { renderKeyPanel } from './teacher-key.js';

/** Largest notebook the form uploads (the server may accept less). */
const maxFileMb = 20;

/**
 * Returns the catalogue id of the kernel a notebook's kernelspec names, or
 * null when the deployment does not offer it: `sql` and Python in the
 * browser unless it says `server`; any other on the Jupyter server.
 */
export const kernelIdOf = (notebook: unknown, catalog: KernelCatalog): string | null => {
  const spec = (notebook as { metadata?: { kernelspec?: Record<string, unknown> } } | null)?.metadata
    ?.kernelspec;
  if (!spec || typeof spec !== 'object') return null;
  const name = typeof spec.name === 'string' ? spec.name.trim().toLowerCase() : '';
  if (!name) return null;
  const onServer = spec.candyce_location === 'server';
  const python = /^python\d*$/.test(name) || spec.language === 'python';
  const id = name === 'sql' ? 'sql' : python && !onServer ? 'pyodide' : `server:${name}`;
  return catalog.kernels.some((k) => k.id === id) ? id : null;
};

/**
 * `<candyce-create-activity>`: the home page's form that creates an activity
 * (title, the teacher's name, mode, deadline, optional .ipynb), keeps the
 * teacher's link on this device, then says plainly that this link is the only
 * key to the dashboard (copy, e-mail, print) and shows the teacher code once.
 */
export class CreateActivity extends PageElement {
  static override properties = {
    ...PageElement.properties,
    error: { state: true },
    busy: { state: true },
    created: { state: true },
    notice: { state: true },
    kernels: { state: true },
    kernel: { state: true },
  };

  declare private error: string;
  declare private busy: boolean;
  /** The activity just created: its key panel replaces the form. */
  declare private created: CreatedActivity | null;
  declare private notice: string;
  /** What the deployment offers (the browser kernels until the server answers). */
  declare private kernels: KernelCatalog;
  /** The kernel chosen in the form (an id of the catalogue). */
  declare private kernel: string;

  constructor() {
    super();
    this.error = '';
    this.busy = false;
    this.created = null;
    this.notice = '';
    this.kernels = browserCatalog;
    this.kernel = 'pyodide';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    classroomApi({ lang: this.lang })
      .kernels()
      .then((body) => {
        this.kernels = catalogOf(body);
      })
      .catch(() => undefined);
  }

  /** Preselects the kernel an uploaded notebook names, when the deployment offers it. */
  private onFile = async (e: Event): Promise<void> => {
    const file = (e.target as HTMLInputElement).files?.[0] ?? null;
    let notebook: unknown;
    try {
      notebook = await this.readNotebook(file);
    } catch {
      return;
    }
    const id = kernelIdOf(notebook, this.kernels);
    if (id) this.kernel = id;
  };

  private fail(message: string, field: string): void {
    this.error = message;
    this.busy = false;
    this.updateComplete.then(() => this.querySelector<HTMLElement>(`#${field}`)?.focus());
  }

  private async readNotebook(file: File | null): Promise<unknown> {
    if (!file || file.size === 0) return undefined;
    if (file.size > maxFileMb * 1024 * 1024) throw new RangeError('size');
    const value: unknown = JSON.parse(await file.text());
    if (!value || typeof value !== 'object' || !Array.isArray((value as { cells?: unknown }).cells))
      throw new TypeError('not a notebook');
    return value;
  }

  private onSubmit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (this.busy) return;
    const form = new FormData(e.target as HTMLFormElement);
    const title = String(form.get('title') ?? '').trim();
    if (!title) return this.fail(this.t('create.error.title'), 'act-title');
    const deadline = deadlineFromInput(String(form.get('deadline') ?? ''));
    if (deadline === undefined) return this.fail(this.t('create.error.deadline'), 'act-deadline');
    const mode = asMode(form.get('mode')) ?? 'individual';
    const maxCopies = maxCopiesFromInput(String(form.get('maxCopies') ?? ''));
    if (maxCopies === null) return this.fail(this.t('create.error.maxCopies'), 'act-max');
    const teacherName = String(form.get('teacherName') ?? '').trim();
    this.busy = true;
    this.error = '';
    let notebook: unknown;
    try {
      const file = form.get('notebook');
      notebook = await this.readNotebook(file instanceof File ? file : null);
    } catch (error) {
      const message =
        error instanceof RangeError
          ? this.t('create.error.fileSize', { max: String(maxFileMb) })
          : this.t('create.error.file');
      return this.fail(message, 'act-file');
    }
    try {
      const api = classroomApi({ lang: this.lang });
      const created = await api.createActivity({
        title,
        mode,
        deadline,
        ...(maxCopies === undefined ? {} : { maxCopies }),
        ...(teacherName ? { teacherName } : {}),
        ...(notebook === undefined ? {} : { notebook }),
        kernel: String(form.get('kernel') ?? this.kernel),
      });
      if (teacherName) prefs.setName(teacherName);
      classroomMemory().saveTeacher({
        activityId: created.id,
        title: created.title,
        code: created.code,
        token: created.teacherToken,
        createdAt: new Date().toISOString(),
      });
      this.busy = false;
      this.created = created;
      this.updateComplete.then(() => this.querySelector<HTMLElement>('#key-title')?.focus());
    } catch (error) {
      this.fail(this.errorText(error), 'act-title');
    }
  };

  protected override render() {
    if (this.created)
      return html`${renderKeyPanel(
        {
          t: (key, params) => this.t(key, params),
          notify: (message) => {
            this.notice = message;
          },
        },
        this.created,
      )}<p class="notice-line" role="status">${this.notice}</p>`;
    return html`<form class="stack" @submit=${this.onSubmit} novalidate aria-busy=${this.busy ? 'true' : 'false'}>
      <label for="act-title">${this.t('create.title')}</label>
      <input id="act-title" name="title" required maxlength="200" autocomplete="off"
        aria-describedby="act-error" aria-invalid=${this.error === this.t('create.error.title') ? 'true' : 'false'} />
      <label for="act-teacher">${this.t('create.teacherName')}</label>
      <input id="act-teacher" name="teacherName" maxlength="60" autocomplete="name" .value=${prefs.name()}
        aria-describedby="act-teacher-help" />
      <p id="act-teacher-help" class="help">${this.t('create.teacherName.help')}</p>
      <fieldset class="modes">
        <legend>${this.t('create.mode')}</legend>
        ${activityModes.map(
          (m, i) => html`<label class="radio mode">
            <input type="radio" name="mode" value=${m} ?checked=${i === 0} />
            <span><strong>${this.t(`create.mode.${m}`)}</strong> <span class="help">— ${this.t(`create.mode.${m}.help`)}</span></span>
          </label>`,
        )}
      </fieldset>
      <label for="act-deadline">${this.t('create.deadline')}</label>
      <input id="act-deadline" name="deadline" type="datetime-local" aria-describedby="act-deadline-help" />
      <p id="act-deadline-help" class="help">${this.t('create.deadline.help')}</p>
      <label for="act-max">${this.t('create.maxCopies')}</label>
      <input id="act-max" name="maxCopies" type="number" inputmode="numeric" min="1" max="500" step="1" value="60"
        aria-describedby="act-max-help" />
      <p id="act-max-help" class="help">${this.t('create.maxCopies.help')}</p>
      <label for="act-file">${this.t('create.file')}</label>
      <input id="act-file" name="notebook" type="file" accept=".ipynb,application/x-ipynb+json,application/json"
        aria-describedby="act-file-help" @change=${this.onFile} />
      <p id="act-file-help" class="help">${this.t('create.file.help')}</p>
      <label for="act-kernel">${this.t('create.kernel')}</label>
      <select id="act-kernel" name="kernel" aria-describedby="act-kernel-help" @change=${(e: Event) => {
        this.kernel = (e.target as HTMLSelectElement).value;
      }}>
        ${this.kernels.kernels.map(
          (k) =>
            html`<option value=${k.id} .selected=${k.id === this.kernel}>${kernelLabel(optionFields(k), {
              browser: this.t('create.kernel.browser'),
              server: this.t('create.kernel.server'),
            })}</option>`,
        )}
      </select>
      <p id="act-kernel-help" class="help">${this.t('create.kernel.help')}</p>
      <p id="act-error" class="error" role="alert">${this.error || nothing}</p>
      <button type="submit" class="primary" ?disabled=${this.busy}>
        ${this.busy ? this.t('create.busy') : this.t('create.submit')}
      </button>
    </form>`;
  }
}

if (!customElements.get('candyce-create-activity'))
  customElements.define('candyce-create-activity', CreateActivity);
