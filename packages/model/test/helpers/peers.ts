import * as Y from 'yjs';
import { remoteOrigin, watchNotebook } from '../../src/index.js';

/** A peer of an in-memory network: its document and whether it is connected. */
export interface Peer {
  doc: Y.Doc;
  online: boolean;
  stop: () => void;
}

/** Options of a {@link Network}. */
export interface NetworkOptions {
  /** Runs `watchNotebook` on every peer (default true); false for peers that are not ours (jupyter). */
  watch?: boolean;
  /** Wires these documents instead of creating `n` new ones (e.g. the ydocs of `YNotebook`s). */
  docs?: Y.Doc[];
  /** Yjs client ids of the peers, so that a seeded run orders concurrent inserts the same way each time. */
  clientIds?: number[];
}

/**
 * Wires `n` documents through an in-memory connector: while online, every
 * update a peer makes reaches the other online peers at once; `reconnect`
 * exchanges what each missed, as a sync provider's first round does.
 */
export class Network {
  readonly peers: Peer[] = [];
  /** How many updates the peers made themselves (edits and repairs), as opposed to received. */
  ownWrites = 0;

  constructor(n: number, options: NetworkOptions = {}) {
    const docs = options.docs ?? Array.from({ length: n }, () => new Y.Doc());
    docs.forEach((doc, i) => {
      const id = options.clientIds?.[i];
      if (id !== undefined) doc.clientID = id;
    });
    for (const doc of docs) {
      const peer: Peer = { doc, online: true, stop: () => {} };
      if (options.watch !== false) peer.stop = watchNotebook(doc);
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === this) return;
        if (origin !== remoteOrigin) this.ownWrites++;
        if (!peer.online) return;
        for (const other of this.peers) {
          if (other !== peer && other.online) Y.applyUpdate(other.doc, update, this);
        }
      });
      this.peers.push(peer);
    }
  }

  doc(i: number): Y.Doc {
    return this.peers[i]!.doc;
  }

  disconnect(i: number): void {
    this.peers[i]!.online = false;
  }

  /** Brings peer `i` back and exchanges the missing updates both ways. */
  reconnect(i: number): void {
    const peer = this.peers[i]!;
    peer.online = true;
    for (const other of this.peers) {
      if (other === peer || !other.online) continue;
      const toOther = Y.encodeStateAsUpdate(peer.doc, Y.encodeStateVector(other.doc));
      const toPeer = Y.encodeStateAsUpdate(other.doc, Y.encodeStateVector(peer.doc));
      Y.applyUpdate(other.doc, toOther, remoteOrigin);
      Y.applyUpdate(peer.doc, toPeer, remoteOrigin);
    }
  }

  /** True when every peer has seen the same updates. */
  converged(): boolean {
    const sv = Y.encodeStateVector(this.doc(0));
    return this.peers.every((p) => {
      const other = Y.encodeStateVector(p.doc);
      return other.length === sv.length && other.every((b, i) => b === sv[i]);
    });
  }

  /**
   * Connects everyone and syncs until nothing changes any more (repairs made
   * on reception can themselves need a round); throws after `maxRounds`.
   */
  settle(maxRounds = 20): void {
    for (let round = 0; round < maxRounds; round++) {
      const before = this.ownWrites;
      for (let i = 0; i < this.peers.length; i++) this.reconnect(i);
      if (this.ownWrites === before && this.converged()) return;
    }
    throw new Error(`The network did not settle in ${maxRounds} rounds`);
  }
}
