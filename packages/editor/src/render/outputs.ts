import type { MimeBundle, Output } from '@candyce/model';
import { html, nothing, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { ref } from 'lit/directives/ref.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { Translate } from '../i18n/translate.js';
import { ansiToHtml, stripAnsi } from './ansi.js';
import { errorHint } from './error-hint.js';
import { renderMarkdown } from './markdown.js';
import { type MathRenderer, renderTex } from './math.js';
import { htmlNeedsScript, pickMime, truncate } from './mime.js';
import { sandboxDocument, sandboxFlags, showInFrame, sizeFrame } from './sandbox-frame.js';
import type { Sanitizer } from './sanitize.js';

/** What rendering outputs needs from the cell that shows them. */
export interface OutputContext {
  t: Translate;
  sanitizer: Sanitizer;
  /** KaTeX once loaded, else null (math shows as TeX until then). */
  math: MathRenderer | null;
  /** Called when an output holds math and KaTeX is not loaded yet. */
  needMath: () => void;
  /** The cell's position, for labels (1-based). */
  cellNumber: number;
  /** Where HTML outputs with script are shown (see `NotebookSession.outputFrameUrl`); null: `srcdoc`. */
  frameUrl?: string | null;
}

const textOf = (value: unknown): string =>
  typeof value === 'string' ? value : Array.isArray(value) ? value.join('') : String(value ?? '');

const truncatedText = (ctx: OutputContext, raw: string, ansi: boolean): TemplateResult => {
  const { text, hidden } = truncate(raw);
  return html`<pre class="output-text">${ansi ? unsafeHTML(ansiToHtml(text)) : text}</pre>${
    hidden > 0 ? html`<p class="output-note">${ctx.t('output.truncated', { n: hidden })}</p>` : nothing
  }`;
};

const base64 = /^[A-Za-z0-9+/=\s]*$/;

// An image's text: the output's own `text/plain` (what a plot says of itself) when it has one.
const altOf = (ctx: OutputContext, plain: unknown): string => {
  const text = plain === undefined ? '' : stripAnsi(textOf(plain)).trim().slice(0, 300);
  return text
    ? ctx.t('output.imageDescribed', { n: ctx.cellNumber, text })
    : ctx.t('output.image', { n: ctx.cellNumber });
};

const image = (
  ctx: OutputContext,
  mime: string,
  data: string,
  bundleMeta: unknown,
  plain: unknown,
): TemplateResult => {
  if (!base64.test(data)) return html``;
  const meta = (bundleMeta ?? {}) as { width?: number; height?: number };
  return html`<img
    class="output-image"
    src=${`data:${mime};base64,${data.replace(/\s/g, '')}`}
    alt=${altOf(ctx, plain)}
    width=${typeof meta.width === 'number' ? meta.width : nothing}
    height=${typeof meta.height === 'number' ? meta.height : nothing}
  />`;
};

const latex = (ctx: OutputContext, source: string): TemplateResult => {
  if (!ctx.math) {
    ctx.needMath();
    return html`<pre class="output-text math-pending">${source}</pre>`;
  }
  const display = /^\s*\$\$/.test(source);
  const tex = source.trim().replace(/^\$\$?|\$\$?$/g, '');
  return html`<div class="output-latex">${unsafeHTML(ctx.sanitizer.html(renderTex(ctx.math, tex, display)))}</div>`;
};

/** Returns the template of one rich output (display data or execute result). */
const bundle = (ctx: OutputContext, data: MimeBundle, metadata: Record<string, unknown>): TemplateResult => {
  const mime = pickMime(data);
  const value = mime ? data[mime] : undefined;
  switch (mime) {
    case 'text/html': {
      const source = textOf(value);
      if (htmlNeedsScript(source)) {
        // A frame of its own page keeps its own policy (scripts allowed, no network), while the
        // notebook page's policy forbids inline scripts; a new frame for new content.
        if (ctx.frameUrl)
          return html`${keyed(
            source,
            html`<iframe
              class="output-frame"
              title=${ctx.t('cell.outputs', { n: ctx.cellNumber })}
              sandbox=${sandboxFlags}
              referrerpolicy="no-referrer"
              src=${ctx.frameUrl}
              @load=${(event: Event) => showInFrame(event.target as HTMLIFrameElement, source)}
              ${ref(sizeFrame)}
            ></iframe>`,
          )}`;
        return html`<iframe
          class="output-frame"
          title=${ctx.t('cell.outputs', { n: ctx.cellNumber })}
          sandbox=${sandboxFlags}
          referrerpolicy="no-referrer"
          srcdoc=${sandboxDocument(source)}
          ${ref(sizeFrame)}
        ></iframe>`;
      }
      return html`<div class="output-html">${unsafeHTML(ctx.sanitizer.html(source))}</div>`;
    }
    case 'image/svg+xml': {
      // An SVG shown as an image never runs script nor loads anything, whatever it holds.
      const clean = ctx.sanitizer.svg(textOf(value));
      return html`<img
        class="output-image"
        src=${`data:image/svg+xml;charset=utf-8,${encodeURIComponent(clean)}`}
        alt=${altOf(ctx, data['text/plain'])}
      />`;
    }
    case 'image/png':
    case 'image/jpeg':
    case 'image/gif':
    case 'image/webp':
      return image(ctx, mime, textOf(value), metadata[mime], data['text/plain']);
    case 'text/markdown': {
      const out = renderMarkdown(textOf(value), { math: ctx.math }, ctx.sanitizer);
      if (out.hasMath && !ctx.math) ctx.needMath();
      return html`<div class="output-markdown markdown">${unsafeHTML(out.html)}</div>`;
    }
    case 'text/latex':
      return latex(ctx, textOf(value));
    case 'application/json':
      return html`<pre class="output-text output-json">${JSON.stringify(value, null, 2)}</pre>`;
    case 'text/plain':
      return truncatedText(ctx, textOf(value), true);
    default:
      return html``;
  }
};

/** Returns the template of one output of a code cell. */
export function renderOutput(ctx: OutputContext, output: Output): TemplateResult {
  switch (output.output_type) {
    case 'stream':
      return html`<div class="output output-stream ${output.name === 'stderr' ? 'stderr' : ''}" part="output">
        ${truncatedText(ctx, output.text, true)}
      </div>`;
    case 'error': {
      const hint = errorHint(ctx.t, output.ename);
      return html`<div class="output output-error" part="output output-error">
        ${truncatedText(ctx, output.traceback.length ? output.traceback.join('\n') : `${output.ename}: ${output.evalue}`, true)}
        ${hint ? html`<p class="error-hint" part="error-hint"><strong>${ctx.t('error.hint.label')}</strong> ${hint}</p>` : nothing}
      </div>`;
    }
    default:
      return html`<div class="output output-${output.output_type}" part="output">
        ${bundle(ctx, output.data, output.metadata as Record<string, unknown>)}
      </div>`;
  }
}
