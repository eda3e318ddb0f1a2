import type { CopyRecord } from './records.js';

/**
 * Quotes one CSV field (RFC 4180) and defuses spreadsheet formulas: a value
 * starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`,
 * since names come from pupils.
 */
export const csvField = (value: string | null): string => {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * Returns the grades of an activity as CSV: a header `pupil,copy,state,
 * handed_in_at,grade`, then one line per pupil (two for a pair; one with an
 * empty pupil for a copy nobody joined), copies in creation order.
 */
export const gradesCsv = (copies: readonly CopyRecord[]): string => {
  const lines = ['pupil,copy,state,handed_in_at,grade'];
  for (const copy of copies) {
    const names = copy.members.length > 0 ? copy.members.map((m) => m.name) : [''];
    for (const name of names)
      lines.push([name, copy.id, copy.state, copy.handedInAt, copy.grade].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
};
