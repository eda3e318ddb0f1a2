import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/render/markdown.js';
import { loadMath, type MathRenderer } from '../src/render/math.js';
import { htmlNeedsScript } from '../src/render/mime.js';
import { sandboxDocument } from '../src/render/sandbox-frame.js';
import { createSanitizer, type Sanitizer } from '../src/render/sanitize.js';

let sanitizer: Sanitizer;
let math: MathRenderer;
let parse: (html: string) => DocumentFragment;

beforeAll(async () => {
  const { window } = new JSDOM('');
  sanitizer = createSanitizer(window as never);
  math = await loadMath();
  parse = (html) => window.document.createRange().createContextualFragment(html);
});

/** Returns what could run in `html`: script elements, event handlers, javascript: URLs. */
const activeContent = (html: string): string[] => {
  const found: string[] = [];
  for (const el of parse(html).querySelectorAll('*')) {
    if (
      ['script', 'iframe', 'object', 'embed', 'form', 'style', 'base', 'meta', 'link'].includes(el.localName)
    )
      found.push(el.localName);
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(`${el.localName}[${attr.name}]`);
      if (/^\s*(javascript|vbscript|data:text\/html)/i.test(attr.value))
        found.push(`${el.localName}[${attr.name}]`);
    }
  }
  return found;
};

const hostileHtml = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href=" JaVaScRiPt:alert(1)">x</a>',
  '<svg><script>alert(1)</script></svg>',
  '<svg onload=alert(1)><circle r=1 /></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<svg><animate attributeName="href" to="javascript:alert(1)" /></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<style>*{display:none}</style>',
  '<base href="javascript:alert(1)//">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<details open ontoggle=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<div id="__proto__" name="cookie">clobber</div>',
];

describe('the sanitiser', () => {
  it.each(hostileHtml)('removes every active content from %s', (dirty) => {
    expect(activeContent(sanitizer.html(dirty))).toEqual([]);
  });

  it('keeps the HTML of tables, images and links, and opens links elsewhere', () => {
    const clean = sanitizer.html(
      '<table><tr><td style="color:red">1</td></tr></table><img src="data:image/png;base64,AA==" alt="a"><a href="https://example.org">x</a>',
    );
    expect(clean).toContain('<td style="color:red">1</td>');
    expect(clean).toContain('<img src="data:image/png;base64,AA==" alt="a">');
    expect(clean).toContain('target="_blank"');
    expect(clean).toContain('rel="noopener noreferrer nofollow"');
  });

  it('prefixes ids and names so that nothing clobbers the page', () => {
    expect(sanitizer.html('<div id="cookie">x</div>')).toContain('id="user-content-cookie"');
  });

  it('keeps a drawing from an SVG and drops its scripts and handlers', () => {
    const clean = sanitizer.svg(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script><circle r="5"/></svg>',
    );
    expect(clean).toContain('<circle r="5"');
    expect(activeContent(clean)).toEqual([]);
  });
});

describe('markdown', () => {
  it('renders GitHub-flavoured markdown', () => {
    const { html } = renderMarkdown(
      '# Titre\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n`code`',
      { math: null },
      sanitizer,
    );
    expect(html).toContain('<h1>Titre</h1>');
    expect(html).toContain('<td>1</td>');
    expect(html).toContain('<code>code</code>');
  });

  it('keeps math away from the markdown parser and renders it as MathML', () => {
    const source = 'Soit $a_1 * b_2$ et\n\n$$\\sum_{i=1}^n i = \\frac{n(n+1)}{2}$$';
    const pending = renderMarkdown(source, { math: null }, sanitizer);
    expect(pending.hasMath).toBe(true);
    expect(pending.html).toContain('$a_1 * b_2$');
    const rendered = renderMarkdown(source, { math }, sanitizer);
    expect(rendered.html).toContain('<math');
    expect(rendered.html).toContain('display="block"');
    expect(rendered.html).not.toContain('<em>');
  });

  it('leaves prices alone', () => {
    expect(renderMarkdown('Il coûte 5 $ et 6 $.', { math: null }, sanitizer).hasMath).toBe(false);
  });

  it.each([
    '<script>alert(1)</script>',
    '[x](javascript:alert(1))',
    '![x](javascript:alert(1))',
    '<img src=x onerror=alert(1)>',
    '$\\href{javascript:alert(1)}{x}$',
    '$$\\htmlData{onclick=alert(1)}{x}$$',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
  ])('runs nothing from %s', (source) => {
    expect(activeContent(renderMarkdown(source, { math }, sanitizer).html)).toEqual([]);
  });

  it('shows attachments as data URLs and drops unknown ones', () => {
    const ctx = { math: null, attachments: { 'a.png': { 'image/png': 'iVBORw0KGgo=' } } };
    expect(renderMarkdown('![plot](attachment:a.png)', ctx, sanitizer).html).toContain(
      'src="data:image/png;base64,iVBORw0KGgo="',
    );
    expect(renderMarkdown('![plot](attachment:b.png)', ctx, sanitizer).html).not.toContain('<img');
  });
});

describe('HTML outputs that need script', () => {
  it('are detected, and their frame forbids network and reaching the page', () => {
    expect(htmlNeedsScript('<div></div><script>x()</script>')).toBe(true);
    expect(htmlNeedsScript('<table></table>')).toBe(false);
    const doc = sandboxDocument('<script>x()</script>');
    expect(doc.indexOf('Content-Security-Policy')).toBeLessThan(doc.indexOf('<script>'));
    expect(doc).toContain('default-src &#39;none&#39;');
  });
});
