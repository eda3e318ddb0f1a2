import {
  cellIdOf,
  cellsOf,
  createUndoManager,
  exportIpynb,
  importIpynb,
  localOrigin,
  type NotebookChange,
  observeNotebook,
  type Role,
  stringifyIpynb,
} from '@candyce/model';
import { readKernelPresence, readServerSideKernel, type ServerSideKernel } from '@candyce/protocol';
import { ContextProvider } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type * as Y from 'yjs';
import type { CandyceCell, CellActivateDetail, CellCommandDetail } from '../cells/candyce-cell.js';
import type { CellAddon } from '../cells/cell-addons.js';
import { type CellComments, commentsOf } from '../cells/cell-comments.js';
import { notebookLanguageOf } from '../cells/code-language.js';
import { type NotebookSession, sessionContext } from '../context.js';
import { type Lang, resolveLang, translator } from '../i18n/translate.js';
import { type CommandKeyState, commandModeKey, initialKeyState } from '../keys/commands.js';
import { afterNextFrame } from '../notebook/after-frame.js';
import { Announcer } from '../notebook/announcer.js';
import { HeaderLayout } from '../notebook/header-layout.js';
import { browserUserId } from '../notebook/identity-store.js';
import { InputRequests } from '../notebook/input-requests.js';
import { KernelChooser } from '../notebook/kernel-chooser.js';
import { type Command, runCommand } from '../notebook/notebook-commands.js';
import { moveToolbarFocus, syncToolbarFocus } from '../notebook/toolbar-focus.js';
import { asRole, colorFor, type Identity, readTokenClaims } from '../presence/identity.js';
import { findFollowed, type Person, peopleKey, readPeople } from '../presence/people.js';
import { queuePublisher } from '../presence/queued.js';
import { outputFrameUrlOf } from '../render/sandbox-frame.js';
import { sanitizer } from '../render/sanitize.js';
import { type KernelLoad, RunError, type RunState } from '../run/cell-runner.js';
import { createRunner, kernelKindOf } from '../run/create-runner.js';
import { currentKernelOf } from '../run/kernel-choice.js';
import type { SharedKernelView } from '../run/shared-kernel.js';
import { notebookStyles } from '../styles/notebook-styles.js';
import { themeTokens } from '../styles/tokens.js';
import type { ConnectionState } from '../sync/connection-state.js';
import { ProviderController } from '../sync/provider-controller.js';
import { FilesPanel, filesPanelView } from '../views/files-panel.js';
import { kernelLoadView, kernelStep, kernelText } from '../views/kernel-load-view.js';
import { presenceView } from '../views/presence-view.js';
import {
  serverKernelViewOf,
  sharedActText,
  sharedKernelIndicator,
  sharedKernelText,
  sharedLostText,
  sharedLostView,
} from '../views/shared-kernel-view.js';
import { statusView } from '../views/status-view.js';
import { type ToolbarItem, toolbarView } from '../views/toolbar-view.js';

/** Detail of the `candyce-change` event. */
export interface NotebookChangeDetail {
  /** True when this browser made the change. */
  local: boolean;
  /** True when cells were added, removed or moved. */
  structure: boolean;
  /** Ids of the cells whose content changed. */
  cells: string[];
}

const noPeople: readonly Person[] = Object.freeze([]);

// A long notebook is rendered in slices, a task each, so that the first
// screen (and its first editor) is ready without waiting for the 200th cell:
// this many cells first, then this many more per task until all are there.
const firstCells = 20;
const moreCells = 40;

/**
 * `<candyce-notebook>`: a live, shared Jupyter notebook.
 *
 * Attributes (and the same properties): `server` (WebSocket URL of the sync
 * endpoint, e.g. `ws://host:1234/sync`; empty keeps the notebook on this
 * device), `room`, `token` (a Candyce JWT; its name and role are shown),
 * `kernel` (`pyodide`, `server` or `none`), `lang` (`fr` or `en`),
 * `readonly`, and without a token `user-name` and `user-role`; `label` (the
 * title shown, default the room's name); `follow` (a
 * display name, or `role:teacher`) follows that person as soon as they are
 * here, the way the follow button does; `commentable` lets this user write
 * comments on cells. The `comments` property (cell id → comments, see
 * {@link commentsByCell}) shows a teacher's comments beside their cells.
 *
 * Events: `candyce-status` (connection state), `candyce-change` (after each
 * change of the notebook), `candyce-people` (who is here), `candyce-comment`
 * and `candyce-comment-delete` (the user wrote or removed a comment: the page
 * stores it and gives back the new `comments`).
 *
 * Its colours follow the system (dark, more contrast, forced colours); the
 * `theme` attribute (`light`, `dark`) overrides the scheme.
 * Restyle it with the `--candyce-*` custom properties and the parts `cell`,
 * `code-cell`, `markdown-cell`, `raw-cell`, `source`, `markdown`, `outputs`,
 * `output`, `gutter`, `lock`, `cell-toolbar`, `header`, `toolbar`,
 * `presence`, `status`, `kernel-status` (Python's download, while it loads), `readonly-badge`.
 */
export class CandyceNotebook extends LitElement {
  static override styles = [themeTokens, notebookStyles];

