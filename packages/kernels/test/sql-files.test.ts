// The SQL kernel opens a database file attached to the notebook at start,
// then runs the attached .sql scripts in name order, and says so in the cell
// (issue 18: NSI classes teach with .db and .sql files).
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { frenchSqlTexts, type KernelSession, type WorkingFile } from '../src/index.js';
import { nodeSqlGateway } from '../src/node.js';
import { runCode } from './helpers/notebook.js';

const file = (name: string, bytes: Uint8Array | string): WorkingFile => {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return { name, bytes: data, sha256: createHash('sha256').update(data).digest('hex') };
};

const database = async (): Promise<Uint8Array> => {
  // sql.js ships no types; the kernel's own worker is the same library.
  const { default: initSqlJs } = (await import('sql.js' as string)) as {
    default: () => Promise<{
      Database: new () => { run(sql: string): void; export(): Uint8Array; close(): void };
    }>;
  };
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(
    "CREATE TABLE villes (nom TEXT, habitants INTEGER); INSERT INTO villes VALUES ('Lyon', 522250), ('Brest', 139342);",
  );
  const bytes = db.export();
  db.close();
  return bytes;
};

let session: KernelSession | undefined;
afterEach(async () => {
  await session?.shutdown();
  session = undefined;
});

describe('files attached to a SQL notebook', () => {
  it('opens the .db and runs the .sql files in name order at start, and says which', async () => {
    session = await nodeSqlGateway({ texts: frenchSqlTexts }).startKernel('sql');
    await session.syncFiles!([
      file('2-more.sql', "INSERT INTO villes VALUES ('Rennes', 225081);"),
      file('villes.db', await database()),
      file('1-index.sql', 'CREATE INDEX par_nom ON villes(nom);'),
    ]);
    const first = await runCode(session, 'SELECT count(*) AS n FROM villes;');
    expect(first.result.status).toBe('ok');
    expect(first.outputs[0]).toEqual({
      output_type: 'stream',
      name: 'stdout',
      text: 'Base de données villes.db ouverte. Scripts exécutés : 1-index.sql, 2-more.sql.\n',
    });
    expect(JSON.stringify(first.outputs[1])).toContain('3');
    // Once only: the next cell works on the same database, without the message.
    const second = await runCode(session, "SELECT name FROM sqlite_master WHERE type = 'index';");
    expect(second.outputs).toHaveLength(1);
    expect(JSON.stringify(second.outputs[0])).toContain('par_nom');
  }, 30_000);

  it('reports a broken script as a SQL error naming the file', async () => {
    session = await nodeSqlGateway().startKernel('sql');
    await session.syncFiles!([file('broken.sql', 'CREATE TABLE (;')]);
    const { result, outputs } = await runCode(session, 'SELECT 1;');
    expect(result.status).toBe('error');
    expect(outputs[0]).toMatchObject({ output_type: 'error', ename: 'SQLError' });
    expect(JSON.stringify(outputs[0])).toContain('broken.sql');
  }, 30_000);
});
