import { escapeHtml } from './escape.js';

// Tracebacks and coloured prints carry ANSI SGR sequences. They become spans
// with classes for the 16 named colours (so that the theme keeps contrast in
// check) and inline colours for 256-colour and true-colour codes. Every other
// escape sequence (cursor moves, titles) is dropped.

const names = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

interface Style {
  fg: string | null;
  bg: string | null;
  bold: boolean;
  italic: boolean;
  underline: boolean;
}

const plain = (): Style => ({ fg: null, bg: null, bold: false, italic: false, underline: false });

const cube = [0, 95, 135, 175, 215, 255];

/** Returns the CSS colour of entry `n` of the xterm 256-colour palette, or a class name for the first 16. */
const color256 = (n: number): string => {
  if (n < 8) return `ansi-${names[n]}`;
  if (n < 16) return `ansi-bright-${names[n - 8]}`;
  if (n < 232) {
    const i = n - 16;
    return `rgb(${cube[Math.floor(i / 36)]},${cube[Math.floor(i / 6) % 6]},${cube[i % 6]})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g},${g},${g})`;
};

const clampByte = (v: number | undefined): number => Math.max(0, Math.min(255, Math.trunc(v ?? 0)));

/** Applies one SGR parameter list to `style`. */
const applySgr = (style: Style, params: number[]): void => {
  if (params.length === 0) params = [0];
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p === 0) Object.assign(style, plain());
    else if (p === 1) style.bold = true;
    else if (p === 3) style.italic = true;
    else if (p === 4) style.underline = true;
    else if (p === 22) style.bold = false;
    else if (p === 23) style.italic = false;
    else if (p === 24) style.underline = false;
    else if (p >= 30 && p <= 37) style.fg = `ansi-${names[p - 30]}`;
    else if (p >= 90 && p <= 97) style.fg = `ansi-bright-${names[p - 90]}`;
    else if (p >= 40 && p <= 47) style.bg = `ansi-${names[p - 40]}`;
    else if (p >= 100 && p <= 107) style.bg = `ansi-bright-${names[p - 100]}`;
    else if (p === 39) style.fg = null;
    else if (p === 49) style.bg = null;
    else if (p === 38 || p === 48) {
      let value: string | null = null;
      if (params[i + 1] === 5) {
        value = color256(clampByte(params[i + 2]));
        i += 2;
      } else if (params[i + 1] === 2) {
        value = `rgb(${clampByte(params[i + 2])},${clampByte(params[i + 3])},${clampByte(params[i + 4])})`;
        i += 4;
      }
      if (p === 38) style.fg = value;
      else style.bg = value;
    }
  }
};

const openSpan = (style: Style): string => {
  const classes: string[] = [];
  const css: string[] = [];
  if (style.fg) {
    if (style.fg.startsWith('ansi-')) classes.push(`${style.fg}-fg`);
    else css.push(`color:${style.fg}`);
  }
  if (style.bg) {
    if (style.bg.startsWith('ansi-')) classes.push(`${style.bg}-bg`);
    else css.push(`background-color:${style.bg}`);
  }
  if (style.bold) classes.push('ansi-bold');
  if (style.italic) classes.push('ansi-italic');
  if (style.underline) classes.push('ansi-underline');
  if (classes.length === 0 && css.length === 0) return '';
  const cls = classes.length ? ` class="${classes.join(' ')}"` : '';
  const st = css.length ? ` style="${css.join(';')}"` : '';
  return `<span${cls}${st}>`;
};

// CSI sequences (ESC [ params final), OSC sequences (ESC ] ... BEL or ESC \), and lone escapes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI sequences are control characters.
const sequence = /\u001b\[([0-9;?]*)([@-~])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?/g;

/**
 * Returns HTML for text that may hold ANSI escape sequences: the text is
 * escaped, SGR colours and styles become spans, other sequences are removed.
 */
export function ansiToHtml(text: string): string {
  const style = plain();
  let out = '';
  let open = false;
  let last = 0;
  const emit = (chunk: string) => {
    if (chunk === '') return;
    if (!open) {
      const span = openSpan(style);
      if (span) {
        out += span;
        open = true;
      }
    }
    out += escapeHtml(chunk);
  };
  for (const match of text.matchAll(sequence)) {
    emit(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2] !== 'm') continue;
    if (open) {
      out += '</span>';
      open = false;
    }
    const params = (match[1] ?? '')
      .split(';')
      .filter((p) => p !== '' && p !== '?')
      .map(Number)
      .filter(Number.isFinite);
    applySgr(style, params);
  }
  emit(text.slice(last));
  if (open) out += '</span>';
  return out;
}

/** Returns `text` without any ANSI escape sequence (for announcements and plain copies). */
export const stripAnsi = (text: string): string => text.replace(sequence, '');