  static override properties = {
    server: { type: String },
    room: { type: String },
    token: { type: String },
    kernel: { type: String },
    lang: { type: String, reflect: true },
    readonly: { type: Boolean, reflect: true },
    userName: { type: String, attribute: 'user-name' },
    userRole: { type: String, attribute: 'user-role' },
    pyodideIndex: { type: String, attribute: 'pyodide-index' },
    pyodideWorker: { type: String, attribute: 'pyodide-worker' },
    follow: { type: String },
    label: { type: String },
    theme: { type: String, reflect: true },
    commentable: { type: Boolean },
    comments: { attribute: false },
    addons: { attribute: false },
    commentingCell: { state: true },
    offline: {
      type: Boolean,
      attribute: 'no-offline',
      converter: { fromAttribute: (v: string | null) => v === null },
    },
    activeId: { state: true },
    editing: { state: true },
    people: { state: true },
    following: { state: true },
    peopleOpen: { state: true },
    menuOpen: { state: true },
    showHelp: { state: true },
    runError: { state: true },
    localRun: { state: true },
    kernelLoad: { state: true },
    sharedKernel: { state: true },
    serverKernel: { state: true },
  };

  declare server: string;
  declare room: string;
  declare token: string;
  declare kernel: string;
  declare readonly: boolean;
  declare userName: string;
  declare userRole: string;
  /** Where Pyodide is served (`pyodide-index`; default the page's `<meta name="candyce-pyodide">`, else `/pyodide/`). */
  declare pyodideIndex: string;
  /** Where the kernel worker script is served (`pyodide-worker`, default `/kernels/pyodide-worker.js`). */
  declare pyodideWorker: string;
  /** The title shown in the header (`label`; default: the room's name). */
  declare label: string;
  /** `light` or `dark` forces that theme; anything else (the default) follows the system's `prefers-color-scheme`. */
  declare theme: string;
  /** Whom to follow as soon as they are here: a display name, or `role:teacher` (empty: nobody). */
  declare follow: string;
  /** True when this user may comment on cells (the page decides: a teacher of the activity). */
  declare commentable: boolean;
  /** Comments shown beside their cells, by cell id. */
  declare comments: CellComments;
  /**
   * What the page attaches to every cell (grading results, trace marks…),
   * rendered under each cell; a new array renders them again. See {@link CellAddon}.
   */
  declare addons: readonly CellAddon[];
  /** The cell whose comment form is open, or null. */
  declare private commentingCell: string | null;
  /** Keep the notebook in IndexedDB to open and edit it offline (the `no-offline` attribute turns it off). */
  declare offline: boolean;
  declare private activeId: string | null;
  declare private editing: boolean;
  declare private people: Person[];
  declare private following: number | null;
  /** True while the presence list is open. */
  declare private peopleOpen: boolean;
  /** True while the toolbar's "More" menu is open. */
  declare private menuOpen: boolean;
  declare private showHelp: boolean;
  /** Why the last run was refused, shown until dismissed (empty: nothing to show). */
  declare private runError: string;
  /** What this browser's runner is doing. */
  declare private localRun: RunState;
  /** Where this browser's kernel is in its start (shown while Python downloads). */
  declare private kernelLoad: KernelLoad;
  /** Where the room's shared kernel runs and its state (null: not a shared kernel). */
  declare private sharedKernel: SharedKernelView | null;
  /** What the server says of the room's server kernel (`kernel="server"`), or null. */
  declare private serverKernel: ServerSideKernel | null;

  private readonly provider = new ProviderController(
    this,
    () => ({ server: this.server, room: this.room, token: this.token, persist: this.offline }),
    (state) => {
      this.emit('candyce-status', state);
      this.session?.runner.setOnline?.(state.status === 'online' || state.status === 'syncing');
      const t = this.session?.t;
      if (t) this.announcer.connection(t, state);
    },
  );
  /** The connection state last announced (none before the first time online: the page says it is loading). */
  private readonly announcer = new Announcer(this);
  private readonly inputRequests = new InputRequests(this, (id) =>
    this.cellElement(id)?.focus({ preventScroll: true }),
  );
  private readonly sessionProvider = new ContextProvider(this, { context: sessionContext });
  private readonly headerLayout = new HeaderLayout(
    this,
    () => ({
      header: this.renderRoot?.querySelector<HTMLElement>('header') ?? null,
      toolbar: this.renderRoot?.querySelector<HTMLElement>('header .toolbar') ?? null,
      cells: this.renderRoot?.querySelector<HTMLElement>('.cells') ?? null,
    }),
    () => (this.session ? this.toolbarItems(this.session).filter((i) => i.moveRank !== undefined).length : 0),
  );
  private readonly kernelChooser = new KernelChooser(
    this,
    () => kernelKindOf(this.kernel),
    (message) => this.announce(message),
  );
  /** The toolbar button that has the toolbar's one Tab stop. */
  private toolbarFocus: string | null = null;
  private session: NotebookSession | undefined;
  /** The data files panel (views/files-panel.ts); it asks the two methods below. */
  private readonly filesPanel = new FilesPanel(this);
  filesSource() {
    return this.server && this.room ? { server: this.server, room: this.room, token: this.token } : null;
  }
  filesDoc() {
    return this.doc ?? undefined;
  }
  private sessionKey = '';
  private stopObserving: (() => void) | null = null;
  private versions = new Map<string, number>();
  private peopleByCell = new Map<string, readonly Person[]>();
  private keyState: CommandKeyState = initialKeyState;
  private names = new Map<number, string>();
  /** Cells waiting their turn in anyone's queue (read from the awareness). */
  private queuedCells: ReadonlySet<string> = new Set();
  private stopRunState: (() => void) | null = null;
  private stopKernelLoad: (() => void) | null = null;
  private emptyFocused: Y.Doc | null = null;
  private scrollTimer: ReturnType<typeof setTimeout> | null = null;
  /** How many cells are rendered (Infinity once all of them are). */
  private shown = firstCells;
  /** Cancels the next slice of cells, while one is scheduled. */
  private moreCancel: (() => void) | null = null;
  /** The last cell of the followed person's view that this view scrolled to. */
  private followedView: string | null = null;
  /** People the `follow` attribute already made this view follow once (the follower may stop). */
  private autoFollowed = new Set<number>();

