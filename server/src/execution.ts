import {
  type CellRun,
  createExecutionQueue,
  type ExecutionQueue,
  type KernelGateway,
  type KernelSession,
  kernelNameOf,
  lazyKernel,
} from '@candyce/kernels';
import type { ServerSideKernel } from '@candyce/protocol';
import type * as Y from 'yjs';
import {
  defaultMaxKernels,
  defaultMaxKernelsPerActivity,
  KernelBudget,
  type WatchedGateway,
  watchGateway,
} from './kernel-budget.js';
import type { Logger } from './logger.js';
import { kernelFiles, type NotebookFiles } from './notebook-files.js';

/** Options of server-side execution. */
export interface ExecutionOptions {
  /** The gateway that starts kernels (a Jupyter Server, Kernel Gateway or Enterprise Gateway). */
  gateway: KernelGateway;
  /** Milliseconds without a run after which a room's kernel is shut down. Default 30 minutes. */
  idleShutdownMs?: number;
  /** Kernels that may run at once on the server (`CANDYCE_MAX_KERNELS`). Default 40. */
  maxKernels?: number;
  /** Kernels that may run at once in one activity's rooms (`CANDYCE_MAX_KERNELS_PER_ACTIVITY`). Default 36. */
  maxKernelsPerActivity?: number;
  /**
   * Kernelspec names a notebook may ask for (CANDYCE_KERNELS); empty or
   * absent: any the gateway has. The kernelspec is notebook metadata, which
   * a pupil's editor can change.
   */
  allowedKernels?: readonly string[];
  /** The notebooks' data files, put in the folder `candyce/<room>` the room's kernel works in before each run. */
  files?: NotebookFiles;
}

interface RoomKernel {
  doc: Y.Doc;
  gateway: WatchedGateway;
  /** Runs asked for and not yet ended. */
  pending: number;
  kernel: KernelSession;
  queue: ExecutionQueue;
  /** The names and sha256 of the files last given to the kernel. */
  files?: string;
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
  /** What each room's kernel is doing and whether its variables are lost, as the room's presence tells it. */
  private readonly states = new Map<string, ServerSideKernel>();
  /** Kernels started per room since the room got its queue: a second start lost the first one's variables. */
  private readonly starts = new Map<string, number>();
  /** Called whenever a room's {@link stateOf} changes (the server publishes it in the room's presence). */
  onState: ((room: string, state: ServerSideKernel | null) => void) | null = null;
  /** The places of running kernels, overall and per activity. */
  readonly budget: KernelBudget;

  constructor(
    private readonly options: ExecutionOptions,
    private readonly logger: Logger,
    /** The group of rooms whose kernels share the per-activity cap (the features' kernel policies). */
    groupOf: (room: string) => string | null = () => null,
  ) {
    this.budget = new KernelBudget(
      options.maxKernels ?? defaultMaxKernels,
      options.maxKernelsPerActivity ?? defaultMaxKernelsPerActivity,
      groupOf,
    );
  }

  /** The state of the room's kernel, or null when it has none and lost nothing. */
  stateOf(name: string): ServerSideKernel | null {
    return this.states.get(name) ?? null;
  }

  private setState(name: string, change: Partial<ServerSideKernel>): void {
    const before = this.states.get(name) ?? { state: 'none', lost: false, by: '' };
    const next = { ...before, ...change };
    if (JSON.stringify(next) === JSON.stringify(before) && this.states.has(name)) return;
    this.states.set(name, next);
    this.onState?.(name, next);
  }

