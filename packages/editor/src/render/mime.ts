import type { MimeBundle } from '@candyce/model';

/**
 * The MIME types the editor renders, richest first, as Jupyter picks them.
 * JavaScript and widget views are never run: a pupil's output must not run
 * script in a teacher's page, so such outputs fall back to a richer-safe type.
 */
export const mimeOrder = [
  'text/html',
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/markdown',
  'text/latex',
  'application/json',
  'text/plain',
] as const;

/** A MIME type the editor renders. */
export type RenderableMime = (typeof mimeOrder)[number];

/** Returns the richest MIME type of `bundle` that the editor renders, or null. */
export const pickMime = (bundle: MimeBundle): RenderableMime | null => {
  for (const mime of mimeOrder) if (bundle[mime] !== undefined) return mime;
  return null;
};

/** Returns true when an HTML output needs script to work, so it goes to a sandboxed frame instead of inline. */
export const htmlNeedsScript = (html: string): boolean => /<script[\s>]/i.test(html);

/** The most characters of one text output shown; the rest is summarised, so a runaway print cannot freeze the page. */
export const maxOutputChars = 100_000;

/** Returns `text` cut to `max` characters and the number of characters cut. */
export const truncate = (text: string, max = maxOutputChars): { text: string; hidden: number } =>
  text.length <= max ? { text, hidden: 0 } : { text: text.slice(0, max), hidden: text.length - max };