  constructor() {
    super();
    this.server = '';
    this.room = '';
    this.token = '';
    this.kernel = 'pyodide';
    this.lang = '';
    this.readonly = false;
    this.userName = '';
    this.userRole = '';
    this.pyodideIndex = '';
    this.pyodideWorker = '';
    this.offline = true;
    this.follow = '';
    this.label = '';
    this.commentable = false;
    this.comments = {};
    this.addons = [];
    this.commentingCell = null;
    this.activeId = null;
    this.editing = false;
    this.people = [];
    this.following = null;
    this.peopleOpen = false;
    this.menuOpen = false;
    this.showHelp = false;
    this.runError = '';
    this.localRun = { running: null, queued: [] };
    this.kernelLoad = { state: 'idle' };
    this.sharedKernel = null;
    this.serverKernel = null;
  }

  /** The shared document of the open room (null before the element is connected). */
  get doc(): Y.Doc | null {
    return this.provider.room?.doc ?? null;
  }

  /** The connection state, as the indicator shows it. */
  get connection(): ConnectionState {
    return this.provider.state;
  }

  /** Returns the notebook as .ipynb JSON (nbformat 4.5, valid against the official schema). */
  exportNotebook(): object {
    return exportIpynb(this.requireDoc());
  }

  /** Replaces the notebook's content with `notebook` (a parsed .ipynb), for everyone in the room. */
  importNotebook(notebook: unknown): void {
    if (this.effectiveReadonly) throw new Error('This notebook is read-only: it cannot be replaced');
    importIpynb(this.requireDoc(), notebook, this.session?.origin);
  }

  /**
   * Resolves once this browser's offline copy (IndexedDB) holds every change
   * made so far: what a host page awaits before it navigates away.
   */
  whenSaved(): Promise<void> {
    return this.provider.saved();
  }

  /** Stops syncing (edits are kept in this browser and sent on `connect`). */
  disconnect(): void {
    this.provider.disconnect();
  }

  /** Syncs again after `disconnect`. */
  connect(): void {
    this.provider.connect();
  }

  /**
   * Moves the keyboard focus to the active cell (the first one when none is
   * active; the empty notebook's prompt when there is no cell): what a page's
   * "skip to the notebook" link calls.
   */
  focusCell(): void {
    const cells = this.renderRoot.querySelectorAll<CandyceCell>('candyce-cell');
    const cell = [...cells].find((c) => c.hasAttribute('active')) ?? cells[0];
    if (!cell) {
      this.focusEmpty();
      return;
    }
    const id = cell.dataset.cellId;
    if (id) this.select(id, false);
  }

