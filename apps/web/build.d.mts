import type { BundleSizes } from '../../packages/editor/build.mjs';

/** Builds the web app into `dist` (apps/web/dist by default) and returns the bundle sizes. */
export function buildWebApp(dist?: string, options?: { quiet?: boolean }): Promise<BundleSizes>;
