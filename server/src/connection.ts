import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Identity } from './auth.js';
import { canWrite } from './auth.js';
import {
  decodeAwarenessUpdate,
  encodeAwarenessUpdate as encodeEntries,
  identityProblem,
} from './awareness-filter.js';
import type { CloseCode } from './close-codes.js';
import * as closeCodes from './close-codes.js';
import type { Limits } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { ClientMessage } from './protocol.js';
import { encodeAwareness, encodeStep1, MalformedFrameError, parseFrame } from './protocol.js';
import type { Room, RoomMember } from './room.js';
import { staleClient } from './stale-epoch.js';
import { vetUpdate } from './update-vetting.js';

/** Sockets corked in this tick, uncorked together in the next check phase. */
let corked: Socket[] = [];

const uncorkAll = (): void => {
  const sockets = corked;
  corked = [];
  for (const socket of sockets) socket.uncork();
};

/**
 * Holds a socket's writes until the end of the tick, so that everything sent
 * to one client in one tick (the cycle's update, awareness, sync answers)
 * leaves in one `writev` instead of one system call per message.
 */
const corkForTick = (socket: Socket | undefined): void => {
  if (!socket || socket.writableCorked > 0 || socket.destroyed) return;
  socket.cork();
  if (corked.push(socket) === 1) setImmediate(uncorkAll);
};

/** Awareness client ids one connection may introduce (one editor, a few reloads); further ones are ignored. */
const maxAwarenessIdsPerConnection = 8;

/**
 * Characters of one presence state (name, colour, cell, view, queued cells):
 * an editor sends a few hundred. Every state is sent to every member, so this
 * times the rate below times the members is what one connection can make the
 * server send.
 */
const maxAwarenessStateChars = 4 * 1024;

/** Presence messages a connection may send per second on average, and in a burst above it. */
const presencePerSecond = 20;
const presenceBurst = 100;

/**
 * Bytes of updates that Yjs keeps aside while their dependencies are missing.
 * They count in no document size, so a client sending updates with gaps
 * would otherwise grow the server's memory without end.
 */
const pendingBytes = (doc: Y.Doc): number =>
  (doc.store.pendingStructs?.update.length ?? 0) + (doc.store.pendingDs?.length ?? 0);

/** What a connection needs from its server. */
export interface ConnectionContext {
  readonly limits: Limits;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Called once when the connection is closed, to release its room. */
  readonly onClose: (connection: Connection) => void;
}

/**
 * One WebSocket client of one room. Frames that arrive before the room is
 * loaded wait in a queue; afterwards each frame is parsed whole, checked
 * (role, epoch, sizes, rate) and applied. Any malformed frame closes this
 * connection only.
 */
