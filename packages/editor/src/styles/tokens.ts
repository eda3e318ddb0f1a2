import { css } from 'lit';

// The design tokens: the only place with raw colours (a test checks it).
// Every view's styles read these private `--_*` properties; host pages
// override the public `--candyce-*` ones. Light is the default; dark follows
// `prefers-color-scheme: dark` unless the host says `theme="light"`, or is
// forced by `theme="dark"`; `prefers-contrast: more` strengthens both.
// Under `forced-colors: active` the browser replaces all of them.

const light = css`
  --_accent: var(--candyce-accent, #0b5cad);
  --_accent-hover: #094a8c;
  --_on-accent: #ffffff;
  --_on-person: #ffffff;
  --_bg: var(--candyce-bg, #ffffff);
  --_fg: var(--candyce-fg, #1f2328);
  --_muted: var(--candyce-muted, #57606a);
  --_border: var(--candyce-border, #d0d7de);
  --_code-bg: var(--candyce-code-bg, #f6f8fa);
  --_danger: var(--candyce-danger, #b42318);
  --_hover-bg: #eef2f6;
  --_subtle-bg: #eaeef2;
  --_surface-raised: #fbfcfd;
  --_locked-bg: #f3f0e8;
  --_disabled: #6e7781;
  --_neutral: #8c959f;
  --_success: #1a7f37;
  --_warning: #9a6700;
  --_warning-fg: #6c4b00;
  --_warning-bg: #fff8c5;
  --_warning-border: #d4a72c;
  --_error-fg: #82071e;
  --_error-bg: #ffebe9;
  --_error-border: #ff8182;
  --_error-output-bg: #fff1f0;
  --_info-bg: #ddf4ff;
  --_info-border: #54aeff;
  --_focus-strong: #0969da;
  --_shadow: rgb(0 0 0 / 18%);
  --_backdrop: rgb(0 0 0 / 30%);
  --_ansi-on-dark: #ffffff;
  --_ansi-black-fg: #1f2328;
  --_ansi-red-fg: #b42318;
  --_ansi-green-fg: #116329;
  --_ansi-yellow-fg: #7d4e00;
  --_ansi-blue-fg: #0550ae;
  --_ansi-magenta-fg: #8250df;
  --_ansi-cyan-fg: #1b7c83;
  --_ansi-white-fg: #57606a;
  --_ansi-bright-black-fg: #57606a;
  --_ansi-bright-red-fg: #a40e26;
  --_ansi-bright-green-fg: #1a7f37;
  --_ansi-bright-yellow-fg: #7d4e00;
  --_ansi-bright-blue-fg: #0969da;
  --_ansi-bright-magenta-fg: #8250df;
  --_ansi-bright-cyan-fg: #1b7c83;
  --_ansi-bright-white-fg: #57606a;
  --_ansi-black-bg: #1f2328;
  --_ansi-red-bg: #ffebe9;
  --_ansi-green-bg: #dafbe1;
  --_ansi-yellow-bg: #fff8c5;
  --_ansi-blue-bg: #ddf4ff;
  --_ansi-magenta-bg: #fbefff;
  --_ansi-cyan-bg: #dcf7f9;
  --_ansi-white-bg: #f6f8fa;
  --_ansi-bright-bg: #eaeef2;
  --_code-keyword: #a0111f;
  --_code-string: #0a3069;
  --_code-comment: #57606a;
  --_code-number: #0550ae;
  --_code-function: #6639ba;
  --_code-definition: #953800;
  --_code-invalid: #a40e26;
  color-scheme: light;
`;

// Dark: every text colour keeps 4.5:1 on --_bg and on the tinted surfaces.
const dark = css`
  --_accent: var(--candyce-accent, #4493f8);
  --_accent-hover: #79b8ff;
  --_on-accent: #0d1117;
  --_bg: var(--candyce-bg, #0d1117);
  --_fg: var(--candyce-fg, #e6edf3);
  --_muted: var(--candyce-muted, #9ea7b3);
  --_border: var(--candyce-border, #3d444d);
  --_code-bg: var(--candyce-code-bg, #161b22);
  --_danger: var(--candyce-danger, #ff7b72);
  --_hover-bg: #1f242c;
  --_subtle-bg: #21262d;
  --_surface-raised: #11161d;
  --_locked-bg: #1e1c17;
  --_disabled: #8b949e;
  --_neutral: #6e7681;
  --_success: #3fb950;
  --_warning: #d29922;
  --_warning-fg: #e3b341;
  --_warning-bg: #2b2111;
  --_warning-border: #9e6a03;
  --_error-fg: #ffa198;
  --_error-bg: #2d1316;
  --_error-border: #da3633;
  --_error-output-bg: #25161a;
  --_info-bg: #0f1d30;
  --_info-border: #1f6feb;
  --_focus-strong: #79b8ff;
  --_shadow: rgb(0 0 0 / 55%);
  --_backdrop: rgb(0 0 0 / 60%);
  --_ansi-on-dark: #e6edf3;
  --_ansi-black-fg: #b1bac4;
  --_ansi-red-fg: #ff7b72;
  --_ansi-green-fg: #3fb950;
  --_ansi-yellow-fg: #d29922;
  --_ansi-blue-fg: #58a6ff;
  --_ansi-magenta-fg: #bc8cff;
  --_ansi-cyan-fg: #39c5cf;
  --_ansi-white-fg: #e6edf3;
  --_ansi-bright-black-fg: #9ea7b3;
  --_ansi-bright-red-fg: #ffa198;
  --_ansi-bright-green-fg: #56d364;
  --_ansi-bright-yellow-fg: #e3b341;
  --_ansi-bright-blue-fg: #79c0ff;
  --_ansi-bright-magenta-fg: #d2a8ff;
  --_ansi-bright-cyan-fg: #56d4dd;
  --_ansi-bright-white-fg: #ffffff;
  --_ansi-black-bg: #30363d;
  --_ansi-red-bg: #3c1618;
  --_ansi-green-bg: #12261e;
  --_ansi-yellow-bg: #2b2111;
  --_ansi-blue-bg: #0f1d30;
  --_ansi-magenta-bg: #271a3a;
  --_ansi-cyan-bg: #0f2a2c;
  --_ansi-white-bg: #21262d;
  --_ansi-bright-bg: #21262d;
  --_code-keyword: #ff7b72;
  --_code-string: #a5d6ff;
  --_code-comment: #9ea7b3;
  --_code-number: #79c0ff;
  --_code-function: #d2a8ff;
  --_code-definition: #ffa657;
  --_code-invalid: #ffa198;
  color-scheme: dark;
`;

// High contrast: text and borders at full strength, no greys.
const moreContrastLight = css`
  --_muted: var(--candyce-muted, #1f2328);
  --_border: var(--candyce-border, #1f2328);
  --_disabled: #3d444d;
  --_accent: var(--candyce-accent, #0a3f7a);
`;
const moreContrastDark = css`
  --_fg: var(--candyce-fg, #ffffff);
  --_muted: var(--candyce-muted, #e6edf3);
  --_border: var(--candyce-border, #c9d1d9);
  --_disabled: #c9d1d9;
  --_accent: var(--candyce-accent, #79b8ff);
`;

/** The design tokens of `<candyce-notebook>`: light, dark and high-contrast values of every colour the views use. */
export const themeTokens = css`
  :host {
    ${light}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-contrast: more) {
    :host {
      ${moreContrastLight}
    }
  }
  @media (prefers-contrast: more) and (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${moreContrastDark}
    }
  }
  @media (prefers-contrast: more) {
    :host([theme='dark']) {
      ${moreContrastDark}
    }
  }
`;
