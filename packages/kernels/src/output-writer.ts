import {
  appendOutput,
  cellsOf,
  cellTypeOf,
  findCell,
  type JSONObject,
  kernelOrigin,
  type MimeBundle,
  type NotebookOrigin,
  type Output,
  outputFromY,
  outputsOf,
  transact,
  type YCell,
} from '@candyce/model';
import * as Y from 'yjs';
import { BoundedStream, compactChunk, type Skipped, type TextEdit } from './bounded-stream.js';
import { englishTexts, type KernelTexts } from './kernel-texts.js';
import type { DisplayDataContent, ExecutionMessage } from './messages.js';
import { type OutputLimits, outputSize, resolveLimits } from './output-limits.js';

/** Options of {@link createOutputWriter}. */
export interface OutputWriterOptions {
  /** Bounds on what the cell keeps (see {@link OutputLimits}). */
  limits?: Partial<OutputLimits>;
  /**
   * Milliseconds during which messages are gathered into one document update
   * (default 50): a print loop makes a few updates per second, not one per line.
   */
  flushInterval?: number;
  /**
   * Milliseconds between updates while a stream overflows its budget (default
   * 1000): a runaway loop then sends its latest lines once a second, not a
   * fresh tail of the output at every flush.
   */
  floodInterval?: number;
  /** The words written into the cell (markers, notices); default English. */
  texts?: KernelTexts;
  /** The origin of the writes; default the model's `kernelOrigin`, which no undo manager tracks. */
  origin?: NotebookOrigin;
}

/**
 * Turns the messages of one execution into edits of one cell, as JupyterLab's
 * output area does, but in the shared document so that every collaborator
 * sees them. The cell is looked up by id at every write, so it may be moved
 * (which replaces its map) while it runs; a deleted cell is simply no longer
 * written to.
 */
export interface OutputWriter {
  /** The id of the cell written to. */
  readonly cellId: string;
  /** Clears the outputs and the execution count and marks the cell running, at once. */
  begin(): void;
  /** Queues the effect of one execution message. */
  handle(message: ExecutionMessage): void;
  /** Queues text for a stream of the cell (`stdout` or `stderr`), for notices and echoed input. */
  write(name: 'stdout' | 'stderr', text: string): void;
  /** Writes what is queued now, in one transaction. */
  flush(): void;
  /** Writes what is queued and marks the cell idle; later calls do nothing. */
  end(): void;
}

type Op =
  | { kind: 'stream'; name: string; text: string; skipped: Skipped }
  | { kind: 'output'; output: Output }
  | { kind: 'update'; displayId: string; data: MimeBundle; metadata: JSONObject }
  | { kind: 'clear' }
  | { kind: 'count'; count: number }
  | { kind: 'idle' };

type Entry =
  | { kind: 'stream'; name: string; stream: BoundedStream }
  | { kind: 'rich'; text: number; images: number; displayId?: string; notice?: boolean };

const displayIdOf = (stored: unknown): string | undefined => {
  if (!(stored instanceof Y.Map)) return undefined;
  const transient = stored.get('transient') as { display_id?: unknown } | undefined;
  return typeof transient?.display_id === 'string' ? transient.display_id : undefined;
};

const applyEdits = (text: Y.Text, edits: TextEdit[]): void => {
  for (const e of edits) {
    if (e.remove > 0) text.delete(e.index, e.remove);
    if (e.insert) text.insert(e.index, e.insert);
  }
};

const streamMap = (name: string): Y.Map<unknown> => {
  const m = new Y.Map<unknown>();
  m.set('output_type', 'stream');
  m.set('name', name);
  m.set('text', new Y.Text());
  return m;
};