  /** Downloads the notebook as an .ipynb file named after the room. */
  downloadIpynb(): void {
    const blob = new Blob([stringifyIpynb(this.requireDoc())], { type: 'application/x-ipynb+json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${this.room || 'notebook'}.ipynb`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  private requireDoc(): Y.Doc {
    const doc = this.doc;
    if (!doc) throw new Error('The notebook is not open: add <candyce-notebook> to the page first');
    return doc;
  }

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private get language(): Lang {
    return resolveLang(this.lang || this.closest('[lang]')?.getAttribute('lang'));
  }

  private get effectiveRole(): Role {
    return readTokenClaims(this.token).role ?? asRole(this.userRole, 'student');
  }

  private get effectiveReadonly(): boolean {
    return this.readonly || this.effectiveRole === 'viewer';
  }

  private identity(t: ReturnType<typeof translator>): Identity {
    const claims = readTokenClaims(this.token);
    const id = claims.sub ?? browserUserId();
    return {
      id,
      name: claims.name ?? (this.userName || t('presence.anonymous')),
      role: this.effectiveRole,
      color: colorFor(id),
    };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('server') || changed.has('room') || changed.has('token') || changed.has('offline')) {
      this.provider.sync();
    }
    if (changed.has('follow')) {
      this.autoFollowed.clear();
      if (this.session) this.readAwareness([], []);
    }
    const room = this.provider.room;
    if (!room) return;
    const lang = this.language;
    const t = translator(lang);
    const identity = this.identity(t);
    const readonly = this.effectiveReadonly;
    const key = [
      lang,
      identity.id,
      identity.name,
      identity.role,
      readonly,
      this.kernel,
      this.server,
      this.room,
      this.token,
      this.pyodideIndex,
      this.pyodideWorker,
    ].join('\n');
    if (this.session?.doc !== room.doc || key !== this.sessionKey) {
      const sameDoc = this.session?.doc === room.doc;
      if (!sameDoc) this.session?.undo.destroy();
      const origin = sameDoc && this.session ? this.session.origin : localOrigin(identity.id);
      this.stopRunState?.();
      this.stopKernelLoad?.();
      this.session?.runner.dispose?.();
      this.session = {
        doc: room.doc,
        awareness: room.awareness,
        identity,
        role: identity.role,
        readonly,
        origin,
        undo: sameDoc && this.session ? this.session.undo : createUndoManager(room.doc, origin),
        lang,
        t,
        sanitizer: sanitizer(),
        outputFrameUrl: outputFrameUrlOf(this.server),
        runner: createRunner({
          kind: kernelKindOf(this.kernel),
          server: this.server,
          roomName: this.room,
          userName: identity.name,
          // Python in the browser is one kernel for the room, hosted by one of the browsers present.
          room: {
            doc: room.doc,
            awareness: room.awareness,
            canHost: !readonly,
            orphanNotice: t('shared.orphan'),
          },
          token: this.token,
          lang,
          pyodideIndexURL: this.pyodideIndex,
          pyodideWorkerURL: this.pyodideWorker,
          input: (request) =>
            this.inputRequests.ask(request, request.cellId ?? this.localRun.running ?? this.activeId ?? ''),
        }),
      };
      const queue = queuePublisher(room.awareness);
      const runner = this.session.runner;
      const stopRun =
        runner.onChange?.((state) => {
          this.localRun = state;
          // Others see which cells wait in this browser's queue (the running one is in the document);
          // a shared kernel's queue is the host's, which its presence already tells.
          if (!runner.shared) queue.publish(state.queued);
          else this.readQueued(room.awareness);
        }) ?? null;
      this.sharedKernel = null;
      const stopShared = runner.onShared?.((view) => this.sharedChanged(view)) ?? null;
      runner.setOnline?.(this.provider.state.status === 'online' || this.provider.state.status === 'syncing');
      this.stopRunState = () => {
        stopRun?.();
        stopShared?.();
        queue.stop();
      };
      this.kernelLoad = { state: 'idle' };
      this.stopKernelLoad = this.session.runner.onKernel?.((load) => this.kernelChanged(load)) ?? null;
      this.sessionKey = key;
      this.sessionProvider.setValue(this.session);
      room.awareness.setLocalStateField('user', {
        name: identity.name,
        color: identity.color,
        colorLight: `${identity.color}33`,
        role: identity.role,
      });
      if (!sameDoc) this.observe(room.doc);
    }
  }

  private observe(doc: Y.Doc): void {
    this.stopObserving?.();
    this.shown = firstCells;
    this.versions.clear();
    this.announcer.reset();
    const onChange = (change: NotebookChange) => {
      for (const id of change.cells) this.versions.set(id, (this.versions.get(id) ?? 0) + 1);
      const t = this.session?.t;
      if (t) this.announcer.runs(t, doc, change);
      this.requestUpdate();
      this.emit<NotebookChangeDetail>('candyce-change', {
        local: change.local,
        structure: change.structure,
        cells: [...change.cells],
      });
    };
    const stop = observeNotebook(doc, onChange);
    const awareness = this.session!.awareness;
    const onAwareness = ({ added, removed }: { added: number[]; removed: number[] }) => {
      this.readAwareness(added, removed);
    };
    awareness.on('change', onAwareness);
    this.readAwareness([], []);
    this.stopObserving = () => {
      stop();
      awareness.off('change', onAwareness);
    };
  }

  private readAwareness(added: number[], removed: number[]): void {
    const session = this.session;
    if (!session) return;
    const people = readPeople(session.awareness);
    for (const id of removed) {
      const name = this.names.get(id);
      if (name && id !== session.awareness.clientID) this.announce(session.t('announce.left', { name }));
      this.names.delete(id);
    }
    for (const p of people) {
      if (added.includes(p.clientId) && !p.self)
        this.announce(session.t('announce.joined', { name: p.name }));
      this.names.set(p.clientId, p.name);
    }
    this.readQueued(session.awareness);
    const byCell = new Map<string, Person[]>();
    for (const p of people) {
      if (p.cell && !p.self) byCell.set(p.cell, [...(byCell.get(p.cell) ?? []), p]);
    }
    const next = new Map<string, readonly Person[]>();
    for (const [cell, list] of byCell) {
      const prev = this.peopleByCell.get(cell);
      next.set(cell, prev && peopleKey(prev) === peopleKey(list) ? prev : list);
    }
    this.peopleByCell = next;
    if (
      peopleKey(people) + people.map((p) => p.cell).join() !==
      peopleKey(this.people) + this.people.map((p) => p.cell).join()
    ) {
      this.people = people;
      this.emit('candyce-people', people);
    }
    if (this.follow && this.following === null) {
      const target = findFollowed(people, this.follow, this.autoFollowed);
      if (target) {
        this.autoFollowed.add(target.clientId);
        this.following = target.clientId;
        this.followedView = null;
      }
    }
    if (this.following !== null) {
      const followed = people.find((p) => p.clientId === this.following);
      if (!followed) this.following = null;
      else if (followed.cell && followed.cell !== this.activeId) this.select(followed.cell, false, false);
      else this.followView(session.awareness, followed.cell);
    }
  }

  /**
   * Scrolls to the cell at the top of the followed person's view, when it
   * changed, keeping the cell they are in visible (their page may lay cells
   * out taller or shorter than this one).
   */
  private followView(awareness: NotebookSession['awareness'], cell: string | null): void {
    const state = this.following === null ? undefined : awareness.getStates().get(this.following);
    const view = (state as { view?: unknown } | undefined)?.view;
    if (typeof view !== 'string' || view === this.followedView) return;
    this.followedView = view;
    const scroll = () => {
      this.cellElement(view)?.scrollIntoView({ block: 'start' });
      if (cell) this.cellElement(cell)?.scrollIntoView({ block: 'nearest' });
    };
    if (this.shown === Number.POSITIVE_INFINITY) {
      scroll();
      return;
    }
    // The cell may be in a slice not rendered yet.
    this.revealAll();
    void this.updateComplete.then(scroll);
  }

  /** Renders every cell at the next update (a cell beyond the slices rendered so far is asked for). */
  private revealAll(): void {
    if (this.shown === Number.POSITIVE_INFINITY) return;
    this.shown = Number.POSITIVE_INFINITY;
    this.requestUpdate();
  }

  /** Publishes the cell at the top of this person's view (throttled), so that followers scroll along. */
  private onScroll = (): void => {
    if (this.scrollTimer !== null) return;
    this.scrollTimer = setTimeout(() => {
      this.scrollTimer = null;
      const cells = this.renderRoot.querySelectorAll<CandyceCell>('candyce-cell');
      let top: string | null = null;
      for (const cell of cells) {
        if (cell.getBoundingClientRect().bottom > 0) {
          top = cell.dataset.cellId ?? null;
          break;
        }
      }
      const awareness = this.session?.awareness;
      if (awareness && top !== (awareness.getLocalState() as { view?: unknown } | null)?.view)
        awareness.setLocalStateField('view', top);
    }, 150);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('scroll', this.onScroll, { passive: true });
  }

  private readQueued(awareness: NotebookSession['awareness']): void {
    this.readServerKernel(awareness);
    // A shared kernel's queue is the room's: every browser shows it.
    const queued = new Set<string>(this.session?.runner.shared ? this.localRun.queued : []);
    awareness.getStates().forEach((state) => {
      const list = (state as { queued?: unknown }).queued;
      if (Array.isArray(list))
        for (const id of list.slice(0, 1000)) if (typeof id === 'string') queued.add(id);
      // The host of a room's shared kernel tells its queue in its host state.
      for (const id of readKernelPresence(state)?.host?.queue ?? []) queued.add(id);
    });
    const prev = this.queuedCells;
    if (queued.size !== prev.size || [...queued].some((id) => !prev.has(id))) {
      this.queuedCells = queued;
      this.requestUpdate();
    }
  }

  /** Shows, visibly and in the user's language, why a run was refused. */
  private runFailed(error: unknown): void {
    const t = this.session?.t;
    if (!t) return;
    this.runError =
      error instanceof RunError
        ? t(`run.error.${error.refusal}`, { detail: error.detail })
        : t('run.error.failed', { detail: error instanceof Error ? error.message : String(error) });
  }

  // The indicator follows every change; a screen reader hears only the steps (start, quarters, ready).
  private kernelChanged(load: KernelLoad): void {
    const before = this.kernelLoad;
    this.kernelLoad = load;
    const t = this.session?.t;
    if (!t) return;
    if (load.state === 'loading') {
      if (before.state !== 'loading') this.announce(t('kernel.loading'));
      else if (kernelStep(load) > kernelStep(before)) this.announce(kernelText(t, load));
    } else if (load.state === 'ready' && before.state === 'loading') this.announce(t('kernel.ready'));
    else if (load.state === 'failed' && before.state !== 'failed') this.announce(t('kernel.failed'));
  }

  /**
   * The room's kernel as the indicator shows it: the shared browser Python
   * when the notebook runs on it, the server's kernel as the server tells it,
   * or null (SQL, no kernel, nothing known yet).
   */
  private kernelView(session: NotebookSession): SharedKernelView | null {
    const current = currentKernelOf(session.doc, kernelKindOf(this.kernel));
    // Nothing to say before anyone ran code: the header stays as small as it was.
    if (current.location === 'server')
      return this.serverKernel ? serverKernelViewOf(this.serverKernel) : null;
    const view = current.id === 'pyodide' && session.runner.shared ? this.sharedKernel : null;
    return view && (view.started || view.lost || view.last) ? view : null;
  }

  private readServerKernel(awareness: NotebookSession['awareness']): void {
    let found: ServerSideKernel | null = null;
    for (const state of awareness.getStates().values()) {
      found = readServerSideKernel(state);
      if (found) break;
    }
    const before = this.serverKernel;
    if (JSON.stringify(found) === JSON.stringify(before)) return;
    this.serverKernel = found;
    const t = this.session?.t;
    if (t && found?.lost && !before?.lost) this.announce(sharedLostText(t, serverKernelViewOf(found)));
  }

  // Screen readers hear where the kernel went, when its variables are lost, and who interrupted or restarted it.
  private sharedChanged(view: SharedKernelView): void {
    const before = this.sharedKernel;
    this.sharedKernel = view;
    const t = this.session?.t;
    if (!t) return;
    // A hand-over from one browser to another (going offline and back is the connection's to say).
    const hosted = (v: SharedKernelView) => v.where === 'self' || v.where === 'other';
    if (
      before &&
      hosted(before) &&
      hosted(view) &&
      (before.where !== view.where || before.hostName !== view.hostName)
    )
      this.announce(sharedKernelText(t, view));
    if (view.lost && !before?.lost) this.announce(sharedLostText(t, view));
    if (view.last && view.last.n !== before?.last?.n && before !== null)
      this.announce(sharedActText(t, view));
  }

  private announce(message: string): void {
    this.announcer.say(message);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('scroll', this.onScroll);
    if (this.scrollTimer !== null) clearTimeout(this.scrollTimer);
    this.scrollTimer = null;
    this.stopObserving?.();
    this.stopObserving = null;
    this.moreCancel?.();
    this.moreCancel = null;
    this.stopRunState?.();
    this.stopRunState = null;
    this.stopKernelLoad?.();
    this.stopKernelLoad = null;
    this.session?.undo.destroy();
    this.session?.runner.dispose?.();
    this.session = undefined;
    this.sessionKey = '';
  }

  private cellElement(id: string): CandyceCell | null {
    return this.renderRoot.querySelector<CandyceCell>(`candyce-cell[data-cell-id="${CSS.escape(id)}"]`);
  }

  /** Makes `id` the active cell; moves the keyboard focus there unless `focus` is false (follow mode). */
  private select(id: string | null, editing: boolean, focus = true): void {
    this.activeId = id;
    this.editing = id !== null && editing;
    this.session?.awareness.setLocalStateField('cell', id);
    if (id && !this.cellElement(id)) this.revealAll();
    if (!id) {
      // The last cell is gone: the empty notebook takes the focus, so that A and B add one.
      if (focus) this.updateComplete.then(() => this.focusEmpty());
      return;
    }
    this.updateComplete.then(async () => {
      const el = this.cellElement(id);
      if (!el) return;
      await el.updateComplete;
      el.scrollIntoView({ block: 'nearest' });
      if (!focus) return;
      if (editing) el.focusEditor();
      else el.focus({ preventScroll: true });
    });
  }

  private exec(command: Command, cellId: string | null): void {
    const session = this.session;
    if (!session) return;
    if (command === 'help') {
      this.openHelp();
      return;
    }
    runCommand(
      {
        session,
        activeId: this.activeId,
        select: (id, editing) => this.select(id, editing),
        announce: (m) => this.announce(m),
        runFailed: (err) => this.runFailed(err),
      },
      command,
      cellId,
    );
  }

  private onCellCommand = (e: CustomEvent<CellCommandDetail>): void => {
    e.stopPropagation();
    const { command, cellId } = e.detail;
    if (command === 'comment' || command === 'comment-cancel') {
      this.commentingCell = command === 'comment' && this.commentable ? cellId : null;
      if (command === 'comment-cancel') this.cellElement(cellId)?.focus({ preventScroll: true });
      return;
    }
    this.exec(command, cellId);
  };

  /** The page receives the comment (the event goes on up); the form closes. */
  private onComment = (e: CustomEvent<{ cellId: string }>): void => {
    if (this.commentingCell === e.detail.cellId) this.commentingCell = null;
    this.announce(this.session?.t('comments.sent') ?? '');
    const cell = this.cellElement(e.detail.cellId);
    this.updateComplete.then(() => cell?.focus({ preventScroll: true }));
  };

  private onCellActivate = (e: CustomEvent<CellActivateDetail>): void => {
    e.stopPropagation();
    const { cellId, editing } = e.detail;
    if (this.activeId === cellId && this.editing === editing) return;
    if (editing) {
      this.activeId = cellId;
      this.editing = true;
      this.session?.awareness.setLocalStateField('cell', cellId);
    } else {
      this.select(cellId, false);
    }
  };

  private onKeydown = (e: KeyboardEvent): void => {
    const path = e.composedPath() as Element[];
    if (path.some((el) => el instanceof Element && el.classList?.contains('cm-editor'))) return;
    const target = path[0];
    if (target instanceof Element && target.closest('button, select, input, textarea, a, iframe, dialog'))
      return;
    const cell = path.find((el): el is CandyceCell => el instanceof Element && el.tagName === 'CANDYCE-CELL');
    const { command, state } = commandModeKey(this.keyState, e);
    this.keyState = state;
    if (!command) return;
    e.preventDefault();
    this.exec(command, cell?.dataset.cellId ?? this.activeId);
  };

  private onOwnAction = (e: Event): void => {
    if (this.following === null) return;
    const path = e.composedPath() as Element[];
    if (path.some((el) => el instanceof Element && el.classList?.contains('follow'))) return;
    this.following = null;
  };

  private openHelp(): void {
    this.showHelp = true;
    this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLDialogElement>('dialog.help')?.showModal(),
    );
  }

