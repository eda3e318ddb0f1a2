// The SQL kernel of the browser (sql.js's own worker, here in a worker
// thread): tables as HTML (escaped) and text, errors as Jupyter errors, one
// database kept for the session, interrupts, and the table formatting.
import { readOutputs } from '@candyce/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  executeCell,
  formatSqlResult,
  frenchSqlTexts,
  type KernelSession,
  sqlGateway,
} from '../src/index.js';
import { nodeSqlGateway } from '../src/node.js';
import { notebook, runCode } from './helpers/notebook.js';

let session: KernelSession;
beforeAll(async () => {
  session = await nodeSqlGateway({ maxRows: 50 }).startKernel('sql');
}, 30_000);
afterAll(async () => {
  await session?.shutdown();
});

describe('the SQL kernel', () => {
  it('says it is SQLite', () => {
    expect(session.info?.language).toBe('sql');
    expect(session.info?.languageVersion).toMatch(/^3\.\d+/);
  });

  it('keeps the database from one cell to the next, and shows results as tables', async () => {
    const create = await runCode(
      session,
      "CREATE TABLE eleves (nom TEXT, note REAL);\nINSERT INTO eleves VALUES ('Léa', 15.5), ('Tom', 12), ('<b>x</b>', NULL);",
    );
    expect(create.result.status).toBe('ok');
    expect(create.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: '3 rows changed.\n' }]);
    const { result, outputs } = await runCode(session, 'SELECT nom, note FROM eleves ORDER BY nom;');
    expect(result.status).toBe('ok');
    expect(outputs).toHaveLength(1);
    const output = outputs[0]!;
    expect(output.output_type).toBe('execute_result');
    const data = output.output_type === 'execute_result' ? output.data : {};
    expect(data['text/html']).toBe(
      '<table><thead><tr><th>nom</th><th>note</th></tr></thead><tbody>' +
        '<tr><td>&#60;b&#62;x&#60;/b&#62;</td><td>NULL</td></tr>' +
        '<tr><td>Léa</td><td>15.5</td></tr><tr><td>Tom</td><td>12</td></tr></tbody></table>',
    );
    expect(String(data['text/plain']).split('\n')).toEqual([
      'nom      | note',
      '---------+-----',
      '<b>x</b> | NULL',
      'Léa      | 15.5',
      'Tom      | 12',
    ]);
  });

  it('shows each result set of a cell, the last as its result', async () => {
    const { outputs } = await runCode(session, 'SELECT 1 AS a; SELECT count(*) AS n FROM eleves;');
    expect(outputs.map((o) => o.output_type)).toEqual(['display_data', 'execute_result']);
  });

  it('reports a syntax error as an error output, and goes on', async () => {
    const { result, outputs } = await runCode(session, 'SELEC nom FROM eleves');
    expect(result.status).toBe('error');
    expect(outputs).toEqual([
      {
        output_type: 'error',
        ename: 'SQLError',
        evalue: expect.stringMatching(/syntax error/),
        traceback: [expect.stringMatching(/^SQLError: .*syntax error/)],
      },
    ]);
    expect((await runCode(session, 'SELECT count(*) FROM eleves')).result.status).toBe('ok');
  });

  it('shows at most maxRows rows of a big result, and says how many are left out', async () => {
    const { outputs } = await runCode(
      session,
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) SELECT i FROM n',
    );
    const data = outputs[0]!.output_type === 'execute_result' ? outputs[0]!.data : {};
    expect(String(data['text/html']).match(/<tr>/g)).toHaveLength(51);
    expect(String(data['text/plain'])).toMatch(/⋯ 9,950 more rows not shown \(a table shows 50\) ⋯$/);
  });

  it('stops a query that does not end, says the database was lost, and runs the next cell', async () => {
    const doc = notebook(
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n',
      'SELECT count(*) FROM sqlite_master',
    );
    const running = executeCell(doc, 'c1', session, { flushInterval: 5 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await session.interrupt();
    expect((await running).status).toBe('error');
    expect(JSON.stringify(readOutputs(doc, 'c1'))).toMatch(/restarted/);
    await executeCell(doc, 'c2', session, { flushInterval: 5 });
    const after = readOutputs(doc, 'c2')[0]!;
    expect(after.output_type === 'execute_result' ? after.data['text/plain'] : '').toMatch(/\n0$/);
  }, 30_000);

  it('refuses to start a Python kernel', async () => {
    await expect(sqlGateway({ worker: () => ({}) as never }).startKernel('python3')).rejects.toThrow(
      /cannot run the kernel python3/,
    );
  });

  it('formats in French', () => {
    const { 'text/plain': text } = formatSqlResult(
      { columns: ['x'], values: [[1], [2], [3]] },
      frenchSqlTexts,
      1,
    );
    expect(text).toMatch(/⋯ 2 lignes de plus non affichées \(une table en affiche 1\) ⋯$/);
  });
});
