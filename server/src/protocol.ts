import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

// y-websocket message types and y-protocols sync sub-types.
export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;
export const syncStep1 = 0;
export const syncStep2 = 1;
export const syncUpdate = 2;

/** One sub-message of a frame, decoded. */
export type ClientMessage =
  | { readonly type: 'step1'; readonly stateVector: Uint8Array }
  | { readonly type: 'step2'; readonly update: Uint8Array }
  | { readonly type: 'update'; readonly update: Uint8Array }
  | { readonly type: 'awareness'; readonly update: Uint8Array }
  | { readonly type: 'auth' }
  | { readonly type: 'queryAwareness' };

/** Thrown by {@link parseFrame} when a frame is not a sequence of well-formed messages. */
export class MalformedFrameError extends Error {
  override readonly name = 'MalformedFrameError';
}

const readUint = (decoder: decoding.Decoder, what: string): number => {
  try {
    return decoding.readVarUint(decoder);
  } catch {
    throw new MalformedFrameError(`Truncated or oversized varint in ${what} at byte ${decoder.pos}`);
  }
};

const readBytes = (decoder: decoding.Decoder, what: string): Uint8Array => {
  const length = readUint(decoder, `${what} length`);
  const left = decoder.arr.length - decoder.pos;
  if (length > left)
    throw new MalformedFrameError(`${what} claims ${length} bytes, only ${left} left in frame`);
  return decoding.readUint8Array(decoder, length);
};

/**
 * Decodes a whole WebSocket frame into its sub-messages, or throws a
 * {@link MalformedFrameError} naming the problem. The stock client sends one
 * message per frame, but a frame may carry several back to back: every one is
 * returned, so that role checks see writes whatever frame they hide in. Nothing
 * is applied here: a frame that is malformed anywhere is refused as a whole.
 */
export const parseFrame = (frame: Uint8Array): ClientMessage[] => {
  const decoder = decoding.createDecoder(frame);
  const messages: ClientMessage[] = [];
  if (frame.length === 0) throw new MalformedFrameError('Empty frame');
  while (decoding.hasContent(decoder)) {
    const type = readUint(decoder, 'message type');
    switch (type) {
      case messageSync: {
        const sub = readUint(decoder, 'sync message type');
        if (sub === syncStep1)
          messages.push({ type: 'step1', stateVector: readBytes(decoder, 'state vector') });
        else if (sub === syncStep2)
          messages.push({ type: 'step2', update: readBytes(decoder, 'sync step 2') });
        else if (sub === syncUpdate) messages.push({ type: 'update', update: readBytes(decoder, 'update') });
        else throw new MalformedFrameError(`Unknown sync message type ${sub}`);
        break;
      }
      case messageAwareness:
        messages.push({ type: 'awareness', update: readBytes(decoder, 'awareness update') });
        break;
      case messageAuth:
        readUint(decoder, 'auth message type');
        readBytes(decoder, 'auth reason');
        messages.push({ type: 'auth' });
        break;
      case messageQueryAwareness:
        messages.push({ type: 'queryAwareness' });
        break;
      default:
        throw new MalformedFrameError(`Unknown message type ${type}`);
    }
  }
  return messages;
};

/** Encodes a sync step 1 message carrying `stateVector`. */
export const encodeStep1 = (stateVector: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  encoding.writeVarUint(encoder, syncStep1);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
};

/** Encodes a sync step 2 message carrying `update`. */
export const encodeStep2 = (update: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  encoding.writeVarUint(encoder, syncStep2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
};

/** Encodes a sync update message carrying `update`. */
export const encodeUpdate = (update: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  encoding.writeVarUint(encoder, syncUpdate);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
};

/** Encodes an awareness message carrying `update`. */
export const encodeAwareness = (update: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageAwareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
};
