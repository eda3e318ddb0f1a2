import { css } from 'lit';

// One stylesheet for the notebook's shadow root (cells render into it too).
// Host pages restyle through the --candyce-* custom properties and ::part().
// Every text colour here meets WCAG AA (4.5:1) on its background.

/** The styles of `<candyce-notebook>`. */
export const notebookStyles = css`
  :host {
    display: block;
    font-family: var(--candyce-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif);
    font-size: 15px;
    line-height: 1.5;
    color: var(--_fg);
    background: var(--_bg);
    contain: content;
  }
  * {
    box-sizing: border-box;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
  }
  button,
  select {
    font: inherit;
    font-size: 14px;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 4px 10px;
    min-height: 32px;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: var(--_hover-bg);
  }
  button:disabled,
  select:disabled {
    color: var(--_disabled);
    cursor: not-allowed;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  button.primary:hover:not(:disabled) {
    background: var(--_accent-hover);
  }
  button.danger {
    color: var(--_danger);
  }
  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }

  /*
   * Header: title, status, people, actions. Sticky, and kept small: one line
   * of title, status and a people button, one line of toolbar (what does not
   * fit goes into "More"). A short viewport (high zoom, a phone held sideways)
   * gets it unstuck, so that it never hides the cells.
   */
  header {
    position: sticky;
    top: 0;
    z-index: 5;
    background: var(--_bg);
    border-bottom: 1px solid var(--_border);
    padding: 6px 12px;
    display: grid;
    gap: 6px;
  }
  @media (max-height: 500px) {
    header {
      position: static;
    }
  }
  header.compact {
    padding: 6px 8px;
  }
  .header-row {
    display: flex;
    align-items: center;
    gap: 6px 12px;
    min-width: 0;
  }
  .title {
    font-weight: 600;
    font-size: 16px;
    margin: 0;
    margin-right: auto;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .status-group {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 8px;
    align-items: center;
    min-width: 0;
  }
  /* The kernel selector: a pill like the status; the title gives way first, so that it reads whole. */
  .kernel {
    flex: 0 0 auto;
    min-width: 0;
    max-width: 50%;
  }
  .kernel select,
  button.kernel {
    max-width: 100%;
    font: inherit;
    font-size: 13px;
    padding: 2px 4px;
    border-radius: 999px;
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: inherit;
    text-overflow: ellipsis;
    overflow: hidden;
    white-space: nowrap;
  }
  button.kernel[aria-disabled='true'] {
    cursor: default;
  }
  /* A narrow header: what does not fit beside a readable title goes to a second line. */
  header.compact .header-row {
    flex-wrap: wrap;
  }
  header.compact .title {
    flex: 1 0 8em;
  }
  header.compact .kernel {
    max-width: 100%;
  }
  .status {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-size: 13px;
    padding: 2px 10px;
    border-radius: 999px;
    border: 1px solid var(--_border);
  }
  .status .dot {
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--_neutral);
  }
  .status-online .dot {
    background: var(--_success);
  }
  .status-syncing .dot,
  .status-connecting .dot {
    background: var(--_warning);
  }
  .status-offline {
    background: var(--_warning-bg);
    border-color: var(--_warning-border);
  }
  .status-offline .dot {
    background: var(--_warning);
  }
  .status-denied,
  .status-stale {
    background: var(--_error-bg);
    border-color: var(--_error-border);
  }
  .status-denied .dot,
  .status-stale .dot {
    background: var(--_danger);
  }
  .kernel-status,
  .kernel-host {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-size: 13px;
    padding: 2px 10px;
    border-radius: 999px;
    border: 1px solid var(--_border);
  }
  .kernel-status .dot,
  .kernel-host .dot {
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--_warning);
  }
  /* The room's kernel: green when ready, amber while busy or starting, red when lost or failed. */
  .kernel-host[data-state='idle'] .dot {
    background: var(--_success);
  }
  .kernel-host[data-state='lost'],
  .kernel-host[data-state='failed'] {
    background: var(--_error-bg);
    border-color: var(--_error-border);
  }
  .kernel-host[data-state='lost'] .dot,
  .kernel-host[data-state='failed'] .dot {
    background: var(--_danger);
  }
  .kernel-failed {
    background: var(--_error-bg);
    border-color: var(--_error-border);
  }
  .kernel-failed .dot {
    background: var(--_danger);
  }
  .badge {
    font-size: 13px;
    padding: 2px 10px;
    border-radius: 999px;
    background: var(--_info-bg);
    border: 1px solid var(--_info-border);
  }
  .toolbar {
    display: flex;
    flex-wrap: nowrap;
    gap: 6px;
    align-items: center;
    /* Measured by the header layout: what overflows moves into the menu. Room for focus rings. */
    overflow: clip;
    overflow-clip-margin: 6px;
    min-width: 0;
  }
  .toolbar > button {
    flex: none;
    white-space: nowrap;
  }
  header.compact .toolbar {
    gap: 4px;
  }
  header.compact .toolbar > button {
    padding: 4px 8px;
  }
  .presence {
    flex: none;
  }
  .people-toggle {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    border-radius: 999px;
    padding: 2px 10px 2px 4px;
    anchor-name: --candyce-people;
  }
  .people-toggle[aria-expanded='true'] {
    border-color: var(--_accent);
  }
  .people-toggle .avatars {
    display: inline-flex;
  }
  .people-toggle .avatar {
    width: 24px;
    height: 24px;
    font-size: 12px;
    border: 2px solid var(--_bg);
  }
  .people-toggle .avatar + .avatar {
    margin-left: -8px;
  }
  .people-toggle .count {
    font-weight: 600;
  }
  .toolbar .more {
    anchor-name: --candyce-more;
  }
  /* Popovers sit in the top layer: placed under their button where anchors exist, centred elsewhere. */
  [popover] {
    margin: 4px 0 0;
    padding: 8px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_bg);
    color: var(--_fg);
    box-shadow: 0 6px 24px var(--_shadow);
    max-height: min(60vh, 420px);
    max-width: min(92vw, 360px);
    overflow: auto;
    font-size: 14px;
  }
  @supports (position-anchor: --a) {
    [popover] {
      inset: auto;
      top: anchor(bottom);
      right: anchor(right);
      position-try-fallbacks: flip-inline, flip-block;
    }
    .people-popover {
      position-anchor: --candyce-people;
    }
    .menu-popover {
      position-anchor: --candyce-more;
    }
  }
  .menu-popover:popover-open {
    display: grid;
    gap: 4px;
    min-width: 12em;
  }
  .menu-popover button {
    text-align: start;
  }
  .people {
    display: grid;
    gap: 6px;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .person {
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 2px 4px 2px 2px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    font-size: 13px;
    line-height: 1.2;
  }
  .person.followed {
    border-color: var(--_accent);
    box-shadow: 0 0 0 1px var(--_accent);
  }
  .avatar {
    width: 26px;
    height: 26px;
    border-radius: 50%;
    color: var(--_on-person);
    display: grid;
    place-items: center;
    font-weight: 700;
    font-size: 13px;
  }
  .who {
    display: grid;
    padding-right: 4px;
  }
  .who .name {
    font-weight: 600;
  }
  .who .meta {
    color: var(--_muted);
    font-size: 12px;
  }
  .person button.follow {
    min-height: 26px;
    padding: 0 8px;
    font-size: 12px;
    border-radius: 999px;
  }
  .notice {
    padding: 8px 12px;
    border-radius: 6px;
    background: var(--_info-bg);
    border: 1px solid var(--_info-border);
    display: flex;
    gap: 8px;
    align-items: center;
    flex-wrap: wrap;
  }
  .notice.warning {
    background: var(--_warning-bg);
    border-color: var(--_warning-border);
  }
  .notice.error {
    background: var(--_error-bg);
    border-color: var(--_error-border);
    color: var(--_error-fg);
  }
  .notice.error span {
    flex: 1;
  }
  .stale-dialog h3 {
    margin: 0 0 4px;
    font-size: 1em;
    width: 100%;
  }

  /* Cells. */
  .cells {
    max-width: var(--candyce-max-width, 980px);
    margin: 0 auto;
    padding: 12px 12px 80px;
  }
  .empty {
    text-align: center;
    color: var(--_muted);
    padding: 40px 0;
    display: grid;
    gap: 12px;
    justify-items: center;
  }
  .empty:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
    border-radius: 8px;
  }
  .empty .hint {
    margin: 0;
  }
  candyce-cell,
  .empty {
    /* Scrolled into view below the sticky header, not under it (its height comes from the header layout). */
    scroll-margin-top: calc(var(--candyce-header-h, 0px) + 8px);
    scroll-margin-bottom: 8px;
  }
  candyce-cell {
    display: block;
    margin: 6px 0;
    border-radius: 8px;
    outline: none;
  }
  candyce-cell:focus-visible .cell {
    box-shadow: 0 0 0 3px var(--_accent);
  }
  .cell {
    position: relative;
    display: grid;
    grid-template-columns: 64px minmax(0, 1fr);
    border: 1px solid transparent;
    border-left: 4px solid transparent;
    border-radius: 8px;
    padding: 4px 8px 4px 0;
  }
  /* A phone: the prompt column narrower, so that text and code keep the width. */
  @media (max-width: 480px) {
    .cell {
      grid-template-columns: 44px minmax(0, 1fr);
      padding-right: 4px;
    }
    .cells {
      padding-left: 6px;
      padding-right: 6px;
    }
  }
  candyce-cell[active] .cell {
    border-color: var(--_border);
    border-left-color: var(--_accent);
    background: var(--_surface-raised);
  }
  candyce-cell[editing] .cell {
    border-color: var(--_accent);
  }
  .cell.has-people {
    box-shadow: 0 0 0 2px var(--person-color);
  }
  .gutter {
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: 4px;
    padding: 8px 8px 0 0;
    font-family: var(--candyce-code-font, ui-monospace, 'DejaVu Sans Mono', monospace);
    font-size: 13px;
    color: var(--_muted);
  }
  .prompt.queued {
    color: var(--_warning);
  }
  .waiting {
    font-size: 12px;
  }
  .input-prompt {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 8px;
    margin: 6px 0 2px 8px;
    font-family: var(--candyce-code-font, ui-monospace, 'DejaVu Sans Mono', monospace);
  }
  .input-prompt input {
    flex: 1;
    min-width: 12em;
    min-height: 30px;
    padding: 2px 8px;
    font: inherit;
    border: 1px solid var(--_accent);
    border-radius: 4px;
  }
  .input-prompt .hint {
    width: 100%;
    margin: 0;
    font-family: var(--candyce-font, system-ui, sans-serif);
    font-size: 12px;
    color: var(--_muted);
  }
  .prompt.running {
    color: var(--_warning);
    font-weight: 700;
  }
  .spinner {
    width: 14px;
    height: 14px;
    border: 2px solid var(--_warning-border);
    border-top-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
  .lock {
    color: var(--_warning);
    display: inline-flex;
  }
  .main {
    min-width: 0;
    display: grid;
    gap: 4px;
  }
  .source {
    background: var(--_code-bg);
    border: 1px solid var(--_border);
    border-radius: 6px;
    min-height: 36px;
  }
  .cell.markdown .source,
  .cell.raw .source {
    background: var(--_bg);
  }
  .cell.raw .source {
    border-style: dashed;
  }
  .cell.is-locked .source {
    background: var(--_locked-bg);
  }
  .source-preview {
    margin: 0;
    padding: 6px 8px;
    font-family: var(--candyce-code-font, ui-monospace, 'DejaVu Sans Mono', monospace);
    font-size: var(--candyce-code-font-size, 14px);
    line-height: 1.45;
    white-space: pre-wrap;
    word-break: break-word;
    cursor: text;
  }
  .people-here {
    position: absolute;
    top: -10px;
    right: 8px;
    display: flex;
    gap: 4px;
    z-index: 2;
  }
  .person-tag {
    color: var(--_on-person);
    font-size: 12px;
    padding: 0 8px;
    border-radius: 999px;
    line-height: 20px;
  }
  .cell-toolbar {
    grid-column: 2;
    display: flex;
    gap: 4px;
    flex-wrap: wrap;
    padding-top: 4px;
  }
  .cell-toolbar button,
  .cell-toolbar select {
    min-height: 28px;
    padding: 0 8px;
    font-size: 13px;
  }
  .cell-toolbar .run {
    color: var(--_on-accent);
    background: var(--_accent);
    border-color: var(--_accent);
  }
  .cell-toolbar .run:disabled {
    background: var(--_subtle-bg);
    color: var(--_muted);
    border-color: var(--_border);
  }
  .markdown {
    padding: 4px 8px;
    overflow-wrap: anywhere;
  }
  .markdown :first-child {
    margin-top: 0;
  }
  .markdown :last-child {
    margin-bottom: 0;
  }
  .markdown h1,
  .markdown h2,
  .markdown h3 {
    line-height: 1.25;
    margin: 0.6em 0 0.4em;
  }
  .markdown h1 {
    font-size: 1.7em;
  }
  .markdown h2 {
    font-size: 1.35em;
  }
  .markdown code {
    background: var(--_code-bg);
    padding: 0.1em 0.3em;
    border-radius: 4px;
    font-size: 0.9em;
  }
  .markdown pre {
    background: var(--_code-bg);
    padding: 8px;
    border-radius: 6px;
    overflow: auto;
  }
  .markdown img {
    max-width: 100%;
  }
  .markdown table,
  .output-html table {
    border-collapse: collapse;
  }
  .markdown th,
  .markdown td,
  .output-html th,
  .output-html td {
    border: 1px solid var(--_border);
    padding: 4px 8px;
  }
  .markdown a {
    color: var(--_accent);
  }
  .placeholder {
    color: var(--_muted);
    font-style: italic;
    margin: 0;
    padding: 4px 8px;
  }
  math[display='block'] {
    margin: 0.5em 0;
  }
  .math-pending {
    color: var(--_muted);
  }

  /* Outputs: contained, so that nothing in them can cover the notebook's own controls. */
  .outputs {
    display: grid;
    gap: 2px;
    contain: paint;
    overflow-x: auto;
  }
  .output {
    padding: 2px 8px;
  }
  .output-text {
    margin: 0;
    font-family: var(--candyce-code-font, ui-monospace, 'DejaVu Sans Mono', monospace);
    font-size: 13px;
    line-height: 1.4;
    white-space: pre-wrap;
    word-break: break-word;
  }
  .output-stream.stderr {
    background: var(--_error-output-bg);
  }
  .output-error {
    background: var(--_error-output-bg);
    border-left: 3px solid var(--_danger);
  }
  .output-image {
    max-width: 100%;
    height: auto;
  }
  .error-hint {
    margin: 6px 0 0;
    padding: 6px 10px;
    font-size: 14px;
    color: var(--_fg);
    background: var(--_warning-bg);
    border-left: 3px solid var(--_warning);
  }
  .output-frame {
    width: 100%;
    height: 360px;
    border: 1px solid var(--_border);
    resize: vertical;
  }
  .output-note {
    color: var(--_muted);
    font-size: 12px;
    margin: 0;
  }
  .ansi-bold {
    font-weight: 700;
  }
  .ansi-italic {
    font-style: italic;
  }
  .ansi-underline {
    text-decoration: underline;
  }
  .ansi-black-fg { color: var(--_ansi-black-fg); }
  .ansi-red-fg { color: var(--_ansi-red-fg); }
  .ansi-green-fg { color: var(--_ansi-green-fg); }
  .ansi-yellow-fg { color: var(--_ansi-yellow-fg); }
  .ansi-blue-fg { color: var(--_ansi-blue-fg); }
  .ansi-magenta-fg { color: var(--_ansi-magenta-fg); }
  .ansi-cyan-fg { color: var(--_ansi-cyan-fg); }
  .ansi-white-fg { color: var(--_ansi-white-fg); }
  .ansi-bright-black-fg { color: var(--_ansi-bright-black-fg); }
  .ansi-bright-red-fg { color: var(--_ansi-bright-red-fg); }
  .ansi-bright-green-fg { color: var(--_ansi-bright-green-fg); }
  .ansi-bright-yellow-fg { color: var(--_ansi-bright-yellow-fg); }
  .ansi-bright-blue-fg { color: var(--_ansi-bright-blue-fg); }
  .ansi-bright-magenta-fg { color: var(--_ansi-bright-magenta-fg); }
  .ansi-bright-cyan-fg { color: var(--_ansi-bright-cyan-fg); }
  .ansi-bright-white-fg { color: var(--_ansi-bright-white-fg); }
  .ansi-black-bg { background: var(--_ansi-black-bg); color: var(--_ansi-on-dark); }
  .ansi-red-bg { background: var(--_ansi-red-bg); }
  .ansi-green-bg { background: var(--_ansi-green-bg); }
  .ansi-yellow-bg { background: var(--_ansi-yellow-bg); }
  .ansi-blue-bg { background: var(--_ansi-blue-bg); }
  .ansi-magenta-bg { background: var(--_ansi-magenta-bg); }
  .ansi-cyan-bg { background: var(--_ansi-cyan-bg); }
  .ansi-white-bg { background: var(--_ansi-white-bg); }
  [class*='ansi-bright-'][class*='-bg'] { background: var(--_ansi-bright-bg); }

  /* A page's add-ons (grading results, trace marks): under the cell, in the page's own words. */
  .addon {
    margin: 6px 0 2px;
    overflow-wrap: anywhere;
  }

  /* A teacher's comments: a note under the cell's content, never mistaken for an output. */
  .comments ul {
    list-style: none;
    margin: 6px 0 2px;
    padding: 0;
    display: grid;
    gap: 6px;
  }
  .comment {
    border: 1px solid var(--_warning-border);
    border-left: 4px solid var(--_warning);
    background: var(--_warning-bg);
    border-radius: 6px;
    padding: 6px 10px;
  }
  .comment-text {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .comment-meta {
    margin: 4px 0 0;
    display: flex;
    gap: 8px;
    align-items: center;
    font-size: 12px;
    color: var(--_warning-fg);
  }
  .comment-author {
    font-weight: 600;
  }
  .comment-delete {
    margin-left: auto;
    min-height: 24px;
    font-size: 12px;
  }
  .comment-form {
    display: grid;
    gap: 6px;
    margin: 6px 0 2px;
    padding: 8px;
    border: 1px solid var(--_border);
    border-radius: 6px;
  }
  .comment-form label {
    display: grid;
    gap: 4px;
    font-size: 13px;
    font-weight: 600;
  }
  .comment-form textarea {
    font: inherit;
    font-weight: 400;
    padding: 6px;
    border: 1px solid var(--_neutral);
    border-radius: 6px;
    resize: vertical;
  }
  .comment-form textarea[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .comment-actions {
    display: flex;
    gap: 6px;
  }

  dialog {
    border: 1px solid var(--_border);
    border-radius: 8px;
    max-width: 560px;
    color: var(--_fg);
    background: var(--_bg);
  }
  dialog::backdrop {
    background: var(--_backdrop);
  }
  .files-panel {
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 8px 12px;
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .files-panel h3,
  .files-panel p {
    margin: 0;
  }
  .files-panel ul.files {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .files-panel li {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    padding: 2px 0;
  }
  .files-panel .file-name {
    overflow-wrap: anywhere;
    font-family: var(--candyce-code-font, monospace);
  }
  .files-panel .file-size {
    color: var(--_muted);
  }
  .files-panel .files-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  .files-panel label.upload span {
    display: inline-block;
    padding: 4px 10px;
    border: 1px solid var(--_border);
    border-radius: 6px;
    cursor: pointer;
  }
  .files-panel label.upload:focus-within span {
    outline: 2px solid var(--_focus-strong);
    outline-offset: 2px;
  }
  .files-panel .files-message.error {
    color: var(--_error-fg);
  }
`;
