import { setNotebookKernel } from '@candyce/model';
import { nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { NotebookSession } from '../context.js';
import type { KernelKind } from '../run/cell-runner.js';
import { loadKernelCatalog } from '../run/kernel-catalog-loader.js';
import { browserCatalog, currentKernelOf, type KernelCatalog } from '../run/kernel-choice.js';
import {
  currentKernelLabel,
  type KernelViewOptions,
  kernelNoticeView,
  kernelView,
} from '../views/kernel-view.js';

/** A classroom copy's room (`act-<activity>-<copy>`): its kernel is the teacher's choice. */
const copyRoomPattern = /^act-[a-z2-7]{10}-(?:[a-z2-7]{8}|class)$/;

/** Where the chooser reads what it needs from its notebook element. */
export interface KernelChooserHost extends ReactiveControllerHost {
  readonly server: string;
  readonly token: string;
  readonly room: string;
  readonly kernel: string;
}

/**
 * The notebook's kernel selector: keeps the deployment's kernel list (asked
 * again when the server or token changes) and renders the selector and the
 * notice of a kernel this deployment does not offer. Choosing writes the
 * notebook's kernelspec with the user's origin: collaborators switch live
 * and undo puts it back.
 */
export class KernelChooser implements ReactiveController {
  catalog: KernelCatalog = browserCatalog;
  private loadedFor = '';

  constructor(
    private readonly host: KernelChooserHost,
    private readonly kind: () => KernelKind,
    private readonly announce: (message: string) => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    // Stops the retries of a removed element; a reconnected one asks again.
    this.loadedFor = '';
  }

  hostUpdate(): void {
    const key = `${this.host.server}\n${this.host.token}`;
    if (key === this.loadedFor) return;
    this.loadedFor = key;
    this.load(key, 0);
  }

  /** Asks for the list; a Jupyter server that did not answer yet is asked again a few times, 3 s apart. */
  private load(key: string, attempt: number): void {
    loadKernelCatalog(this.host.server, this.host.token).then((catalog) => {
      if (this.loadedFor !== key) return;
      this.catalog = catalog;
      this.host.requestUpdate();
      if (catalog.server.configured && !catalog.server.available && attempt < 3)
        setTimeout(() => {
          if (this.loadedFor === key) this.load(key, attempt + 1);
        }, 3000);
    });
  }

  private options(session: NotebookSession): KernelViewOptions {
    return {
      t: session.t,
      current: currentKernelOf(session.doc, this.kind()),
      catalog: this.catalog,
      fixed: session.role !== 'teacher' && copyRoomPattern.test(this.host.room),
      readonly: session.readonly,
      onChoose: (option) => {
        setNotebookKernel(session.doc, option.kernelspec, { origin: session.origin, role: session.role });
        this.announce(
          session.t('kernel.changed', {
            kernel: currentKernelLabel(session.t, currentKernelOf(session.doc, this.kind())),
          }),
        );
      },
    };
  }

  /** The selector, or nothing for a notebook that runs no code. */
  selector(session: NotebookSession): TemplateResult | typeof nothing {
    return this.kind() === 'none' ? nothing : kernelView(this.options(session));
  }

  /** The notice of a kernel this deployment does not offer, or nothing. */
  notice(session: NotebookSession): TemplateResult | typeof nothing {
    return this.kind() === 'none' ? nothing : kernelNoticeView(this.options(session));
  }
}
