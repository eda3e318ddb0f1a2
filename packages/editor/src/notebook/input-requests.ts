import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PendingInput } from '../cells/input-prompt.js';
import type { InputRequest } from '../run/cell-runner.js';

/**
 * The questions of `input()` waiting for this user's answer, one per cell:
 * the cell shows the question ({@link of}), the answer or a cancel settles
 * the run's promise and gives the focus back to the cell, and the run's end
 * (its signal) takes the question away.
 */
export class InputRequests implements ReactiveController {
  private readonly pending = new Map<string, PendingInput>();
  private count = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Gives the keyboard focus back to a cell once its question is answered. */
    private readonly focusCell: (cellId: string) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Cancels every question (the notebook goes away). */
  hostDisconnected(): void {
    for (const pending of [...this.pending.values()]) pending.cancel();
  }

  /** The question waiting in `cellId`, or null. */
  of(cellId: string): PendingInput | null {
    return this.pending.get(cellId) ?? null;
  }

  /** Shows the question of `request` in `cellId`; resolves with the answer, rejects when cancelled or when the run ends. */
  ask(request: InputRequest, cellId: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const done = () => {
        if (this.pending.get(cellId) === pending) this.pending.delete(cellId);
        request.signal.removeEventListener('abort', onAbort);
        this.host.requestUpdate();
      };
      const onAbort = () => {
        done();
        reject(new Error('The run ended before an answer'));
      };
      const pending: PendingInput = {
        id: ++this.count,
        prompt: request.prompt,
        password: request.password,
        answer: (value) => {
          done();
          resolve(value);
          this.focusCell(cellId);
        },
        cancel: () => {
          done();
          reject(new Error('Cancelled by the user'));
          this.focusCell(cellId);
        },
      };
      if (request.signal.aborted) {
        reject(new Error('The run ended before an answer'));
        return;
      }
      request.signal.addEventListener('abort', onAbort);
      this.pending.set(cellId, pending);
      this.host.requestUpdate();
    });
  }
}
