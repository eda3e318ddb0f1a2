import { cellTypeOf, getCell, sourceOf } from '@candyce/model';
import type * as Y from 'yjs';
import type { KernelSession } from './gateway.js';
import { KernelError } from './kernel-notice.js';
import { englishTexts } from './kernel-texts.js';
import { createMessage, type ExecutionMessage, type InputRequestContent } from './messages.js';
import { createOutputWriter, type OutputWriterOptions } from './output-writer.js';

/** Options of {@link executeCell}. */
export interface ExecuteCellOptions extends OutputWriterOptions {
  /** Cancels the run: before it starts nothing runs; while it runs the kernel is interrupted. */
  signal?: AbortSignal;
  /**
   * Asks someone for the answer to an `input()` of the code; the prompt and
   * the answer are also written to the cell's output, for every reader.
   * Without it, `input()` raises an error that says it cannot be answered.
   * A rejection interrupts the run. `signal` aborts when the run ends first.
   */
  input?: (request: InputRequestContent, signal: AbortSignal) => Promise<string>;
  /** Also receives every message of the execution (for a trace, a test, a status bar). */
  onMessage?: (message: ExecutionMessage) => void;
}

/** How a cell run ended. `skipped`: the cell was gone or no longer code when its turn came. */
export interface CellRun {
  cellId: string;
  status: 'ok' | 'error' | 'aborted' | 'skipped';
  executionCount: number | null;
}

/**
 * Runs the code cell `cellId` of `doc` on `session` and writes what it
 * produces into the cell, for every collaborator to see: outputs cleared and
 * the cell marked running at once, then streams, rich outputs and errors as
 * they come (batched, bounded), the execution count, and `idle` at the end,
 * whatever happens. Pass a promise of the session to show the cell running
 * while the kernel starts. Throws `CellNotFoundError` for an unknown cell and
 * a `RangeError` for a cell that is not code; kernel failures are written
 * into the cell, not thrown.
 */
export async function executeCell(
  doc: Y.Doc,
  cellId: string,
  session: KernelSession | PromiseLike<KernelSession>,
  options: ExecuteCellOptions = {},
): Promise<CellRun> {
  const cell = getCell(doc, cellId);
  if (cellTypeOf(cell) !== 'code')
    throw new RangeError(`Cell ${cellId} is a ${cellTypeOf(cell)} cell, not a code cell`);
  const code = sourceOf(cell).toString();
  const texts = options.texts ?? englishTexts;
  const { signal } = options;
  if (signal?.aborted) return { cellId, status: 'aborted', executionCount: null };
  const writer = createOutputWriter(doc, cellId, options);
  const inputs = new AbortController();
  writer.begin();
  try {
    const kernel = await session;
    if (signal?.aborted) return { cellId, status: 'aborted', executionCount: null };
    const answer = (request: InputRequestContent) => {
      options.input?.(request, inputs.signal).then(
        (value) => {
          if (inputs.signal.aborted) return;
          writer.write('stdout', `${request.password ? '········' : value}\n`);
          kernel.answerInput(value);
        },
        () => {
          if (!inputs.signal.aborted) void kernel.interrupt();
        },
      );
    };
    let sawError = false;
    const reply = await kernel.execute(code, {
      cellId,
      signal,
      allowStdin: options.input !== undefined,
      onMessage: (message) => {
        options.onMessage?.(message);
        if (message.msg_type === 'error') sawError = true;
        writer.handle(message);
        if (message.msg_type === 'input_request') answer(message.content);
      },
      onNotice: (notice) => writer.write('stderr', `${texts.notice(notice)}\n`),
    });
    if (reply.status === 'error' && !sawError && reply.ename !== undefined) {
      // The error output never came (a Jupyter server drops IOPub messages above its rate
      // limit, as after a print loop): the reply carries the same error, so the cell still says it.
      const content = { ename: reply.ename, evalue: reply.evalue ?? '', traceback: reply.traceback ?? [] };
      writer.handle(createMessage('error', content, 'iopub', { session: 'candyce' }) as ExecutionMessage);
    }
    return { cellId, status: reply.status, executionCount: reply.execution_count };
  } catch (error) {
    const notice =
      error instanceof KernelError
        ? error.notice
        : { code: 'start-failed' as const, detail: error instanceof Error ? error.message : String(error) };
    writer.write('stderr', `${texts.notice(notice)}\n`);
    return { cellId, status: 'error', executionCount: null };
  } finally {
    inputs.abort();
    writer.end();
  }
}
