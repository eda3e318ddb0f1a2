import {
  type CellRun,
  createExecutionQueue,
  type ExecutionQueue,
  type KernelGateway,
  type KernelSession,
  kernelNameOf,
  lazyKernel,
} from '@candyce/kernels';
import type * as Y from 'yjs';
import type { Logger } from './logger.js';

/** Options of server-side execution. */
export interface ExecutionOptions {
  /** The gateway that starts kernels (a Jupyter Server, Kernel Gateway or Enterprise Gateway). */
  gateway: KernelGateway;
  /** Milliseconds without a run after which a room's kernel is shut down. Default 30 minutes. */
  idleShutdownMs?: number;
  /**
   * Kernelspec names a notebook may ask for (CANDYCE_KERNELS); empty or
   * absent: any the gateway has. The kernelspec is notebook metadata, which
   * a pupil's editor can change.
   */
  allowedKernels?: readonly string[];
}

interface RoomKernel {
  doc: Y.Doc;
  kernel: KernelSession;
  queue: ExecutionQueue;
}

/**
 * The server's kernels: one per room, started on the room's first run from
 * the notebook's kernelspec and shut down when idle, so that a pair of pupils
 * shares one kernel state. Runs of a room are queued in order; outputs are
 * written into the room's document (kernel origin), so every collaborator
 * sees them live and they are persisted like any edit.
 */
export class ExecutionService {
  private readonly rooms = new Map<string, RoomKernel>();

  constructor(
    private readonly options: ExecutionOptions,
    private readonly logger: Logger,
  ) {}

  /** Runs the code cell `cellId` of the room `name` whose document is `doc`; resolves when it has ended. */
  run(name: string, doc: Y.Doc, cellId: string): Promise<CellRun> {
    let entry = this.rooms.get(name);
    if (entry && entry.doc !== doc) {
      // The room was unloaded and loaded again: its old queue writes into a dead document.
      this.stop(name);
      entry = undefined;
    }
    if (!entry) {
      const kernel = lazyKernel(this.loggedGateway(name), {
        kernelName: kernelNameOf(doc),
        idleShutdownMs: this.options.idleShutdownMs ?? 30 * 60 * 1000,
      });
      entry = { doc, kernel, queue: createExecutionQueue(doc, kernel, { stopOnError: false }) };
      this.rooms.set(name, entry);
      this.logger.info({ room: name, kernel: kernelNameOf(doc) }, 'server kernel prepared for the room');
    }
    return entry.queue
      .run(cellId)
      .then((runs) => runs[0] ?? { cellId, status: 'skipped', executionCount: null });
  }

  /** Why the kernel `doc` asks for may not be started (a sentence), or null when it may. */
  kernelProblem(doc: Y.Doc): string | null {
    const allowed = this.options.allowedKernels ?? [];
    const name = kernelNameOf(doc);
    if (allowed.length === 0 || allowed.includes(name)) return null;
    return `The kernel "${name.slice(0, 100)}" is not offered by this server (it offers ${allowed.join(', ')}): choose one of them in the notebook's kernel`;
  }

  /** The gateway, logging why a kernel could not start (with the addresses pupils are not shown). */
  private loggedGateway(room: string): KernelGateway {
    const gateway = this.options.gateway;
    return {
      name: gateway.name,
      startKernel: (kernelName) =>
        gateway.startKernel(kernelName).catch((err: unknown) => {
          this.logger.error({ room, kernel: kernelName, err }, 'the server kernel could not start');
          throw err;
        }),
    };
  }

  /** Cancels the queued runs of the room `name` and interrupts the running one; false when it has no kernel. */
  async interrupt(name: string): Promise<boolean> {
    const entry = this.rooms.get(name);
    if (!entry) return false;
    await entry.queue.interrupt();
    return true;
  }

  /** Cancels queued runs and shuts down the kernel of the room `name` (room deleted or unloaded). */
  stop(name: string): void {
    const entry = this.rooms.get(name);
    if (!entry) return;
    this.rooms.delete(name);
    entry.queue.dispose();
    entry.kernel
      .shutdown()
      .catch((err: unknown) => this.logger.warn({ room: name, err }, 'kernel shutdown failed'));
  }

  /** Shuts down every kernel (server shutdown). */
  async close(): Promise<void> {
    const entries = [...this.rooms.entries()];
    this.rooms.clear();
    await Promise.all(
      entries.map(([name, entry]) => {
        entry.queue.dispose();
        return entry.kernel
          .shutdown()
          .catch((err: unknown) => this.logger.warn({ room: name, err }, 'kernel shutdown failed'));
      }),
    );
  }
}
