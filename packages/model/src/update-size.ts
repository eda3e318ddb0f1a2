import * as decoding from 'lib0/decoding';

// Counts the structs of a Yjs update (format v1, as y-websocket sends) by
// skipping through its bytes, without building them: decoding an update
// makes one object per struct, and a few bytes per struct are enough to make
// a server's heap grow tens of times the size of the message. A server reads
// the count first and refuses before anything is built.

/** How many structs and deletion ranges an update holds. */
export interface UpdateSize {
  structs: number;
  deleteRanges: number;
}

const skipContent = (d: decoding.Decoder, ref: number): void => {
  switch (ref) {
    case 1: // deleted
      decoding.readVarUint(d);
      return;
    case 2: {
      // JSON
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) decoding.readVarString(d);
      return;
    }
    case 3: // binary
      decoding.readVarUint8Array(d);
      return;
    case 4: // string
    case 5: // embed (a JSON string)
      decoding.readVarString(d);
      return;
    case 6: // format: key and JSON value
      decoding.readVarString(d);
      decoding.readVarString(d);
      return;
    case 7: {
      // type; XML elements and hooks carry a name
      const typeRef = decoding.readVarUint(d);
      if (typeRef === 3 || typeRef === 5) decoding.readVarString(d);
      else if (typeRef > 6) throw new RangeError(`Unknown Yjs type ${typeRef}`);
      return;
    }
    case 8: {
      // any
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) decoding.readAny(d);
      return;
    }
    case 9: // subdocument: guid and options
      decoding.readVarString(d);
      decoding.readAny(d);
      return;
    default:
      throw new RangeError(`Unknown Yjs content ${ref}`);
  }
};

const skipStruct = (d: decoding.Decoder): void => {
  if (!decoding.hasContent(d)) throw new RangeError('Unexpected end of update');
  const info = decoding.readUint8(d);
  const ref = info & 0b11111;
  if (info === 10 || ref === 0) {
    // skip, or garbage-collected range: a length
    decoding.readVarUint(d);
    return;
  }
  const hasOrigin = (info & 0x80) !== 0;
  const hasRight = (info & 0x40) !== 0;
  if (hasOrigin) {
    decoding.readVarUint(d);
    decoding.readVarUint(d);
  }
  if (hasRight) {
    decoding.readVarUint(d);
    decoding.readVarUint(d);
  }
  if (!hasOrigin && !hasRight) {
    if (decoding.readVarUint(d) === 1) decoding.readVarString(d);
    else {
      decoding.readVarUint(d);
      decoding.readVarUint(d);
    }
    if ((info & 0x20) !== 0) decoding.readVarString(d);
  }
  skipContent(d, ref);
};

/**
 * Returns the number of structs and deletion ranges of a v1 update, in one
 * pass over its bytes that allocates no struct. Stops counting once `stopAfter`
 * structs are seen (the answer is then `stopAfter + 1`). Throws on bytes that
 * are not an update.
 */
export const updateSize = (update: Uint8Array, stopAfter = Number.POSITIVE_INFINITY): UpdateSize => {
  const d = decoding.createDecoder(update);
  let structs = 0;
  const clients = decoding.readVarUint(d);
  for (let c = 0; c < clients; c++) {
    const n = decoding.readVarUint(d);
    decoding.readVarUint(d); // client
    decoding.readVarUint(d); // first clock
    for (let i = 0; i < n; i++) {
      skipStruct(d);
      if (++structs > stopAfter) return { structs, deleteRanges: 0 };
    }
  }
  let deleteRanges = 0;
  const dsClients = decoding.readVarUint(d);
  for (let c = 0; c < dsClients; c++) {
    decoding.readVarUint(d); // client
    const n = decoding.readVarUint(d);
    for (let i = 0; i < n; i++) {
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      if (++deleteRanges + structs > stopAfter) return { structs, deleteRanges };
    }
  }
  return { structs, deleteRanges };
};