  /** The toolbar's actions, in their order on the bar (a read-only notebook keeps download and help). */
  private toolbarItems(session: NotebookSession): ToolbarItem[] {
    const t = session.t;
    const runner = session.runner;
    const canRun = runner.available;
    const runTitle = (key: 'toolbar.run.title' | 'toolbar.runAll.title' | 'toolbar.runBelow.title') =>
      canRun ? t(key) : t('kernel.unavailable');
    const tail: ToolbarItem[] = [
      {
        key: 'download',
        label: t('toolbar.download'),
        title: t('toolbar.download.title'),
        moveRank: 2,
        run: () => this.downloadIpynb(),
      },
      ...(this.filesSource()
        ? [
            {
              key: 'files-toggle',
              label: t('files.button'),
              title: t('files.button.title'),
              // The last to move into the "More" menu: its panel opens below the header.
              moveRank: 9,
              controls: 'candyce-files',
              expanded: this.filesPanel.open,
              run: () => this.filesPanel.toggle(),
            },
          ]
        : []),
      {
        key: 'help',
        label: t('toolbar.help'),
        title: t('toolbar.help.title'),
        moveRank: 1,
        run: () => this.openHelp(),
      },
    ];
    if (session.readonly) return tail;
    const idle = this.localRun.running === null && this.localRun.queued.length === 0;
    return [
      {
        key: 'add-code',
        label: t('toolbar.addCode'),
        title: t('toolbar.addCode.title'),
        primary: true,
        run: () => this.exec('insert-below', null),
      },
      {
        key: 'add-markdown',
        label: t('toolbar.addMarkdown'),
        title: t('toolbar.addMarkdown.title'),
        moveRank: 7,
        run: () => this.addMarkdown(),
      },
      {
        key: 'run',
        label: `▶ ${t('toolbar.run')}`,
        title: runTitle('toolbar.run.title'),
        disabled: !canRun,
        run: () => this.exec('run-and-advance', null),
      },
      {
        key: 'interrupt',
        label: html`<span aria-hidden="true">■</span><span class=${this.headerLayout.compact ? 'visually-hidden' : ''}> ${t('toolbar.interrupt')}</span>`,
        title: t('toolbar.interrupt.title'),
        disabled: !runner.interrupt || idle,
        moveRank: 8,
        run: () => this.exec('interrupt', null),
      },
      ...(runner.restart && this.kernelView(session)
        ? [
            {
              key: 'restart',
              label: t('toolbar.restart'),
              title: t('toolbar.restart.title'),
              // The first into the "More" menu: rare, and it costs everyone their variables.
              moveRank: 0,
              run: () => runner.restart?.(session.doc),
            },
          ]
        : []),
      {
        key: 'run-all',
        label: t('toolbar.runAll'),
        title: runTitle('toolbar.runAll.title'),
        disabled: !canRun,
        moveRank: 6,
        run: () => this.exec('run-all', null),
      },
      {
        key: 'run-below',
        label: t('toolbar.runBelow'),
        title: runTitle('toolbar.runBelow.title'),
        disabled: !canRun,
        moveRank: 5,
        run: () => this.exec('run-below', null),
      },
      {
        key: 'undo',
        label: t('toolbar.undo'),
        title: t('toolbar.undo.title'),
        moveRank: 4,
        run: () => this.exec('undo', null),
      },
      {
        key: 'redo',
        label: t('toolbar.redo'),
        title: t('toolbar.redo.title'),
        moveRank: 3,
        run: () => this.exec('redo', null),
      },
      ...tail,
    ];
  }

