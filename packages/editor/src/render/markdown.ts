import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked';
import { escapeHtml } from './escape.js';
import { type MathRenderer, renderTex } from './math.js';
import type { Sanitizer } from './sanitize.js';

// Markdown cells as Jupyter renders them: GitHub-flavoured markdown, with
// `$…$` and `$$…$$` math kept away from the markdown parser (so that `_` and
// `*` inside formulas stay TeX), `attachment:` images resolved from the cell,
// and the result sanitised.

/** What a markdown cell may refer to besides its text. */
export interface MarkdownContext {
  /** KaTeX once loaded; before that, math is shown as its TeX source. */
  math: MathRenderer | null;
  /** The cell's attachments, by name: MIME type to base64 data. */
  attachments?: Record<string, Record<string, unknown>>;
}

/** The result of rendering a markdown cell. */
export interface RenderedMarkdown {
  /** Sanitised HTML. */
  html: string;
  /** True when the source holds math (so the caller loads KaTeX and renders again). */
  hasMath: boolean;
}

interface MathToken extends Tokens.Generic {
  type: 'math';
  text: string;
  display: boolean;
}

const blockMath = /^\$\$([\s\S]+?)\$\$[^\S\n]*(?:\n|$)/;
const inlineDisplay = /^\$\$([\s\S]+?)\$\$/;
// Inline `$…$`: no space just inside the dollars, so that prices ("5 $ et 6 $") stay text.
const inlineMath = /^\$(?!\s)((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)/;

const makeExtensions = (state: {
  hasMath: boolean;
  ctx: MarkdownContext;
}): TokenizerAndRendererExtension[] => {
  const render = (token: MathToken): string => {
    state.hasMath = true;
    const tex = token.text.trim();
    if (!state.ctx.math) {
      const tag = token.display ? 'div' : 'span';
      return `<${tag} class="math-pending">${escapeHtml(token.display ? `$$${tex}$$` : `$${tex}$`)}</${tag}>`;
    }
    return renderTex(state.ctx.math, tex, token.display);
  };
  return [
    {
      name: 'mathBlock',
      level: 'block',
      start: (src) => src.indexOf('$$'),
      tokenizer(src) {
        const m = blockMath.exec(src);
        if (m) return { type: 'mathBlock', raw: m[0], text: m[1]!, display: true };
        return undefined;
      },
      renderer: (token) => render(token as MathToken),
    },
    {
      name: 'math',
      level: 'inline',
      start: (src) => src.indexOf('$'),
      tokenizer(src) {
        const d = inlineDisplay.exec(src);
        if (d) return { type: 'math', raw: d[0], text: d[1]!, display: true };
        const m = inlineMath.exec(src);
        if (m) return { type: 'math', raw: m[0], text: m[1]!, display: false };
        return undefined;
      },
      renderer: (token) => render(token as MathToken),
    },
  ];
};

const imageMimes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

const attachmentUrl = (ctx: MarkdownContext, href: string): string | null => {
  if (!href.startsWith('attachment:')) return href;
  const bundle = ctx.attachments?.[decodeURIComponent(href.slice('attachment:'.length))];
  if (!bundle) return null;
  for (const mime of imageMimes) {
    const data = bundle[mime];
    if (typeof data === 'string') return `data:${mime};base64,${data.replace(/\s/g, '')}`;
  }
  return null;
};

/**
 * Renders the source of a markdown cell to sanitised HTML. Raw HTML in the
 * source is allowed, as in Jupyter, and goes through the sanitiser with the rest.
 */
export function renderMarkdown(source: string, ctx: MarkdownContext, sanitizer: Sanitizer): RenderedMarkdown {
  const state = { hasMath: false, ctx };
  const marked = new Marked({ gfm: true, breaks: false, async: false });
  marked.use({
    extensions: makeExtensions(state),
    renderer: {
      image({ href, title, text }) {
        const url = attachmentUrl(ctx, href);
        if (url === null) return escapeHtml(text);
        const t = title ? ` title="${escapeHtml(title)}"` : '';
        return `<img src="${escapeHtml(url)}" alt="${escapeHtml(text)}"${t}>`;
      },
    },
  });
  const html = marked.parse(source, { async: false }) as string;
  return { html: sanitizer.html(html), hasMath: state.hasMath };
}
