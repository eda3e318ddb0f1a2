/** The pattern nbformat 4.5 requires of cell ids. */
export const cellIdPattern = /^[a-zA-Z0-9-_]{1,64}$/;

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Returns a new random cell id (16 hex digits). Uses `crypto.getRandomValues`,
 * which, unlike `randomUUID`, also works on pages that are not a secure context.
 */
export const newCellId = (): string => hex(globalThis.crypto.getRandomValues(new Uint8Array(8)));

/** Returns true when `id` is a valid nbformat 4.5 cell id. */
export const isValidCellId = (id: unknown): id is string => typeof id === 'string' && cellIdPattern.test(id);