  /** Keys of the toolbar items in the "More" menu: as many as the layout says, lowest rank first. */
  private itemsInMenu(items: readonly ToolbarItem[]): Set<string> {
    const movable = items
      .filter((i) => i.moveRank !== undefined)
      .sort((a, b) => (a.moveRank ?? 0) - (b.moveRank ?? 0));
    return new Set(movable.slice(0, this.headerLayout.overflow).map((i) => i.key));
  }

  private renderHeader(session: NotebookSession): TemplateResult {
    const t = session.t;
    const kernelView = this.kernelView(session);
    const state = this.provider.state;
    const ro = session.readonly;
    const followed = this.people.find((p) => p.clientId === this.following);
    const items = this.toolbarItems(session);
    return html`<header part="header" class=${this.headerLayout.compact ? 'compact' : ''}>
      <div class="header-row">
        <h2 class="title">${this.label || this.room || t('notebook.label', { room: '' })}</h2>
        ${this.kernelChooser.selector(session)}
        ${kernelLoadView(t, this.kernelLoad)}
        ${kernelView ? sharedKernelIndicator(t, kernelView, this.headerLayout.compact) : nothing}
        ${statusView(t, state, { on: ro, viewer: session.role === 'viewer' })}
        ${presenceView(this.people, {
          t,
          cellNumber: (id) => this.cellIndex(id) + 1,
          following: this.following,
          onFollow: (id) => {
            this.following = id;
            this.followedView = null;
            if (id !== null) this.readAwareness([], []);
          },
          open: this.peopleOpen,
          onToggle: (open) => {
            this.peopleOpen = open;
          },
        })}
      </div>
      ${toolbarView(items, {
        t,
        inMenu: this.itemsInMenu(items),
        compact: this.headerLayout.compact,
        menuOpen: this.menuOpen,
        onMenuToggle: (open) => {
          this.menuOpen = open;
        },
        onKeydown: (e) => {
          const key = moveToolbarFocus(e.currentTarget as HTMLElement, e);
          if (key) this.toolbarFocus = key;
        },
      })}
      ${
        this.filesPanel.open
          ? filesPanelView(this.filesPanel, {
              t,
              lang: this.language,
              canWrite: !ro,
              focusAfterClose: () => this.renderRoot.querySelector<HTMLElement>('.files-toggle')?.focus(),
            })
          : nothing
      }
      ${
        this.runError
          ? html`<div class="notice error run-error" role="alert">
              <span>${this.runError}</span>
              <button type="button" aria-label=${t('run.error.dismiss')} title=${t('run.error.dismiss')} @click=${() => {
                this.runError = '';
              }}>✕</button>
            </div>`
          : nothing
      }
      ${this.kernelChooser.notice(session)}
      ${
        kernelView
          ? sharedLostView(t, kernelView, !session.readonly, () => {
              session.runner.rerun?.(session.doc).catch((err: unknown) => this.runFailed(err));
            })
          : nothing
      }
      ${followed ? html`<p class="notice" role="status">${t('presence.following', { name: followed.name })}</p>` : nothing}
      ${
        state.status === 'stale'
          ? html`<div class="notice warning stale-dialog" role="alertdialog" aria-labelledby="candyce-stale-title"
              aria-describedby="candyce-stale-explain">
              <h3 id="candyce-stale-title">${t('status.stale')}</h3>
              <span id="candyce-stale-explain">${t('stale.explain')}</span>
              <button type="button" @click=${() => this.downloadIpynb()}>${t('stale.download')}</button>
              <button type="button" class="primary" @click=${() => this.provider.discardLocalCopy()}>${t('stale.reload')}</button>
            </div>`
          : nothing
      }
    </header>`;
  }

