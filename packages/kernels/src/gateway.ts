import type { KernelNotice } from './kernel-notice.js';
import type { ExecuteReplyContent, ExecutionMessage, KernelStatus } from './messages.js';

/** Options of {@link KernelSession.execute}. */
export interface ExecuteOptions {
  /** The cell being run, for traces and for kernels that record it (sent as `metadata.cellId`). */
  cellId?: string;
  /**
   * Cancels the execution: before it starts, it is dropped; while it runs,
   * the kernel is interrupted (and restarted if it does not respond).
   */
  signal?: AbortSignal;
  /** Receives every message of the execution, in order, the final `execute_reply` included. */
  onMessage?: (message: ExecutionMessage) => void;
  /** Receives what happened when the execution ended without the kernel saying so. */
  onNotice?: (notice: KernelNotice) => void;
  /**
   * Whether the code may call `input()`; then an `input_request` message
   * waits for {@link KernelSession.answerInput}. Without it, `input()` raises
   * an error in the code. Default false.
   */
  allowStdin?: boolean;
}

/** A data file for a kernel's working directory: one path component, its bytes and their SHA-256. */
export interface WorkingFile {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: Uint8Array;
}

/** Options of {@link KernelGateway.startKernel}. */
export interface StartOptions {
  /**
   * The folder the kernel works in, relative to the kernel server's root
   * (`candyce/<room>`), created when missing; the room's data files go there.
   * Gateways without folders (browser kernels) ignore it.
   */
  directory?: string;
}

/** How an execution ended: the content of its `execute_reply`. */
export type ExecuteReply = ExecuteReplyContent;

/** What a kernel says about itself (the useful part of `kernel_info_reply`). */
export interface KernelInfo {
  implementation: string;
  implementationVersion: string;
  language: string;
  languageVersion: string;
  /** The file extension of the language, with its dot (`.py`). */
  fileExtension: string;
  banner: string;
}

/** Completions offered at a cursor position. */
export interface CompleteReply {
  matches: string[];
  cursorStart: number;
  cursorEnd: number;
}

/** Documentation of the name at a cursor position. */
export interface InspectReply {
  found: boolean;
  data: { [mime: string]: string };
}

/** Reads the content of a `complete_reply`, asked at `cursorPos`. */
export const completeReplyOf = (content: { [key: string]: unknown }, cursorPos: number): CompleteReply => ({
  matches: Array.isArray(content.matches) ? content.matches.map(String) : [],
  cursorStart: typeof content.cursor_start === 'number' ? content.cursor_start : cursorPos,
  cursorEnd: typeof content.cursor_end === 'number' ? content.cursor_end : cursorPos,
});

/** Reads the content of an `inspect_reply`. */
export const inspectReplyOf = (content: { [key: string]: unknown }): InspectReply => ({
  found: content.found === true,
  data: (content.data ?? {}) as { [mime: string]: string },
});

/**
 * One running kernel: its state survives from one execution to the next.
 * Executions run one at a time, in the order they were asked for.
 */
export interface KernelSession {
  /** The gateway's id of this kernel (a Jupyter kernel id, a worker id). */
  readonly id: string;
  /** The kernel's name, as in a kernelspec (`python3`). */
  readonly kernelName: string;
  /** The kernel's current status. */
  readonly status: KernelStatus;
  /** What the kernel said about itself when it started. */
  readonly info: KernelInfo | undefined;
  /** Calls `listener` with every status change; returns a function that stops it. */
  onStatus(listener: (status: KernelStatus) => void): () => void;
  /**
   * Runs `code` and resolves with its reply once the kernel is idle again.
   * Messages stream to `options.onMessage` as they come. An execution that
   * the kernel could not finish (it died, it was restarted) resolves with
   * status `error` or `aborted` after an `onNotice`; the promise rejects only
   * for a {@link KernelError} before anything ran (the kernel cannot start).
   */
  execute(code: string, options?: ExecuteOptions): Promise<ExecuteReply>;
  /** Answers the pending `input_request` of the running execution. */
  answerInput(value: string): void;
  /** Interrupts the running execution (like Ctrl-C); a kernel that does not respond is restarted. */
  interrupt(): Promise<void>;
  /** Restarts the kernel: its state is lost, the running execution ends. */
  restart(): Promise<void>;
  /** Stops the kernel for good. */
  shutdown(): Promise<void>;
  /**
   * Makes the kernel's working directory hold exactly these data files (the
   * notebook's attached files), writing only those whose sha256 changed, when
   * the kernel offers it (browser kernels; a Jupyter server gets them through
   * its contents API instead).
   */
  syncFiles?(files: readonly WorkingFile[]): Promise<void>;
  /** Returns completions for the code at `cursorPos`, when the kernel offers them. */
  complete?(code: string, cursorPos: number): Promise<CompleteReply>;
  /** Returns documentation for the name at `cursorPos`, when the kernel offers it. */
  inspect?(code: string, cursorPos: number, detailLevel?: 0 | 1): Promise<InspectReply>;
}

/**
 * Starts kernels. A gateway is a plug-in: Pyodide in a worker, a Jupyter
 * Server, anything that can run code and speak Jupyter messages.
 */
export interface KernelGateway {
  /** The gateway's name (`pyodide`, `jupyter`). */
  readonly name: string;
  /**
   * Starts a kernel and resolves once it is ready. `kernelName` is a
   * kernelspec name (default `python3`); a gateway that cannot run it throws
   * a {@link KernelError} saying so.
   */
  startKernel(kernelName?: string, options?: StartOptions): Promise<KernelSession>;
  /**
   * Lists the kernelspecs the gateway can start, when it can tell (a Jupyter
   * server's `/api/kernelspecs`); rejects when it cannot be reached, or when
   * `signal` aborts first.
   */
  kernelSpecs?(signal?: AbortSignal): Promise<KernelSpecSummary[]>;
}

/** A kernelspec a gateway offers: its name and what its notebooks say about it. */
export interface KernelSpecSummary {
  name: string;
  display_name: string;
  language: string;
}
