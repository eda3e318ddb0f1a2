// One side of the MetaPlayer contract over @mixer/postmessage-rpc: the
// transport, the handshake (declare, done) and calls. The player page and the
// host page each make one, with the methods of their side.
import { RPC } from '@mixer/postmessage-rpc';
import { RPCError } from '@mixer/postmessage-rpc/dist/error.js';
import { agreedContracts, type ContractId, methods, readDeclaration, serviceId } from './contract.js';

/** A method exposed to the other side: it receives the call's parameter array. */
export type Handler = (args: unknown[]) => unknown;

/** How to make one side of the contract. */
export interface ContractLinkOptions {
  /** The other side's window: `iframe.contentWindow` for the host, `window.parent` for the player. */
  readonly target: Window;
  /** The other side's origin; messages to and from any other origin are ignored. `*` accepts any. */
  readonly origin: string;
  /** The contracts this side implements. */
  readonly contracts: readonly ContractId[];
  /** The contract methods this side exposes, by method name. */
  readonly handlers: Readonly<Record<string, Handler>>;
  /** Called each time a handshake completes (again if the player reloads), with the contracts in force. */
  readonly onSession?: (agreed: ReadonlySet<string>) => void;
  /** The window whose messages are read (default: this window). */
  readonly receiver?: Window;
}

/** One side of the MetaPlayer contract, connected to the other. */
export interface ContractLink {
  /** Resolves with the contracts in force once the first handshake completes. */
  readonly agreed: Promise<ReadonlySet<string>>;
  /** Calls `method` of the other side with `args`; rejects with the other side's error message. */
  call<T = unknown>(method: string, args?: unknown[]): Promise<T>;
  /** Calls `method` of the other side without waiting for, or wanting, an answer. */
  notify(method: string, args?: unknown[]): void;
  /** Stops listening. */
  destroy(): void;
}

/**
 * Turns any exception of a handler into an RPCError with a plain message, so
 * the other side reads a sentence rather than this side's stack trace.
 */
const guard =
  (handler: Handler): ((params: unknown) => Promise<unknown>) =>
  async (params) => {
    try {
      return await handler(Array.isArray(params) ? params : []);
    } catch (err) {
      if (err instanceof RPCError) throw err;
      const status =
        typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 0;
      throw new RPCError(status, err instanceof Error ? err.message : String(err));
    }
  };

/**
 * Makes one side of the contract. Both sides run the same handshake: once the
 * transport is up, each calls the other's `declare` with the contracts it
 * implements, then `done`; when a side has both sent its own `done` and
 * received the other's, the contracts declared by both with the same version
 * are in force. A `declare` received after a completed handshake starts a
 * new one (the player was reloaded): this side declares itself again.
 * Messages whose source is not `target` are ignored, whatever they claim.
 */
export const createContractLink = (options: ContractLinkOptions): ContractLink => {
  const { target, origin, contracts } = options;
  const receiverWindow = options.receiver ?? window;
  const rpc = new RPC({
    target,
    serviceId,
    origin,
    receiver: {
      readMessages(callback) {
        const listener = (ev: MessageEvent) => {
          if (ev.source === target) callback(ev);
        };
        receiverWindow.addEventListener('message', listener);
        return () => receiverWindow.removeEventListener('message', listener);
      },
    },
  });

  let remote: ContractId[] = [];
  let remoteDone = false;
  let localSent = false;
  let localDone = false;
  let round = 0;
  let resolveFirst: (agreed: ReadonlySet<string>) => void = () => undefined;
  const agreed = new Promise<ReadonlySet<string>>((resolve) => {
    resolveFirst = resolve;
  });

  const complete = () => {
    if (!remoteDone || !localDone) return;
    const inForce = agreedContracts(contracts, remote);
    resolveFirst(inForce);
    options.onSession?.(inForce);
  };

  const sendLocal = async () => {
    if (localSent) return;
    localSent = true;
    const mine = round;
    await rpc.call(methods.handshake.declare, [contracts.map(({ name, version }) => ({ name, version }))]);
    await rpc.call(methods.handshake.done, []);
    if (mine !== round) return; // a new handshake began meanwhile
    localDone = true;
    complete();
  };

  rpc.expose(
    methods.handshake.declare,
    guard(([ids]) => {
      const declared = readDeclaration(ids);
      if (remoteDone) {
        // The other side starts over (a reloaded page): so do we.
        round++;
        remote = [];
        remoteDone = false;
        localSent = false;
        localDone = false;
      }
      remote.push(...declared);
    }),
  );
  rpc.expose(
    methods.handshake.done,
    guard(() => {
      remoteDone = true;
      if (localSent) complete();
      else void sendLocal().catch(() => undefined);
    }),
  );
  for (const [name, handler] of Object.entries(options.handlers)) rpc.expose(name, guard(handler));

  void rpc.isReady.then(() => sendLocal()).catch(() => undefined);

  return {
    agreed,
    call: <T>(method: string, args: unknown[] = []) => rpc.call<T>(method, args),
    notify: (method, args = []) => rpc.call(method, args, false),
    destroy: () => rpc.destroy(),
  };
};