  private addMarkdown(): void {
    this.exec('insert-markdown-below', null);
  }

  private cellIndex(id: string): number {
    const doc = this.doc;
    if (!doc) return -1;
    return cellsOf(doc)
      .toArray()
      .findIndex((c) => cellIdOf(c) === id);
  }

  private renderCells(session: NotebookSession): TemplateResult {
    const t = session.t;
    if (!this.provider.loaded) return html`<p class="empty">${t('notebook.loading')}</p>`;
    const cells = cellsOf(session.doc).toArray();
    if (cells.length === 0) {
      return html`<div class="empty" tabindex=${session.readonly ? nothing : '0'} aria-describedby="candyce-empty-hint">
        <p>${t('notebook.empty')}</p>
        ${session.readonly ? nothing : html`<p class="hint" id="candyce-empty-hint">${t('notebook.emptyHint')}</p>`}
        ${
          session.readonly
            ? nothing
            : html`<div class="toolbar">
                <button type="button" class="primary" @click=${() => this.exec('insert-below', null)}>${t('toolbar.addCode')}</button>
                <button type="button" @click=${() => this.addMarkdown()}>${t('toolbar.addMarkdown')}</button>
              </div>`
        }
      </div>`;
    }
    const ids = cells.map(cellIdOf);
    const active = this.activeId && ids.includes(this.activeId) ? this.activeId : ids[0]!;
    const language = notebookLanguageOf(session.doc);
    if (this.shown >= cells.length) this.shown = Number.POSITIVE_INFINITY;
    else if (this.moreCancel === null) {
      // After the frame that shows this slice: its editors come first (see afterNextFrame).
      this.moreCancel = afterNextFrame(() => {
        this.moreCancel = null;
        this.shown += moreCells;
        this.requestUpdate();
      });
    }
    return html`${repeat(
      this.shown < cells.length ? cells.slice(0, this.shown) : cells,
      (_cell, i) => ids[i],
      (cell, i) => html`<candyce-cell
        .cell=${cell}
        .index=${i}
        .total=${cells.length}
        .version=${this.versions.get(ids[i]!) ?? 0}
        .people=${this.peopleByCell.get(ids[i]!) ?? noPeople}
        .queued=${this.queuedCells.has(ids[i]!)}
        .input=${this.inputRequests.of(ids[i]!)}
        .language=${language}
        .comments=${commentsOf(this.comments, ids[i]!)}
        .commentable=${this.commentable}
        .commentForm=${this.commentable && this.commentingCell === ids[i]}
        .addons=${this.addons}
        ?active=${ids[i] === active}
        ?editing=${ids[i] === active && this.editing}
      ></candyce-cell>`,
    )}`;
  }