  /**
   * Runs the code cell `cellId` of the room `name` whose document is `doc`;
   * resolves when it has ended. Rejects with a `KernelBudgetFull` (before
   * anything runs) when the room has no kernel and no place is left for one.
   * `rerun` says it is the first cell of a re-run of what was run (which
   * ends the "variables lost" notice).
   */
  async run(name: string, doc: Y.Doc, cellId: string, rerun = false): Promise<CellRun> {
    let entry = this.rooms.get(name);
    if (entry && entry.doc !== doc) {
      // The room was unloaded and loaded again: its old queue writes into a dead document.
      this.stop(name);
      entry = undefined;
    }
    // Throws before the room gets a queue: a refused run leaves nothing behind.
    this.budget.take(name);
    if (!entry) {
      // A kernel of a room stopped before (unloaded, deleted) gives back no place of its successor.
      const gateway = watchGateway(this.loggedGateway(name), () => {
        if (this.rooms.get(name) === created) this.budget.release(name);
      });
      const kernel = lazyKernel(gateway, {
        kernelName: kernelNameOf(doc),
        idleShutdownMs: this.options.idleShutdownMs ?? 30 * 60 * 1000,
        directory: `candyce/${name}`,
      });
      const queue = createExecutionQueue(doc, kernel, { stopOnError: false });
      const created: RoomKernel = { doc, gateway, pending: 0, kernel, queue };
      entry = created;
      this.rooms.set(name, entry);
      this.logger.info({ room: name, kernel: kernelNameOf(doc) }, 'server kernel prepared for the room');
    }
    const held = entry;
    held.pending++;
    this.setState(name, {
      state: held.gateway.live ? 'busy' : 'starting',
      ...(rerun ? { lost: false, by: '' } : {}),
    });
    try {
      if (this.options.files) await this.syncFiles(held, name, this.options.files);
      const runs = await held.queue.run(cellId);
      return runs[0] ?? { cellId, status: 'skipped', executionCount: null };
    } finally {
      held.pending--;
      if (held.pending === 0 && this.rooms.get(name) === held)
        this.setState(name, { state: held.gateway.live ? 'idle' : 'none' });
      // Runs that started no kernel (skipped, cancelled) give their place back.
      if (held.pending === 0 && !held.gateway.live && this.rooms.get(name) === held)
        this.budget.release(name);
    }
  }

  // The files' bytes are read only when the list (names and sha256) changed since the last run.
  private async syncFiles(held: RoomKernel, name: string, files: NotebookFiles): Promise<void> {
    const listed = (await files.list(name)).map((f) => `${f.name}\0${f.sha256}`).join('\0');
    if (listed === held.files && held.kernel.status !== 'unknown') return;
    try {
      await held.kernel.syncFiles?.(await kernelFiles(files, name));
      held.files = listed;
    } catch (err) {
      // The run goes on: a kernel that cannot start says so in the cell, as without files.
      this.logger.warn({ room: name, err }, 'data files not given to the server kernel');
    }
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
      startKernel: (kernelName, start) => {
        this.setState(room, { state: 'starting' });
        return gateway.startKernel(kernelName, start).then(
          (started) => {
            // A second kernel for the room (the first was shut down idle, or died): its variables are gone.
            const count = (this.starts.get(room) ?? 0) + 1;
            this.starts.set(room, count);
            const state = this.states.get(room);
            this.setState(room, {
              state: 'busy',
              ...(count > 1 && !state?.lost ? { lost: true, by: '' } : {}),
            });
            return started;
          },
          (err: unknown) => {
            this.setState(room, { state: 'none' });
            this.logger.error({ room, kernel: kernelName, err }, 'the server kernel could not start');
            throw err;
          },
        );
      },
    };
  }

  /** Cancels the queued runs of the room `name` and interrupts the running one; false when it has no kernel. */
  async interrupt(name: string): Promise<boolean> {
    const entry = this.rooms.get(name);
    if (!entry) return false;
    await entry.queue.interrupt();
    return true;
  }

  /**
   * Restarts the room's kernel for everyone: cancels its runs and shuts it
   * down (the next run starts a new one); its variables are lost, which the
   * room is told with who asked. False when the room has no kernel.
   */
  restart(name: string, by: string): boolean {
    const had = this.rooms.has(name);
    this.stop(name);
    if (!had) return false;
    this.starts.set(name, 1);
    this.setState(name, { state: 'none', lost: true, by: by.slice(0, 200) });
    return true;
  }

  /** Cancels queued runs and shuts down the kernel of the room `name` (room deleted or unloaded). */
  stop(name: string): void {
    const entry = this.rooms.get(name);
    this.budget.release(name);
    this.starts.delete(name);
    if (this.states.delete(name)) this.onState?.(name, null);
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
    for (const [name] of entries) this.budget.release(name);
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
