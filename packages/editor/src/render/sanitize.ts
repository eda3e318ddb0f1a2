import createDOMPurify, { type WindowLike } from 'dompurify';

// Outputs and markdown are untrusted: a pupil's notebook must never run script
// in a teacher's page. Everything that becomes markup goes through DOMPurify,
// with a configuration stricter than its default: no <style> (it would restyle
// the whole notebook inside the shadow root), no forms (phishing), no <base>,
// and ids prefixed so that nothing clobbers the page's names.

/** Turns untrusted markup into markup safe to insert in the editor's shadow root. */
export interface Sanitizer {
  /** Returns `dirty` HTML (MathML and SVG inside it allowed) with every active content removed. */
  html(dirty: string): string;
  /** Returns a standalone SVG image with every active content removed. */
  svg(dirty: string): string;
}

const forbiddenTags = [
  'style',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'dialog',
  'base',
  'meta',
  'link',
  'iframe',
  'frame',
  'object',
  'embed',
  'portal',
];
const forbiddenAttributes = ['autofocus', 'formaction', 'action', 'srcdoc', 'ping', 'popover'];

/**
 * Returns a sanitiser bound to `win` (the browser window by default; a jsdom
 * window in tests). Each sanitiser is its own DOMPurify instance, so its hooks
 * never change a host page's DOMPurify.
 */
export function createSanitizer(win?: WindowLike): Sanitizer {
  const purify = createDOMPurify(win ?? (globalThis as unknown as WindowLike));
  purify.addHook('afterSanitizeAttributes', (node) => {
    // Links open elsewhere and tell nothing about the notebook they come from.
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    }
  });
  return {
    html: (dirty) =>
      purify.sanitize(dirty, {
        USE_PROFILES: { html: true, svg: true, svgFilters: true, mathMl: true },
        FORBID_TAGS: forbiddenTags,
        FORBID_ATTR: forbiddenAttributes,
        SANITIZE_NAMED_PROPS: true,
      }),
    svg: (dirty) =>
      purify.sanitize(dirty, {
        USE_PROFILES: { svg: true, svgFilters: true },
        FORBID_TAGS: forbiddenTags,
        FORBID_ATTR: forbiddenAttributes,
      }),
  };
}

let shared: Sanitizer | undefined;

/** Returns the page's sanitiser, created on first use. */
export const sanitizer = (): Sanitizer => {
  shared ??= createSanitizer();
  return shared;
};