  private focusEmpty(): void {
    this.renderRoot.querySelector<HTMLElement>('.cells > .empty[tabindex]')?.focus();
  }

  protected override updated(): void {
    syncToolbarFocus(this.renderRoot.querySelector<HTMLElement>('header .toolbar'), this.toolbarFocus);
    // A new empty notebook takes the focus (when the page has not given it elsewhere): A and B add a first cell.
    const doc = this.doc;
    if (!doc || this.emptyFocused === doc || !this.provider.loaded) return;
    // Only once the server has answered (or there is none): a copy still syncing looks empty, and the
    // placeholder it would focus goes away when its cells arrive, leaving the page's Tab order inside
    // the notebook instead of at its skip link.
    const status = this.provider.state.status;
    if (status !== 'online' && status !== 'local') return;
    this.emptyFocused = doc;
    const focused = document.activeElement;
    if (cellsOf(doc).length === 0 && (!focused || focused === document.body || focused === this))
      this.focusEmpty();
  }

  protected override render(): TemplateResult | typeof nothing {
    const session = this.session;
    if (!session) return nothing;
    const t = session.t;
    return html`<div
      lang=${session.lang}
      @pointerdown=${this.onOwnAction}
      @keydown=${this.onOwnAction}
      @wheel=${this.onOwnAction}
      @touchstart=${this.onOwnAction}
    >
      ${this.renderHeader(session)}
      <div
        class="cells"
        role="region"
        aria-label=${t('notebook.cells')}
        @keydown=${this.onKeydown}
        @candyce-cell-command=${this.onCellCommand}
        @candyce-cell-activate=${this.onCellActivate}
        @candyce-comment=${this.onComment}
      >
        ${this.renderCells(session)}
      </div>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcer.message}</div>
      ${
        this.showHelp
          ? html`<dialog class="help" aria-labelledby="help-title" @close=${() => {
              this.showHelp = false;
            }}>
              <h2 id="help-title">${t('help.title')}</h2>
              <p>${t('help.commandMode')}</p>
              <p>${t('help.editMode')}</p>
              <p>${t('help.tab')}</p>
              <form method="dialog"><button type="submit" class="primary">${t('help.close')}</button></form>
            </dialog>`
          : nothing
      }
    </div>`;
  }
}
