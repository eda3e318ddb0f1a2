// Hocuspocus 3 as a peer, started by the harness as a child process (plain
// JavaScript, so that no TypeScript loader weighs on its CPU and memory):
// `node test/bench/hocuspocus-server.mjs` with PORT and, for persistence,
// SQLITE_FILE: a table of full document states written by the Database
// extension on Hocuspocus's debounced store, as @hocuspocus/extension-sqlite
// does, with better-sqlite3 (the sqlite3 package needs a binary download).
import { createRequire } from 'node:module';
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';

const port = Number(process.env.PORT ?? 1234);
const file = process.env.SQLITE_FILE;
const extensions = [];
if (file) {
  const db = createRequire(import.meta.url)('better-sqlite3')(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB)');
  const select = db.prepare('SELECT data FROM documents WHERE name = ?');
  const upsert = db.prepare(
    'INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data',
  );
  extensions.push(
    new Database({
      fetch: async ({ documentName }) => select.get(documentName)?.data ?? null,
      store: async ({ documentName, state }) => {
        upsert.run(documentName, state);
      },
    }),
  );
}
const server = new Server({ port, address: '127.0.0.1', quiet: true, extensions });
await server.listen();
console.log(`hocuspocus listening on ${port}`);
