import type { KernelGateway, KernelSpecSummary } from '@candyce/kernels';

/** Where a kernel runs: in the pupil's browser or on the deployment's Jupyter server. */
export type KernelLocation = 'browser' | 'server';

/**
 * One kernel a deployment offers. `id` is what `POST /api/activities` takes
 * (`pyodide`, `sql`, `server:<kernelspec name>`); `kernelspec` is what a
 * notebook that uses it holds in `metadata.kernelspec`.
 */
export interface KernelOffer {
  id: string;
  location: KernelLocation;
  kernelspec: KernelSpecSummary & { candyce_location: KernelLocation };
}

/** The body of `GET /api/kernels`. */
export interface KernelCatalogBody {
  kernels: KernelOffer[];
  /** Whether the Jupyter server answered; `reason` says why not (never its address). */
  server: { configured: boolean; available: boolean; reason?: string };
}

/** The kernels every deployment offers: they run in the browser. */
export const browserKernels: readonly KernelOffer[] = [
  {
    id: 'pyodide',
    location: 'browser',
    kernelspec: {
      name: 'python3',
      display_name: 'Python 3',
      language: 'python',
      candyce_location: 'browser',
    },
  },
  {
    id: 'sql',
    location: 'browser',
    kernelspec: { name: 'sql', display_name: 'SQL', language: 'sql', candyce_location: 'browser' },
  },
];

/** Options of {@link KernelCatalog}. */
export interface KernelCatalogOptions {
  /** The server's gateway (JUPYTER_URL), when it has one. */
  gateway?: KernelGateway;
  /** CANDYCE_KERNELS: the server kernelspecs offered (empty: all). */
  allowed?: readonly string[];
  /** Milliseconds a list is kept (default a minute). */
  ttlMs?: number;
  /** Milliseconds the Jupyter server has to answer (default 800, so that the route answers within a second). */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * What this deployment offers to run notebooks with: the browser kernels and
 * the Jupyter server's kernelspecs allowed by CANDYCE_KERNELS. The server
 * list is asked for at most once a minute (concurrent askers share one
 * request) and given up after `timeoutMs`, so that a Jupyter server that is
 * down slows nobody: the list is then the browser kernels, with a reason.
 */
export class KernelCatalog {
  private cached: { at: number; body: Promise<KernelCatalogBody> } | null = null;

  constructor(private readonly options: KernelCatalogOptions = {}) {}

  /** Returns the offered kernels, from the cache when it is younger than the TTL. */
  list(): Promise<KernelCatalogBody> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now - this.cached.at < (this.options.ttlMs ?? 60_000)) return this.cached.body;
    const body = this.load();
    this.cached = { at: now, body };
    return body;
  }

  /** Returns the offer whose id is `id`, or undefined when this deployment does not offer it. */
  async find(id: string): Promise<KernelOffer | undefined> {
    return (await this.list()).kernels.find((k) => k.id === id);
  }

  private async load(): Promise<KernelCatalogBody> {
    const gateway = this.options.gateway;
    if (!gateway?.kernelSpecs)
      return {
        kernels: [...browserKernels],
        server: {
          configured: Boolean(gateway),
          available: false,
          reason: gateway
            ? 'the server kernels cannot be listed'
            : 'no Jupyter server is configured (JUPYTER_URL)',
        },
      };
    const allowed = this.options.allowed ?? [];
    const signal = AbortSignal.timeout(this.options.timeoutMs ?? 800);
    try {
      const specs = await gateway.kernelSpecs(signal);
      const offered = specs
        .filter((s) => allowed.length === 0 || allowed.includes(s.name))
        .sort((a, b) => a.name.localeCompare(b.name));
      return {
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
      };
    } catch (err) {
      // A failure is kept for a few seconds only: the server may be back soon.
      if (this.cached) this.cached.at -= Math.max(0, (this.options.ttlMs ?? 60_000) - 5000);
      return {
        kernels: [...browserKernels],
        server: {
          configured: true,
          available: false,
          reason: err instanceof Error ? err.message : 'the Jupyter server is unreachable',
        },
      };
    }
  }
}
