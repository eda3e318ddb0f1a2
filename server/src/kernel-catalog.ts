import type { KernelGateway } from '@candyce/kernels';
import {
  browserKernels,
  type KernelCatalogBody,
  type KernelLocation,
  type KernelOffer,
} from '@candyce/protocol';

export type { KernelCatalogBody, KernelLocation, KernelOffer };
export { browserKernels };

/** Options of {@link KernelCatalog}. */
export interface KernelCatalogOptions {
  /** The server's gateway (JUPYTER_URL), when it has one. */
  gateway?: KernelGateway;
  /** CANDYCE_KERNELS: the server kernelspecs offered (empty: all). */
  allowed?: readonly string[];
  /** Milliseconds a list is kept (default a minute). */
  ttlMs?: number;
  /** Milliseconds a caller waits for the Jupyter server (default 800, so that the route answers within a second). */
  waitMs?: number;
  /** Milliseconds the Jupyter server has to answer one request (default 10 s). */
  requestTimeoutMs?: number;
  now?: () => number;
}

/** Milliseconds after which a failed list is asked for again. */
const retryMs = 5000;

/**
 * What this deployment offers to run notebooks with: the browser kernels and
 * the Jupyter server's kernelspecs allowed by CANDYCE_KERNELS. The server
 * list is asked for at most once a minute (concurrent askers share one
 * request, a failure is asked again after 5 seconds); a caller waits for it
 * at most `waitMs`, then gets the last list known (or the browser kernels
 * with a reason) while the request goes on and fills the cache, so that a
 * slow or dead Jupyter server slows nobody.
 */
export class KernelCatalog {
  private current: KernelCatalogBody | null = null;
  /** When `current` stops being fresh. */
  private freshUntil = Number.NEGATIVE_INFINITY;
  private pending: Promise<KernelCatalogBody> | null = null;

  constructor(private readonly options: KernelCatalogOptions = {}) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Returns the offered kernels, from the cache while it is fresh. */
  async list(): Promise<KernelCatalogBody> {
    if (this.current && this.now() < this.freshUntil) return this.current;
    this.pending ??= this.load().finally(() => {
      this.pending = null;
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.options.waitMs ?? 800);
    });
    const body = await Promise.race([this.pending, late]);
    clearTimeout(timer);
    return body ?? this.current ?? this.failure('the Jupyter server did not answer in time');
  }

  /** Returns the offer whose id is `id`, or undefined when this deployment does not offer it. */
  async find(id: string): Promise<KernelOffer | undefined> {
    return (await this.list()).kernels.find((k) => k.id === id);
  }

  private failure(reason: string): KernelCatalogBody {
    return { kernels: [...browserKernels], server: { configured: true, available: false, reason } };
  }

  private keep(body: KernelCatalogBody, forMs: number): KernelCatalogBody {
    this.current = body;
    this.freshUntil = this.now() + forMs;
    return body;
  }

  private async load(): Promise<KernelCatalogBody> {
    const ttl = this.options.ttlMs ?? 60_000;
    const gateway = this.options.gateway;
    if (!gateway?.kernelSpecs)
      return this.keep(
        {
          kernels: [...browserKernels],
          server: {
            configured: Boolean(gateway),
            available: false,
            reason: gateway
              ? 'the server kernels cannot be listed'
              : 'no Jupyter server is configured (JUPYTER_URL)',
          },
        },
        ttl,
      );
    const allowed = this.options.allowed ?? [];
    try {
      const specs = await gateway.kernelSpecs(AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000));
      const offered = specs
        .filter((s) => allowed.length === 0 || allowed.includes(s.name))
        .sort((a, b) => a.name.localeCompare(b.name));
      return this.keep(
        {
          kernels: [
            ...browserKernels,
            ...offered.map(
              (s): KernelOffer => ({
                id: `server:${s.name}`,
                location: 'server',
                kernelspec: { ...s, candyce_location: 'server' },
              }),
            ),
          ],
          server: { configured: true, available: true },
        },
        ttl,
      );
    } catch (err) {
      // Kept for a few seconds only: the server may be back soon.
      return this.keep(
        this.failure(err instanceof Error ? err.message : 'the Jupyter server is unreachable'),
        retryMs,
      );
    }
  }
}