/** Returns a writer of the outputs of one execution of the cell `cellId`. */
export function createOutputWriter(
  doc: Y.Doc,
  cellId: string,
  options: OutputWriterOptions = {},
): OutputWriter {
  const limits = resolveLimits(options.limits);
  const texts = options.texts ?? englishTexts;
  const origin = options.origin ?? kernelOrigin;
  const interval = options.flushInterval ?? 50;
  const floodInterval = options.floodInterval ?? 1000;
  let flooding = false;
  let overflowed = false;
  let ops: Op[] = [];
  let entries: Entry[] = [];
  let dropped = 0;
  let clearNext = false;
  let ended = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = () => {
    if (timer === undefined && !ended) timer = setTimeout(flush, flooding ? floodInterval : interval);
  };

  const push = (op: Op) => {
    if (ended) return;
    const last = ops[ops.length - 1];
    if (op.kind === 'stream' && last?.kind === 'stream' && last.name === op.name) {
      const merged = compactChunk(last.text + op.text, limits.maxText);
      last.text = merged.text;
      last.skipped = {
        lines: last.skipped.lines + op.skipped.lines + merged.skipped.lines,
        chars: last.skipped.chars + op.skipped.chars + merged.skipped.chars,
      };
    } else if (op.kind === 'clear') {
      // What a clear would erase need not be written at all.
      ops = ops.filter((o) => o.kind === 'update' || o.kind === 'count');
      ops.push(op);
    } else {
      ops.push(op);
    }
    schedule();
  };

  // An output replaces the outputs when a clear_output(wait=True) came before it.
  const pushOutput = (op: Op) => {
    if (clearNext) {
      clearNext = false;
      push({ kind: 'clear' });
    }
    push(op);
  };

  const textTotal = () => entries.reduce((n, e) => n + (e.kind === 'stream' ? e.stream.length : e.text), 0);
  const imageTotal = () => entries.reduce((n, e) => n + (e.kind === 'rich' ? e.images : 0), 0);

  // Rebuilds the picture of the outputs when the document does not match it
  // (someone else cleared or changed them during the run).
  const sync = (outputs: Y.Array<unknown>) => {
    let ok = outputs.length === entries.length;
    for (let i = 0; ok && i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.kind !== 'stream') continue;
      const text = (outputs.get(i) as Y.Map<unknown> | undefined)?.get?.('text');
      ok = text instanceof Y.Text && text.length === entry.stream.length;
    }
    if (ok) return;
    entries = outputs.toArray().map((stored): Entry => {
      const text = stored instanceof Y.Map ? stored.get('text') : undefined;
      if (stored instanceof Y.Map && stored.get('output_type') === 'stream' && text instanceof Y.Text) {
        return {
          kind: 'stream',
          name: String(stored.get('name')),
          stream: BoundedStream.adopt(text.toString(), texts.elided),
        };
      }
      const size = outputSize(outputFromY(stored));
      const displayId = displayIdOf(stored);
      return displayId === undefined ? { kind: 'rich', ...size } : { kind: 'rich', ...size, displayId };
    });
  };

  // Records an output that does not fit under maxOutputs, in one notice at the end.
  const drop = (outputs: Y.Array<unknown>) => {
    dropped++;
    const data = { 'text/plain': texts.outputsDropped(dropped, limits.maxOutputs) };
    const last = entries[entries.length - 1];
    if (last?.kind === 'rich' && last.notice) {
      (outputs.get(outputs.length - 1) as Y.Map<unknown>).set('data', data);
    } else {
      appendOutput(doc, cellId, { output_type: 'display_data', data, metadata: {} }, origin);
      entries.push({ kind: 'rich', text: 0, images: 0, notice: true });
    }
  };

  const full = () => entries.filter((e) => !(e.kind === 'rich' && e.notice)).length >= limits.maxOutputs;

  // Keeps a rich output within what is left of the cell's budgets.
  const bound = (output: Output, ownText = 0, ownImages = 0): Output => {
    const size = outputSize(output);
    const textLeft = limits.maxText - (textTotal() - ownText);
    const imagesLeft = limits.maxImageBytes - (imageTotal() - ownImages);
    if (output.output_type === 'error') {
      if (size.text <= textLeft || output.traceback.length <= 30) return output;
      const tb = output.traceback;
      const marker = texts.elided(tb.length - 25, size.text, limits.maxText).trimEnd();
      return { ...output, traceback: [...tb.slice(0, 5), marker, ...tb.slice(-20)] };
    }
    if (output.output_type === 'stream') return output;
    let notice: string | undefined;
    if (size.images > imagesLeft) notice = texts.imageTooLarge(size.images, limits.maxImageBytes);
    else if (size.text > Math.max(textLeft, 0)) notice = texts.outputTooLarge(size.text, limits.maxText);
    return notice === undefined ? output : { ...output, data: { 'text/plain': notice }, metadata: {} };
  };

  const writeStream = (outputs: Y.Array<unknown>, op: Extract<Op, { kind: 'stream' }>) => {
    let entry = entries[entries.length - 1];
    if (entry?.kind !== 'stream' || entry.name !== op.name) {
      if (full()) return drop(outputs);
      outputs.push([streamMap(op.name)]);
      entry = { kind: 'stream', name: op.name, stream: new BoundedStream(texts.elided) };
      entries.push(entry);
    }
    const text = (outputs.get(outputs.length - 1) as Y.Map<unknown>).get('text') as Y.Text;
    const others = textTotal() - entry.stream.length;
    const budget = Math.max(Math.min(limits.minStreamText, limits.maxText), limits.maxText - others);
    const before = entry.stream.elidedChars;
    applyEdits(text, entry.stream.write(op.text, budget, op.skipped));
    if (entry.stream.elidedChars > before) overflowed = true;
  };

  const writeOutput = (outputs: Y.Array<unknown>, output: Output) => {
    if (full()) return drop(outputs);
    const kept = bound(output);
    appendOutput(doc, cellId, kept, origin);
    const displayId = kept.output_type === 'display_data' ? kept.transient?.display_id : undefined;
    const entry: Entry = { kind: 'rich', ...outputSize(kept) };
    if (typeof displayId === 'string') entry.displayId = displayId;
    entries.push(entry);
  };

  const updateDisplay = (outputs: Y.Array<unknown>, op: Extract<Op, { kind: 'update' }>) => {
    let found = false;
    entries.forEach((entry, i) => {
      if (entry.kind !== 'rich' || entry.displayId !== op.displayId) return;
      const stored = outputs.get(i) as Y.Map<unknown>;
      const kept = bound(
        { output_type: 'display_data', data: op.data, metadata: op.metadata },
        entry.text,
        entry.images,
      ) as Extract<Output, { output_type: 'display_data' }>;
      stored.set('data', kept.data);
      stored.set('metadata', kept.metadata);
      Object.assign(entry, outputSize(kept));
      found = true;
    });
    if (found) return;
    // A display shown by another cell: update it there, within the cell limits.
    const kept = bound(
      { output_type: 'display_data', data: op.data, metadata: op.metadata },
      textTotal(),
      imageTotal(),
    ) as Extract<Output, { output_type: 'display_data' }>;
    for (const cell of cellsOf(doc)) {
      const list = outputsOf(cell);
      if (!list) continue;
      for (const stored of list) {
        if (displayIdOf(stored) !== op.displayId) continue;
        (stored as Y.Map<unknown>).set('data', kept.data);
        (stored as Y.Map<unknown>).set('metadata', kept.metadata);
      }
    }
  };

  const apply = (cell: YCell, outputs: Y.Array<unknown>, op: Op) => {
    switch (op.kind) {
      case 'stream':
        return writeStream(outputs, op);
      case 'output':
        return writeOutput(outputs, op.output);
      case 'update':
        return updateDisplay(outputs, op);
      case 'clear':
        if (outputs.length > 0) outputs.delete(0, outputs.length);
        entries = [];
        dropped = 0;
        return;
      case 'count':
        cell.set('execution_count', op.count);
        return;
      case 'idle':
        cell.set('execution_state', 'idle');
        return;
    }
  };

  function flush(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (ops.length === 0) return;
    const batch = ops;
    ops = [];
    overflowed = false;
    transact(doc, origin, () => {
      const cell = findCell(doc, cellId);
      if (!cell || cellTypeOf(cell) !== 'code') return;
      let outputs = outputsOf(cell);
      if (!outputs) {
        outputs = new Y.Array<unknown>();
        cell.set('outputs', outputs);
      }
      sync(outputs);
      for (const op of batch) apply(cell, outputs, op);
    });
    flooding = overflowed;
  }

  const display = (content: DisplayDataContent): Output => {
    const output: Output = {
      output_type: 'display_data',
      data: content.data,
      metadata: content.metadata ?? {},
    };
    const id = content.transient?.display_id;
    if (typeof id === 'string') output.transient = { display_id: id };
    return output;
  };

  const write = (name: string, text: string) => {
    if (text) pushOutput({ kind: 'stream', name, text, skipped: { lines: 0, chars: 0 } });
  };

  return {
    cellId,
    begin() {
      transact(doc, origin, () => {
        const cell = findCell(doc, cellId);
        if (!cell || cellTypeOf(cell) !== 'code') return;
        const outputs = outputsOf(cell);
        if (outputs && outputs.length > 0) outputs.delete(0, outputs.length);
        else if (!outputs) cell.set('outputs', new Y.Array());
        cell.set('execution_count', null);
        cell.set('execution_state', 'running');
      });
      entries = [];
      dropped = 0;
      clearNext = false;
    },
    handle(message) {
      switch (message.msg_type) {
        case 'stream':
          return write(message.content.name, message.content.text);
        case 'display_data':
          return pushOutput({ kind: 'output', output: display(message.content) });
        case 'update_display_data': {
          const id = message.content.transient?.display_id;
          if (typeof id === 'string')
            push({
              kind: 'update',
              displayId: id,
              data: message.content.data,
              metadata: message.content.metadata ?? {},
            });
          return;
        }
        case 'execute_result':
          pushOutput({
            kind: 'output',
            output: {
              output_type: 'execute_result',
              data: message.content.data,
              metadata: message.content.metadata ?? {},
              execution_count: message.content.execution_count,
            },
          });
          return push({ kind: 'count', count: message.content.execution_count });
        case 'error':
          return pushOutput({
            kind: 'output',
            output: {
              output_type: 'error',
              ename: message.content.ename,
              evalue: message.content.evalue,
              traceback: message.content.traceback,
            },
          });
        case 'clear_output':
          if (message.content.wait) clearNext = true;
          else {
            clearNext = false;
            push({ kind: 'clear' });
          }
          return;
        case 'execute_input':
        case 'execute_reply': {
          const count = message.content.execution_count;
          if (typeof count === 'number' && Number.isInteger(count) && count >= 0)
            push({ kind: 'count', count });
          return;
        }
        case 'input_request':
          // The prompt shows at once for everyone; the answer follows it (see executeCell).
          write('stdout', message.content.prompt);
          return flush();
        default:
          return;
      }
    },
    write,
    flush,
    end() {
      if (ended) return;
      ops.push({ kind: 'idle' });
      flush();
      ended = true;
    },
  };
}
