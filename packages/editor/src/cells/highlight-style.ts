import { HighlightStyle } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

// The colours are design tokens (styles/tokens.ts, `--_code-*`), so code
// follows the light, dark and high-contrast themes; each keeps 4.5:1 on the
// code background (WCAG AA).

/** The syntax colours of cell editors. */
export const notebookHighlightStyle = HighlightStyle.define([
  {
    tag: [t.keyword, t.controlKeyword, t.operatorKeyword, t.definitionKeyword, t.moduleKeyword],
    color: 'var(--_code-keyword)',
  },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--_code-string)' },
  { tag: [t.comment, t.meta], color: 'var(--_code-comment)', fontStyle: 'italic' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--_code-number)' },
  {
    tag: [t.function(t.variableName), t.function(t.definition(t.variableName))],
    color: 'var(--_code-function)',
  },
  {
    tag: [t.definition(t.variableName), t.className, t.definition(t.className)],
    color: 'var(--_code-definition)',
  },
  { tag: [t.standard(t.variableName), t.self], color: 'var(--_code-definition)' },
  { tag: t.propertyName, color: 'var(--_code-number)' },
  { tag: t.invalid, color: 'var(--_code-invalid)' },
  { tag: t.heading, color: 'var(--_code-number)', fontWeight: '700' },
  { tag: t.emphasis, fontStyle: 'italic' },
  { tag: t.strong, fontWeight: '700' },
  { tag: [t.link, t.url], color: 'var(--_code-string)', textDecoration: 'underline' },
  { tag: t.monospace, color: 'var(--_code-string)' },
]);