export class Connection implements RoomMember {
  room: Room | null = null;
  closed = false;
  alive = true;
  readonly awarenessIds = new Set<number>();
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  /**
   * False while a room that had deleted epochs has not yet seen this client's
   * first sync step 2: until then its step 1 is not answered, so a stale copy
   * never receives the new epoch's content before being refused.
   */
  private verified = true;
  private heldStep1: Uint8Array[] = [];
  private tokens: number;
  private lastRefill = performance.now();
  private presenceTokens = presenceBurst;
  private presenceRefill = performance.now();
  private expiryTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly ws: WebSocket,
    readonly roomName: string,
    private readonly ctx: ConnectionContext,
    public identity: Identity | null = null,
  ) {
    this.tokens = ctx.limits.messageBurst;
    ctx.metrics.connections.inc();
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      // A throw out of a socket listener would end the process: whatever a frame does, it ends this connection.
      try {
        this.receive(data, isBinary);
      } catch (err) {
        ctx.metrics.errors.inc({ kind: 'internal' });
        ctx.logger.error({ room: roomName, user: this.identity?.sub, err }, 'frame handling failed');
        this.close(closeCodes.InternalError);
      }
    });
    ws.on('pong', () => {
      this.alive = true;
    });
    // 1006: the socket ended without a close frame (network cut, crash): the browser may not know yet.
    ws.on('close', (code: number) => this.dispose(code !== 1006));
    ws.on('error', (err) => {
      ctx.logger.debug({ room: roomName, err }, 'websocket error');
      this.dispose();
    });
  }

  /** Sets the verified identity and closes the connection when its token expires. */
  authenticate(identity: Identity): void {
    this.identity = identity;
    if (identity.expiresAt !== null) this.armExpiry(identity.expiresAt);
  }

  private armExpiry(expiresAt: number): void {
    const delay = expiresAt - Date.now();
    // setTimeout holds at most 2^31-1 ms (24.8 days): re-arm for longer tokens.
    const max = 2 ** 31 - 1;
    this.expiryTimer = setTimeout(
      () => (delay > max ? this.armExpiry(expiresAt) : this.close(closeCodes.TokenExpired)),
      Math.min(Math.max(delay, 0), max),
    );
  }

  /**
   * Joins the loaded room: sends sync step 1 and the awareness states, then
   * handles the frames that arrived meanwhile.
   */
  attach(room: Room): void {
    if (this.closed) return;
    this.room = room;
    this.verified = room.tombstone.size === 0;
    room.members.add(this);
    room.hooks?.joined?.(room, this.identity!);
    this.send(encodeStep1(room.stateVector()));
    const states = room.awareness.getStates();
    if (states.size > 0)
      this.send(encodeAwareness(encodeAwarenessUpdate(room.awareness, [...states.keys()])));
    const queued = this.queue;
    this.queue = [];
    for (const frame of queued) if (!this.closed) this.handle(frame);
  }

  /** Sends one message, closing the connection when the client does not keep up. */
  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.ctx.limits.maxBufferedBytes) {
      this.close(closeCodes.SlowConsumer);
      return;
    }
    corkForTick((this.ws as unknown as { _socket?: Socket })._socket);
    this.ws.send(message);
    this.ctx.metrics.messagesOut.inc();
    this.ctx.metrics.bytesOut.inc(message.length);
  }

  /** Closes the connection with a named code (once) and leaves the room. */
  close(code: CloseCode): void {
    if (this.closed) return;
    this.ctx.metrics.closes.inc({ code: String(code.code) });
    if (code.code >= 4000)
      this.ctx.logger.info({ room: this.roomName, user: this.identity?.sub, code: code.code }, code.reason);
    try {
      this.ws.close(code.code, code.reason);
    } catch {
      this.ws.terminate();
    }
    // A client that stopped reading never acknowledges the close frame.
    setTimeout(() => this.ws.terminate(), 2000).unref();
    this.dispose();
  }

  /** True when this connection may change the room's document now. */
  mayWrite(room: Room): boolean {
    const identity = this.identity;
    if (!identity || !canWrite(identity)) return false;
    return !room.hooks?.canWrite || room.hooks.canWrite(room, identity);
  }

  /** Leaves the room; `clean` when the browser closed the socket itself (server-side closes may not reach it). */
  private dispose(clean = false): void {
    if (this.closed) return;
    this.closed = true;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.ctx.metrics.connections.dec();
    if (this.room) {
      this.room.removeMember(this, this.awarenessIds, clean);
      if (this.identity) this.room.hooks?.left?.(this.room, this.identity);
    }
    this.queue = [];
    this.ctx.onClose(this);
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    this.ctx.metrics.bytesIn.inc(data.length);
    if (!this.takeToken()) {
      this.close(closeCodes.TooManyMessages);
      return;
    }
    if (!isBinary) {
      this.ctx.metrics.errors.inc({ kind: 'malformed' });
      this.close(closeCodes.MalformedMessage);
      return;
    }
    const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (this.room === null || this.identity === null) {
      // Bounded: a client may not pile up more than a few messages' worth while the room loads.
      this.queuedBytes += frame.length;
      if (this.queuedBytes > 4 * this.ctx.limits.maxMessageBytes) this.close(closeCodes.TooManyMessages);
      else this.queue.push(frame);
    } else this.handle(frame);
  }

  private takeToken(): boolean {
    const { messagesPerSecond, messageBurst } = this.ctx.limits;
    const now = performance.now();
    this.tokens = Math.min(messageBurst, this.tokens + ((now - this.lastRefill) / 1000) * messagesPerSecond);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private handle(frame: Uint8Array): void {
    let messages: ClientMessage[];
    try {
      messages = parseFrame(frame);
    } catch (err) {
      this.refuseMalformed(err);
      return;
    }
    for (const message of messages) {
      if (this.closed) return;
      this.ctx.metrics.messagesIn.inc({ type: message.type });
      this.dispatch(message);
    }
  }

  private dispatch(message: ClientMessage): void {
    const room = this.room!;
    switch (message.type) {
      case 'step1':
        try {
          Y.decodeStateVector(message.stateVector);
        } catch (err) {
          this.refuseMalformed(err);
          return;
        }
        if (this.verified) room.answerStep1(this, message.stateVector);
        else this.heldStep1.push(message.stateVector);
        return;
      case 'step2':
        if (!this.verified) {
          if (!this.checkEpoch(room, message.update)) return;
          this.verified = true;
          for (const stateVector of this.heldStep1) room.answerStep1(this, stateVector);
          this.heldStep1 = [];
        }
        this.applyUpdate(room, message.update);
        return;
      case 'update':
        this.applyUpdate(room, message.update);
        return;
      case 'awareness':
        this.applyAwareness(room, message.update);
        return;
      case 'queryAwareness': {
        const ids = [...room.awareness.getStates().keys()];
        room.answerInOrder(this, encodeAwareness(encodeAwarenessUpdate(room.awareness, ids)));
        return;
      }
      case 'auth':
        // Clients have nothing to say in the auth protocol; tokens come with the URL.
        return;
    }
  }

  private applyUpdate(room: Room, update: Uint8Array): void {
    if (!canWrite(this.identity!)) {
      // Dropped, not closed: a viewer's editor may still produce local edits.
      this.ctx.metrics.errors.inc({ kind: 'viewer_write_dropped' });
      return;
    }
    if (room.hooks?.canWrite && !room.hooks.canWrite(room, this.identity!)) {
      // A writer made read-only for now (deadline, handed in, locked by the teacher): dropped like a viewer's.
      this.ctx.metrics.errors.inc({ kind: 'read_only_write_dropped' });
      return;
    }
    if (room.closing || !this.checkEpoch(room, update)) return;
    // The empty update (no structs, no deletions) a new client sends as its sync step 2: nothing to
    // apply, and skipping it leaves a room loaded from its snapshot undecoded (see Room.load).
    if (update.length === 2 && update[0] === 0 && update[1] === 0) return;
    // Locks, struct caps and the memory budget (see update-vetting.ts): a modified editor must not bypass them.
    let refusal: CloseCode | null;
    try {
      refusal = vetUpdate(room, update, this.identity!, this.ctx);
    } catch (err) {
      this.refuseMalformed(err);
      return;
    }
    if (refusal) {
      this.close(refusal);
      return;
    }
    if (room.size + update.length > this.ctx.limits.maxDocumentBytes) {
      this.close(closeCodes.DocumentTooLarge);
      return;
    }
    try {
      Y.applyUpdate(room.doc, update, this);
    } catch (err) {
      this.refuseMalformed(err);
      return;
    }
    if (pendingBytes(room.doc) > this.ctx.limits.maxMessageBytes) {
      // Nothing of it was applied, stored or broadcast; honest clients resend theirs when they resync.
      room.doc.store.pendingStructs = null;
      room.doc.store.pendingDs = null;
      this.ctx.metrics.errors.inc({ kind: 'unresolved_updates' });
      this.close(closeCodes.UnresolvedUpdates);
    }
  }

  /** Returns true when `update` is a valid update of this epoch; otherwise closes the connection. */
  private checkEpoch(room: Room, update: Uint8Array): boolean {
    let stale: number | null;
    try {
      stale = staleClient(update, room.tombstone);
    } catch (err) {
      this.refuseMalformed(err);
      return false;
    }
    if (stale === null) return true;
    this.ctx.metrics.errors.inc({ kind: 'stale_epoch' });
    this.ctx.logger.warn({ room: room.name, client: stale }, 'update from a deleted epoch refused');
    this.close(closeCodes.StaleEpoch);
    return false;
  }

  /** Takes one token of the presence bucket; false when the connection sends presence too fast. */
  private takePresenceToken(): boolean {
    const now = performance.now();
    this.presenceTokens = Math.min(
      presenceBurst,
      this.presenceTokens + ((now - this.presenceRefill) / 1000) * presencePerSecond,
    );
    this.presenceRefill = now;
    if (this.presenceTokens < 1) return false;
    this.presenceTokens -= 1;
    return true;
  }

  private applyAwareness(room: Room, update: Uint8Array): void {
    if (!this.takePresenceToken()) {
      this.ctx.metrics.errors.inc({ kind: 'presence_flood' });
      this.close(closeCodes.TooManyPresenceUpdates);
      return;
    }
    let entries: ReturnType<typeof decodeAwarenessUpdate>;
    let states: unknown[];
    try {
      entries = decodeAwarenessUpdate(update);
      states = entries.map((entry) => JSON.parse(entry.json));
    } catch (err) {
      this.refuseMalformed(err);
      return;
    }
    if (entries.some((entry) => entry.json.length > maxAwarenessStateChars)) {
      this.ctx.metrics.errors.inc({ kind: 'presence_too_large' });
      this.close(closeCodes.PresenceTooLarge);
      return;
    }
    const owners = room.awarenessOwners;
    const identity = this.identity!;
    const accepted = entries.filter((entry, i) => {
      const owner = owners.get(entry.clientId);
      // The stock client echoes other clients' states back: not an impersonation, just ignored.
      if (owner !== undefined && owner !== this) return false;
      if (owner === undefined && entry.json === 'null') return false;
      // One editor has one client id (a few after reloads of its document): cap what a connection may add.
      if (owner === undefined && this.awarenessIds.size >= maxAwarenessIdsPerConnection) return false;
      const problem = identityProblem(states[i], identity);
      if (problem !== null) {
        this.ctx.metrics.errors.inc({ kind: 'impersonation' });
        this.ctx.logger.warn(
          { room: room.name, user: identity.sub, problem },
          'awareness state claiming another identity dropped',
        );
        return false;
      }
      owners.set(entry.clientId, this);
      this.awarenessIds.add(entry.clientId);
      return true;
    });
    if (accepted.length === 0) return;
    // No client speaks as the server; readers ask for no runs; only the named host publishes a host state.
    const writer = this.mayWrite(room);
    const stateOf = new Map(entries.map((entry, i) => [entry, states[i]]));
    const admitted = accepted.map((entry) => {
      if (entry.json === 'null') return entry;
      const json = room.kernel.admit(entry.clientId, entry.json, stateOf.get(entry), writer);
      return json === entry.json ? entry : { ...entry, json };
    });
    try {
      applyAwarenessUpdate(room.awareness, encodeEntries(admitted), this);
    } catch (err) {
      this.refuseMalformed(err);
    }
  }

  private refuseMalformed(err: unknown): void {
    this.ctx.metrics.errors.inc({ kind: 'malformed' });
    this.ctx.logger.warn(
      {
        room: this.roomName,
        user: this.identity?.sub,
        problem: err instanceof MalformedFrameError ? err.message : String(err),
      },
      'malformed message',
    );
    this.close(closeCodes.MalformedMessage);
  }
}
