import * as Y from 'yjs';
import { remoteOrigin, watchNotebook } from '../../src/index.js';

/** A peer of an in-memory network: its document and whether it is connected. */
export interface Peer {
  doc: Y.Doc;
  online: boolean;
  stop: () => void;
}

/**
 * Wires `n` documents through an in-memory connector: while online, every
 * update a peer makes reaches the other online peers at once; `reconnect`
 * exchanges what each missed, as a sync provider's first round does.
 */
export class Network {
  readonly peers: Peer[] = [];

  constructor(n: number, options: { watch?: boolean } = {}) {
    for (let i = 0; i < n; i++) {
      const doc = new Y.Doc();
      const peer: Peer = { doc, online: true, stop: () => {} };
      if (options.watch !== false) peer.stop = watchNotebook(doc);
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === this || !peer.online) return;
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

  /** Connects everyone and syncs until every state vector is equal. */
  settle(): void {
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < this.peers.length; i++) this.reconnect(i);
    }
  }
}
