/** Sizes of one bundled file. */
export interface BundleFile {
  file: string;
  /** Its path in the output folder (`chunks/chunk-….js`), with forward slashes. */
  path: string;
  initial: boolean;
  raw: number;
  gzip: number;
}

/** Sizes of a bundle: what loads at start, what loads on demand, and each file. */
export interface BundleSizes {
  initialRaw: number;
  initialGzip: number;
  lazyRaw: number;
  lazyGzip: number;
  files: BundleFile[];
}

/** Bundles `entry` into `outdir` as `name.js` (with lazy chunks) and returns the sizes. */
export function bundle(options: {
  entry: string;
  outdir: string;
  name: string;
  quiet?: boolean;
  hashed?: boolean;
}): Promise<BundleSizes>;
