import type { KatexOptions } from 'katex';

/** The part of KaTeX the editor uses. */
export interface MathRenderer {
  renderToString(tex: string, options?: KatexOptions): string;
}

let loading: Promise<MathRenderer> | undefined;

/**
 * Loads KaTeX on first use (it is a separate chunk of the bundle, fetched only
 * when a notebook shows math) and resolves to it.
 */
export const loadMath = (): Promise<MathRenderer> => {
  loading ??= import('katex').then((m) => m.default);
  return loading;
};

/**
 * Returns MathML for `tex`. MathML needs neither KaTeX's stylesheet nor its
 * fonts, which would have to be declared outside the shadow root; browsers
 * render it natively. Errors are shown in place, in red, never thrown.
 */
export const renderTex = (katex: MathRenderer, tex: string, display: boolean): string =>
  katex.renderToString(tex, {
    displayMode: display,
    output: 'mathml',
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    maxExpand: 1000,
    maxSize: 50,
  });
