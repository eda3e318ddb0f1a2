import { HighlightStyle } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

// Every colour keeps a contrast of at least 4.5:1 on the code background
// (#f6f8fa) and on white, so highlighted code stays readable (WCAG AA).

/** The syntax colours of cell editors. */
export const notebookHighlightStyle = HighlightStyle.define([
  {
    tag: [t.keyword, t.controlKeyword, t.operatorKeyword, t.definitionKeyword, t.moduleKeyword],
    color: '#a0111f',
  },
  { tag: [t.string, t.special(t.string), t.regexp], color: '#0a3069' },
  { tag: [t.comment, t.meta], color: '#57606a', fontStyle: 'italic' },
  { tag: [t.number, t.bool, t.null, t.atom], color: '#0550ae' },
  { tag: [t.function(t.variableName), t.function(t.definition(t.variableName))], color: '#6639ba' },
  { tag: [t.definition(t.variableName), t.className, t.definition(t.className)], color: '#953800' },
  { tag: [t.standard(t.variableName), t.self], color: '#953800' },
  { tag: t.propertyName, color: '#0550ae' },
  { tag: t.invalid, color: '#a40e26' },
  { tag: t.heading, color: '#0550ae', fontWeight: '700' },
  { tag: t.emphasis, fontStyle: 'italic' },
  { tag: t.strong, fontWeight: '700' },
  { tag: [t.link, t.url], color: '#0a3069', textDecoration: 'underline' },
  { tag: t.monospace, color: '#0a3069' },
]);
