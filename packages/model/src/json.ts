/** A plain JSON value, as found in notebook and cell metadata. */
export type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };

/** A plain JSON object. */
export type JSONObject = { [key: string]: JSONValue };

/** Returns true when `value` is a plain object (not null, not an array). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/** Deep-copies a JSON value so that callers never share mutable state with the document. */
export const cloneJSON = <T>(value: T): T => (value === undefined ? value : structuredClone(value));
