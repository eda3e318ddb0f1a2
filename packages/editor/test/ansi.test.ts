import { describe, expect, it } from 'vitest';
import { ansiToHtml, stripAnsi } from '../src/render/ansi.js';

describe('ansiToHtml', () => {
  it('escapes markup in plain text', () => {
    expect(ansiToHtml('<script>alert(1)</script> & "x"')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;',
    );
  });

  it('turns the 16 colours into classes and resets', () => {
    expect(ansiToHtml('\u001b[0;31mTypeError\u001b[0m: bad')).toBe(
      '<span class="ansi-red-fg">TypeError</span>: bad',
    );
    expect(ansiToHtml('\u001b[1;92mok\u001b[0m')).toBe(
      '<span class="ansi-bright-green-fg ansi-bold">ok</span>',
    );
    expect(ansiToHtml('\u001b[44mbg\u001b[49m plain')).toBe('<span class="ansi-blue-bg">bg</span> plain');
  });

  it('writes 256-colour and true-colour codes as inline colours, clamped', () => {
    expect(ansiToHtml('\u001b[38;5;196mred')).toBe('<span style="color:rgb(255,0,0)">red</span>');
    expect(ansiToHtml('\u001b[38;2;10;20;999mx')).toBe('<span style="color:rgb(10,20,255)">x</span>');
    expect(ansiToHtml('\u001b[48;5;240mg')).toBe('<span style="background-color:rgb(88,88,88)">g</span>');
  });

  it('keeps styles across text and closes open spans at the end', () => {
    expect(ansiToHtml('\u001b[31ma\u001b[1mb')).toBe(
      '<span class="ansi-red-fg">a</span><span class="ansi-red-fg ansi-bold">b</span>',
    );
  });

  it('drops cursor moves, titles and stray escapes, and escapes what a colour code wraps', () => {
    expect(ansiToHtml('a\u001b[2Kb\u001b]0;title\u0007c\u001bd')).toBe('abcd');
    expect(ansiToHtml('\u001b[31m<img src=x onerror=alert(1)>')).toBe(
      '<span class="ansi-red-fg">&lt;img src=x onerror=alert(1)&gt;</span>',
    );
  });
});

describe('stripAnsi', () => {
  it('returns the text without sequences', () => {
    expect(stripAnsi('\u001b[0;31mTypeError\u001b[0m: x')).toBe('TypeError: x');
  });
});
