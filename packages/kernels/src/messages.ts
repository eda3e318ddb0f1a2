import type { JSONObject, MimeBundle } from '@candyce/model';

// The subset of the Jupyter messaging protocol (v5.3) that execution uses.
// Every gateway speaks it, Pyodide included, so that one writer turns the
// messages of any kernel into document edits.

/** The protocol version written in the headers of the messages we make. */
export const protocolVersion = '5.3';

/** The socket a Jupyter message travels on. */
export type Channel = 'shell' | 'iopub' | 'stdin' | 'control';

/** The header of a Jupyter message. */
export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

/**
 * A Jupyter message. `msg_type` repeats `header.msg_type` at the top level, as
 * Jupyter Server's WebSocket JSON does, so that unions narrow on it.
 */
export interface KernelMessage<T extends string = string, C = JSONObject> {
  header: MessageHeader;
  parent_header: MessageHeader | Record<string, never>;
  metadata: JSONObject;
  content: C;
  channel: Channel;
  msg_type: T;
}

/** What a kernel says it is doing. */
export type KernelStatus = 'unknown' | 'starting' | 'idle' | 'busy' | 'restarting' | 'dead';

/** Content of a `stream` message: text written to stdout or stderr. */
export interface StreamContent {
  name: 'stdout' | 'stderr';
  text: string;
}

/** Content of `display_data` and `update_display_data` messages. */
export interface DisplayDataContent {
  data: MimeBundle;
  metadata: JSONObject;
  transient?: { display_id?: string };
}

/** Content of an `execute_result` message: the value of the cell's last expression. */
export interface ExecuteResultContent {
  execution_count: number;
  data: MimeBundle;
  metadata: JSONObject;
}

/** Content of an `error` message. */
export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Content of a `clear_output` message; with `wait`, outputs are cleared when the next one arrives. */
export interface ClearOutputContent {
  wait: boolean;
}

/** Content of an `execute_input` message: the kernel started running the code. */
export interface ExecuteInputContent {
  code: string;
  execution_count: number;
}

/** Content of a `status` message. */
export interface StatusContent {
  execution_state: KernelStatus;
}

/** Content of an `input_request` message (stdin channel): the code called `input()`. */
export interface InputRequestContent {
  prompt: string;
  password: boolean;
}

/** Content of an `execute_reply` message: how the execution ended. */
export interface ExecuteReplyContent {
  status: 'ok' | 'error' | 'aborted';
  execution_count: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** A message that an execution streams to its listener. */
export type ExecutionMessage =
  | KernelMessage<'stream', StreamContent>
  | KernelMessage<'display_data', DisplayDataContent>
  | KernelMessage<'update_display_data', DisplayDataContent>
  | KernelMessage<'execute_result', ExecuteResultContent>
  | KernelMessage<'error', ErrorContent>
  | KernelMessage<'clear_output', ClearOutputContent>
  | KernelMessage<'execute_input', ExecuteInputContent>
  | KernelMessage<'status', StatusContent>
  | KernelMessage<'input_request', InputRequestContent>
  | KernelMessage<'execute_reply', ExecuteReplyContent>;

/** The message types an execution streams, in the order of {@link ExecutionMessage}. */
export const executionMessageTypes: ReadonlySet<string> = new Set([
  'stream',
  'display_data',
  'update_display_data',
  'execute_result',
  'error',
  'clear_output',
  'execute_input',
  'status',
  'input_request',
  'execute_reply',
]);

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Returns a new random message or session id (32 hex digits). Uses
 * `crypto.getRandomValues`, which also works on pages that are not a secure
 * context, unlike `randomUUID`.
 */
export const newMessageId = (): string => hex(globalThis.crypto.getRandomValues(new Uint8Array(16)));

/** Who makes a message: the session id and user name that go into its header. */
export interface MessageAuthor {
  session: string;
  username?: string;
}

/**
 * Returns a new Jupyter message of type `msgType` with `content`, in reply to
 * `parent` when given.
 */
export const createMessage = <T extends string, C>(
  msgType: T,
  content: C,
  channel: Channel,
  author: MessageAuthor,
  parent?: MessageHeader,
  metadata: JSONObject = {},
): KernelMessage<T, C> => ({
  header: {
    msg_id: newMessageId(),
    msg_type: msgType,
    session: author.session,
    username: author.username ?? 'candyce',
    date: new Date().toISOString(),
    version: protocolVersion,
  },
  parent_header: parent ?? {},
  metadata,
  content,
  channel,
  msg_type: msgType,
});
