import type { KernelMessage } from './messages.js';

// Jupyter Server's WebSocket carries JSON text frames, and binary frames for
// messages with buffers (widgets): a count of parts, their offsets, the
// JSON message, then the buffers. Buffers are of no use to outputs and are
// dropped.

/** A WebSocket as the Jupyter gateway uses it: the standard one, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(
    type: 'open' | 'close' | 'error' | 'message',
    listener: (event: SocketEvent) => void,
  ): void;
}

/** What the WebSocket events carry that the gateway reads. */
export interface SocketEvent {
  data?: unknown;
  code?: number;
  reason?: string;
  message?: string;
}

/** A WebSocket class: `globalThis.WebSocket`, or `WebSocket` from the `ws` package. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

const decoder = new TextDecoder();

/** Decodes one frame of the kernel WebSocket; returns undefined for what is not a message. */
export const decodeFrame = (data: unknown): KernelMessage | undefined => {
  let text: string;
  if (typeof data === 'string') text = data;
  else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (bytes.length < 8) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const parts = view.getUint32(0);
    const start = view.getUint32(4);
    const end = parts > 1 ? view.getUint32(8) : bytes.length;
    text = decoder.decode(bytes.subarray(start, end));
  } else return undefined;
  try {
    const message = JSON.parse(text) as KernelMessage;
    if (!message.header || typeof message.header.msg_type !== 'string') return undefined;
    message.msg_type ??= message.header.msg_type;
    return message;
  } catch {
    return undefined;
  }
};

/** Returns the `ws` package's WebSocket, for Node versions without a global one. */
export const loadWebSocket = async (): Promise<WebSocketConstructor> => {
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return global;
  // A variable specifier keeps browser bundlers from following it.
  const name = 'ws';
  const module = (await import(/* @vite-ignore */ name)) as {
    WebSocket?: WebSocketConstructor;
    default?: WebSocketConstructor;
  };
  const ctor = module.WebSocket ?? module.default;
  if (!ctor) throw new TypeError('No WebSocket here: pass options.WebSocket to jupyterGateway');
  return ctor;
};
