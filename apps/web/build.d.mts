import type { BundleSizes } from '../../packages/editor/build.mjs';

/** What {@link buildWebApp} built. */
export interface WebAppBuild extends BundleSizes {
  /** Bytes of the precompressed files: as they are, and sent with brotli or gzip. */
  compressed: { raw: number; br: number; gz: number };
  /** Where Pyodide is served (`/pyodide/<version>/`) and the bytes of its files. */
  pyodide: { index: string; bytes: number };
}

/** Builds the web app into `dist` (apps/web/dist by default) and returns the bundle sizes. */
export function buildWebApp(dist?: string, options?: { quiet?: boolean }): Promise<WebAppBuild>;
