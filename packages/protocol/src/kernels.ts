// The kernel catalogue as browser and server agree on it: the body of
// `GET /api/kernels`, and the kernels every deployment runs in the browser.

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
  kernelspec: { name: string; display_name: string; language: string; candyce_location: KernelLocation };
}

/** The body of `GET /api/kernels`. */
export interface KernelCatalogBody {
  kernels: readonly KernelOffer[];
  /** Whether the Jupyter server answered; `reason` says why not (never its address). */
  server: { configured: boolean; available: boolean; reason?: string };
}

/** The kernels every deployment offers: they run in the browser (also all a page without a server knows). */
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
