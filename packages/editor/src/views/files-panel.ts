import { readErrorBody } from '@candyce/protocol';
import {
  html,
  nothing,
  type ReactiveController,
  type ReactiveControllerHost,
  type TemplateResult,
} from 'lit';

import type * as Y from 'yjs';
import type { Lang, Translate } from '../i18n/translate.js';
import { fileUrl, type ManifestEntry, manifestOf, type RoomFilesSource } from '../run/room-files.js';
import { httpBaseOf } from '../run/server-runner.js';

// The files panel of the notebook header: the data files attached to the
// notebook (shared by everyone in the room, in the kernel's working
// directory), with upload (button or drop), download, and delete after a
// confirmation. The list is the manifest the server keeps in the room's
// `state` map, so it changes live for every collaborator.

/** What the panel needs from its notebook. */
export interface FilesPanelHost extends ReactiveControllerHost {
  /** The room's server, name and token; null while the notebook is not connected to a server. */
  filesSource(): RoomFilesSource | null;
  /** The shared document, whose `state` map holds the manifest. */
  filesDoc(): Y.Doc | undefined;
}

const defaultFileLimit = 20 * 1024 * 1024;

/** Returns a size in the user's language (octets in French). */
export const formatSize = (bytes: number, lang: Lang): string => {
  const units = lang === 'fr' ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 ? String(value) : value.toLocaleString(lang, { maximumFractionDigits: 1 });
  return `${shown} ${units[unit]}`;
};

/**
 * The part of a server's "Phrase. / Sentence." refusal in the user's
 * language (the French part ends with a full stop; `« / »` may occur in it).
 */
export const inLang = (text: string, lang: Lang): string => {
  const at = text.indexOf('. / ');
  if (at < 0) return text;
  return lang === 'fr' ? text.slice(0, at + 1) : text.slice(at + 4);
};

/**
 * The state of the files panel of one notebook: open or closed, the manifest
 * it shows (observed live), the message of the last action, and the name
 * awaiting a delete confirmation.
 */
export class FilesPanel implements ReactiveController {
  open = false;
  message: { text: string; error: boolean } | null = null;
  confirming: string | null = null;
  busy = false;
  private fileLimit = defaultFileLimit;
  private observed: Y.Map<unknown> | null = null;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(private readonly host: FilesPanelHost) {
    host.addController(this);
  }

  hostUpdated(): void {
    // Follows the document the notebook holds now (a new room, a reconnect).
    const map = this.open ? (this.host.filesDoc()?.getMap('state') ?? null) : null;
    if (map === this.observed) return;
    this.observed?.unobserve(this.onChange);
    this.observed = map;
    map?.observe(this.onChange);
  }

  hostDisconnected(): void {
    this.observed?.unobserve(this.onChange);
    this.observed = null;
  }

  /** The files listed now. */
  files(): ManifestEntry[] {
    const doc = this.host.filesDoc();
    return doc ? manifestOf(doc).sort((a, b) => a.name.localeCompare(b.name)) : [];
  }

  toggle(): void {
    this.open = !this.open;
    this.confirming = null;
    if (this.open) void this.loadLimits();
    this.host.requestUpdate();
  }

  /** Asks to confirm the deletion of `name` (null: cancel). */
  ask(name: string | null): void {
    this.confirming = name;
    this.message = null;
    this.host.requestUpdate();
  }

  private headers(source: RoomFilesSource): Record<string, string> {
    return source.token ? { authorization: `Bearer ${source.token}` } : {};
  }

  private say(text: string, error = false): void {
    this.message = { text, error };
    this.host.requestUpdate();
  }

  private async loadLimits(): Promise<void> {
    const source = this.host.filesSource();
    if (!source) return;
    try {
      const response = await fetch(fileUrl(source), { headers: this.headers(source) });
      const body = (await response.json()) as { limits?: { file?: number } };
      if (typeof body.limits?.file === 'number') this.fileLimit = body.limits.file;
    } catch {
      // The server says the limit on upload anyway.
    }
  }

