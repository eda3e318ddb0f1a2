/** Builds the example host page into `dir` (default dist/public) and returns the bundle sizes. */
export declare function buildHostPage(dir?: string, options?: { quiet?: boolean }): Promise<unknown>;
