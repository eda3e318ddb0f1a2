// How the SQL kernel shows a result set: an HTML table (every value escaped)
// and the same as aligned text, at most `maxRows` rows, with a line that
// says how many more there were, in the class's language.

/** One result set of sql.js's `exec`: column names and rows of values. */
export interface SqlResult {
  columns: string[];
  values: unknown[][];
}

/** The words of the SQL kernel, in one language. */
export interface SqlTexts {
  /** Says that `count` more rows were left out of a table that shows `shown`. */
  rowsNotShown(count: number, shown: number): string;
  /** Says that a statement changed `count` rows (no table to show). */
  rowsChanged(count: number): string;
  /** Says which attached database was opened and which scripts were run at the start of the session. */
  filesOpened(database: string | null, scripts: readonly string[]): string;
}

/** English texts of the SQL kernel. */
export const englishSqlTexts: SqlTexts = {
  rowsNotShown: (count, shown) =>
    `⋯ ${count.toLocaleString('en')} more ${count === 1 ? 'row' : 'rows'} not shown (a table shows ${shown.toLocaleString('en')}) ⋯`,
  rowsChanged: (count) => `${count.toLocaleString('en')} ${count === 1 ? 'row' : 'rows'} changed.`,
  filesOpened: (database, scripts) =>
    [database ? `Database ${database} opened.` : '', scripts.length ? `Ran ${scripts.join(', ')}.` : '']
      .filter(Boolean)
      .join(' '),
};

/** French texts of the SQL kernel (textes en français). */
export const frenchSqlTexts: SqlTexts = {
  rowsNotShown: (count, shown) =>
    `⋯ ${count.toLocaleString('fr')} ${count <= 1 ? 'ligne de plus non affichée' : 'lignes de plus non affichées'} (une table en affiche ${shown.toLocaleString('fr')}) ⋯`,
  rowsChanged: (count) =>
    `${count.toLocaleString('fr')} ${count <= 1 ? 'ligne modifiée' : 'lignes modifiées'}.`,
  filesOpened: (database, scripts) =>
    [
      database ? `Base de données ${database} ouverte.` : '',
      scripts.length
        ? `${scripts.length > 1 ? 'Scripts exécutés' : 'Script exécuté'} : ${scripts.join(', ')}.`
        : '',
    ]
      .filter(Boolean)
      .join(' '),
};

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// A value as SQLite's shell shows it: NULL for null, a blob by its size.
const cellText = (value: unknown): string => {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Uint8Array) return `<BLOB ${value.length} B>`;
  return String(value);
};

const widthOf = (text: string): number => [...text].length;
const clip = (text: string, width: number): string =>
  widthOf(text) <= width ? text : `${[...text].slice(0, width - 1).join('')}…`;

/** Returns the MIME bundle (`text/html`, `text/plain`) of a result set. */
export const formatSqlResult = (
  result: SqlResult,
  texts: SqlTexts,
  maxRows = 1000,
): { 'text/html': string; 'text/plain': string } => {
  const rows = result.values.slice(0, maxRows).map((row) => row.map(cellText));
  const hidden = result.values.length - rows.length;
  const head = result.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`).join('');
  const note = hidden > 0 ? `<p>${escapeHtml(texts.rowsNotShown(hidden, rows.length))}</p>` : '';
  const html = `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${note}`;
  // Columns as wide as their widest value, up to 40 characters.
  const widths = result.columns.map((c, i) =>
    Math.min(40, Math.max(widthOf(c), ...rows.map((r) => widthOf(r[i] ?? '')))),
  );
  const line = (cells: string[]) =>
    cells
      .map((v, i) => clip(v, widths[i]!).padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  const plain = [
    line(result.columns),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...rows.map(line),
    ...(hidden > 0 ? [texts.rowsNotShown(hidden, rows.length)] : []),
  ].join('\n');
  return { 'text/html': html, 'text/plain': plain };
};