  /** Uploads `files` one after the other, saying what happened to each. */
  async upload(files: readonly File[], t: Translate, lang: Lang): Promise<void> {
    const source = this.host.filesSource();
    if (!source || files.length === 0) return;
    this.busy = true;
    this.host.requestUpdate();
    try {
      for (const file of files) {
        // Refused here at once: a file far too large is not sent only to be refused.
        if (file.size > this.fileLimit) {
          this.say(t('files.tooLarge', { name: file.name, limit: formatSize(this.fileLimit, lang) }), true);
          continue;
        }
        let response: Response;
        try {
          response = await fetch(fileUrl(source, file.name), {
            method: 'PUT',
            headers: { ...this.headers(source), 'content-type': file.type || 'application/octet-stream' },
            body: file,
          });
        } catch (err) {
          this.say(
            t('files.failed', { name: file.name, reason: err instanceof Error ? err.message : String(err) }),
            true,
          );
          continue;
        }
        if (response.ok) {
          this.say(t('files.uploaded', { name: file.name }));
          continue;
        }
        const body = readErrorBody(await response.json().catch(() => null));
        this.say(
          t('files.failed', { name: file.name, reason: inLang(body.error ?? String(response.status), lang) }),
          true,
        );
      }
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  /** Downloads one file (or, without `name`, the notebook and its files as a zip). */
  async download(t: Translate, lang: Lang, name?: string): Promise<void> {
    const source = this.host.filesSource();
    if (!source) return;
    const url =
      name === undefined
        ? `${httpBaseOf(source.server)}/api/notebooks/${encodeURIComponent(source.room)}/archive.zip`
        : fileUrl(source, name);
    try {
      const response = await fetch(url, { headers: this.headers(source) });
      if (!response.ok) {
        const body = readErrorBody(await response.json().catch(() => null));
        throw new Error(inLang(body.error ?? String(response.status), lang));
      }
      const a = document.createElement('a');
      a.href = URL.createObjectURL(await response.blob());
      a.download = name ?? `${source.room}.zip`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (err) {
      this.say(
        t('files.failed', { name: name ?? `${source.room}.zip`, reason: (err as Error).message }),
        true,
      );
    }
  }

  /** Deletes `name` for everyone (after the confirmation the panel asked for). */
  async remove(name: string, t: Translate, lang: Lang): Promise<void> {
    const source = this.host.filesSource();
    this.confirming = null;
    if (!source) return;
    try {
      const response = await fetch(fileUrl(source, name), {
        method: 'DELETE',
        headers: this.headers(source),
      });
      if (!response.ok) {
        const body = readErrorBody(await response.json().catch(() => null));
        throw new Error(inLang(body.error ?? String(response.status), lang));
      }
      this.say(t('files.deleted', { name }));
    } catch (err) {
      this.say(t('files.failed', { name, reason: (err as Error).message }), true);
    }
  }
}

/** Returns the panel's markup; `canWrite` false (viewers, read-only copies) leaves download only. */
export const filesPanelView = (
  panel: FilesPanel,
  o: { t: Translate; lang: Lang; canWrite: boolean; focusAfterClose: () => void },
): TemplateResult => {
  const { t, lang } = o;
  const files = panel.files();
  const pick = (event: Event) => {
    const input = event.target as HTMLInputElement;
    void panel.upload([...(input.files ?? [])], t, lang);
    input.value = '';
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    if (o.canWrite) void panel.upload([...(event.dataTransfer?.files ?? [])], t, lang);
  };
  return html`<section class="files-panel" id="candyce-files" part="files" aria-labelledby="candyce-files-title"
    @dragover=${(e: DragEvent) => e.preventDefault()} @drop=${drop}
    @keydown=${(e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        panel.toggle();
        o.focusAfterClose();
      }
    }}>
    <h3 id="candyce-files-title">${t('files.title')}</h3>
    <p class="hint">${t('files.explain')}</p>
    ${
      files.length === 0
        ? html`<p class="empty">${t('files.empty')}</p>`
        : html`<ul class="files" aria-label=${t('files.title')}>
            ${files.map(
              (f) => html`<li>
                <span class="file-name">${f.name}</span>
                <span class="file-size">${formatSize(f.size, lang)}</span>
                <button type="button" aria-label=${t('files.downloadName', { name: f.name })}
                  @click=${() => panel.download(t, lang, f.name)}>${t('files.download')}</button>
                ${
                  !o.canWrite
                    ? nothing
                    : panel.confirming === f.name
                      ? html`<span role="group" aria-label=${t('files.confirm', { name: f.name })}>
                          <span>${t('files.confirm', { name: f.name })}</span>
                          <button type="button" class="danger confirm-delete" @click=${() => panel.remove(f.name, t, lang)}>${t('files.confirmYes')}</button>
                          <button type="button" @click=${() => panel.ask(null)}>${t('files.confirmNo')}</button>
                        </span>`
                      : html`<button type="button" class="delete" aria-label=${t('files.deleteName', { name: f.name })}
                          @click=${() => panel.ask(f.name)}>${t('files.delete')}</button>`
                }
              </li>`,
            )}
          </ul>`
    }
    <div class="files-actions">
      ${
        o.canWrite
          ? html`<label class="upload">
              <input type="file" multiple class="visually-hidden" ?disabled=${panel.busy} @change=${pick} />
              <span>${t('files.upload')}</span>
            </label>
            <span class="hint">${t('files.drop')}</span>`
          : nothing
      }
      <button type="button" @click=${() => panel.download(t, lang)}>${t('files.zip')}</button>
      <button type="button" @click=${() => {
        panel.toggle();
        o.focusAfterClose();
      }}>${t('files.close')}</button>
    </div>
    <p class="files-message ${panel.message?.error ? 'error' : ''}" role=${panel.message?.error ? 'alert' : 'status'}>${panel.message?.text ?? ''}</p>
  </section>`;
};
