import { watchNotebook } from '@candyce/model';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { IndexeddbPersistence } from 'y-indexeddb';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type ConnectionState, stateAfterClose } from './connection-state.js';

/** Where a notebook lives: the sync server, the room, and the token that opens it. */
export interface RoomAddress {
  /** WebSocket URL of the sync endpoint (`ws://host:1234/sync`), or empty for a notebook kept on this device only. */
  server: string;
  room: string;
  token: string;
  /** Keep a copy in IndexedDB (offline first). Default true. */
  persist: boolean;
}

/** The live objects of one open room. */
export interface OpenRoom {
  doc: Y.Doc;
  awareness: Awareness;
}

/**
 * Opens a room when its host connects and closes it when it disconnects: the
 * Y.Doc, its IndexedDB copy (edits survive a closed tab and a lost network),
 * the y-websocket provider, and the awareness that carries presence. Keeps the
 * connection state up to date and asks the host to render when it changes.
 */
export class ProviderController implements ReactiveController {
  /** The open room, or null before the host connects. */
  room: OpenRoom | null = null;
  /** The connection state, for the indicator and the host page. */
  state: ConnectionState = { status: 'connecting', unsent: false };
  /** True once the notebook was read from IndexedDB or received from the server. */
  loaded = false;

  private provider: WebsocketProvider | null = null;
  private persistence: IndexeddbPersistence | null = null;
  private stopWatching: (() => void) | null = null;
  private opened: RoomAddress | null = null;
  /**
   * This browser's copy as it was before the server was heard from: what a
   * stale room (deleted and re-created) restores, since the server's new
   * version may arrive before it closes the connection.
   */
  private localCopy: Uint8Array | null = null;
  private readonly onOffline = () => this.provider?.disconnect();
  private readonly onOnline = () => this.provider?.connect();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly address: () => RoomAddress,
    private readonly onChange: (state: ConnectionState) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.open();
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('online', this.onOnline);
  }

  hostDisconnected(): void {
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    this.close();
  }

  /** Reopens the room when the address changed since it was opened (call it from the host's `willUpdate`). */
  sync(): void {
    const next = this.address();
    const prev = this.opened;
    if (
      prev &&
      prev.server === next.server &&
      prev.room === next.room &&
      prev.token === next.token &&
      prev.persist === next.persist
    ) {
      return;
    }
    if (this.room) {
      this.close();
      this.open();
    }
  }

  /** Stops sending and receiving (the notebook stays editable and is kept in IndexedDB). */
  disconnect(): void {
    this.provider?.disconnect();
  }

  /** Connects again after `disconnect`. */
  connect(): void {
    this.provider?.connect();
  }

  /**
   * Resolves once this browser's IndexedDB copy holds every change made so
   * far (each change is written in its own transaction; a later transaction
   * on the same store completes after them). Leaving the page sooner may lose
   * the last keystrokes from this copy (the server has them once sent).
   */
  async saved(): Promise<void> {
    const persistence = this.persistence;
    if (!persistence) return;
    await persistence.whenSynced.catch(() => undefined);
    const db = persistence.db;
    if (!db) return;
    await new Promise<void>((resolve) => {
      const tx = db.transaction(['updates'], 'readwrite');
      tx.oncomplete = tx.onabort = tx.onerror = () => resolve();
    });
  }

  /**
   * Forgets this browser's copy of the room and opens the server's version:
   * what to do after the room was deleted and re-created (after offering to
   * download the local copy).
   */
  async discardLocalCopy(): Promise<void> {
    const persistence = this.persistence;
    this.persistence = null;
    this.close();
    await persistence?.clearData();
    this.open();
  }

  private setState(state: ConnectionState): void {
    if (
      state.status === this.state.status &&
      state.unsent === this.state.unsent &&
      state.reason === this.state.reason
    )
      return;
    this.state = state;
    this.onChange(state);
    this.host.requestUpdate();
  }

  private markLoaded(): void {
    if (this.loaded) return;
    this.loaded = true;
    this.host.requestUpdate();
  }

  private open(): void {
    const address = this.address();
    this.opened = { ...address };
    this.loaded = false;
    const doc = new Y.Doc();
    this.stopWatching = watchNotebook(doc);
    if (address.persist && address.room && typeof indexedDB !== 'undefined') {
      const persistence = new IndexeddbPersistence(persistenceName(address), doc);
      this.persistence = persistence;
      persistence.whenSynced.then(
        () => this.markLoaded(),
        () => undefined,
      );
    }
    if (!address.server || !address.room) {
      this.room = { doc, awareness: new Awareness(doc) };
      this.setState({ status: 'local', unsent: false });
      if (!this.persistence) this.markLoaded();
      return;
    }
    const provider = new WebsocketProvider(address.server, address.room, doc, {
      params: address.token ? { token: address.token } : {},
      maxBackoffTime: 5000,
      connect: false,
    });
    // This browser's copy is read before anything from the server, and kept aside.
    const start = () => {
      if (this.provider !== provider) return;
      this.localCopy = Y.encodeStateAsUpdate(doc);
      provider.connect();
    };
    this.provider = provider;
    this.room = { doc, awareness: provider.awareness };
    this.state = { status: 'connecting', unsent: false };
    // Edits made here while the server cannot hear them are "unsent" until the next full sync.
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === provider || origin === this.persistence) return;
      if (!(provider.wsconnected && provider.synced)) this.setState({ ...this.state, unsent: true });
    });
    provider.on('status', ({ status }) => {
      if (this.state.status === 'denied' || this.state.status === 'stale') return;
      if (status === 'connected')
        this.setState({ status: provider.synced ? 'online' : 'syncing', unsent: this.state.unsent });
      else if (status === 'disconnected') this.setState({ status: 'offline', unsent: this.state.unsent });
    });
    // A first connection that fails emits no 'disconnected' status: say offline all the same.
    provider.on('connection-close', () => {
      if (this.state.status === 'connecting' || this.state.status === 'syncing')
        this.setState({ status: 'offline', unsent: this.state.unsent });
    });
    provider.on('sync', (synced: boolean) => {
      if (synced) {
        this.markLoaded();
        if (provider.wsconnected) this.setState({ status: 'online', unsent: false });
      } else if (provider.wsconnected) {
        this.setState({ status: 'syncing', unsent: this.state.unsent });
      }
    });
    provider.on('closed', ({ code, reason }) => {
      const state = stateAfterClose(code, reason, this.state.unsent);
      this.setState(state);
      this.markLoaded();
      if (state.status === 'stale') void this.restoreLocalCopy(address);
    });
    if (this.persistence) this.persistence.whenSynced.then(start, start);
    else start();
  }

  /**
   * Shows (and keeps in IndexedDB) this browser's copy as it was before the
   * connection: the server of a re-created room may have sent its new version
   * before refusing the stale one, and the two must not look merged.
   */
  private async restoreLocalCopy(address: RoomAddress): Promise<void> {
    const copy = this.localCopy;
    if (!copy) return;
    const persistence = this.persistence;
    this.persistence = null;
    this.close();
    const doc = new Y.Doc();
    this.stopWatching = watchNotebook(doc);
    Y.applyUpdate(doc, copy);
    this.room = { doc, awareness: new Awareness(doc) };
    this.opened = { ...address };
    this.host.requestUpdate();
    if (persistence) {
      await persistence.clearData();
      if (this.room?.doc === doc) this.persistence = new IndexeddbPersistence(persistenceName(address), doc);
    }
  }

  private close(): void {
    this.stopWatching?.();
    this.stopWatching = null;
    this.provider?.destroy();
    this.provider = null;
    void this.persistence?.destroy();
    this.persistence = null;
    if (this.room) {
      this.room.awareness.destroy();
      this.room.doc.destroy();
    }
    this.room = null;
    this.opened = null;
    this.localCopy = null;
  }
}

/** The IndexedDB database of a room's copy in this browser. */
const persistenceName = (address: RoomAddress): string => `candyce:${address.server}:${address.room}`;
