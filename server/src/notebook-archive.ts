import type { ServerResponse } from 'node:http';
import { exportIpynb } from '@candyce/model';
import { Zip, ZipDeflate } from 'fflate';
import type { NotebookFiles } from './notebook-files.js';
import type { Room } from './room.js';

// `GET /api/notebooks/<room>/archive.zip`: the notebook and its data files in
// one zip, as Jupyter users move a notebook with its data. Written to the
// response as it is compressed, by chunks, waiting for a slow client to drain,
// so that a large archive neither blocks the event loop long nor piles up in
// memory twice.

const chunkBytes = 256 * 1024;
const compressed = /\.(zip|gz|bz2|xz|7z|png|jpe?g|gif|webp|mp3|mp4|xlsx|docx|pptx|odt|ods|odp|whl)$/i;

const drained = (res: ServerResponse): Promise<void> =>
  res.writableNeedDrain && !res.destroyed
    ? new Promise((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      })
    : Promise.resolve();

/**
 * Streams the zip of `room` (its `.ipynb` at the root, named after the room,
 * and each attached file beside it, as in the kernel's working directory) to
 * `res`. File names were checked on upload: one path component each.
 */
export const streamArchive = async (res: ServerResponse, room: Room, files: NotebookFiles): Promise<void> => {
  await room.whenFlushed().catch(() => undefined);
  const notebook = new TextEncoder().encode(`${JSON.stringify(exportIpynb(room.doc), null, 1)}\n`);
  const entries = await files.list(room.name);
  const taken = new Set(entries.map((e) => e.name));
  let notebookName = `${room.name}.ipynb`;
  // A data file of that very name keeps it; the notebook takes another.
  while (taken.has(notebookName)) notebookName = `_${notebookName}`;
  res.writeHead(200, {
    'content-type': 'application/zip',
    'content-disposition': `attachment; filename="${room.name}.zip"`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  });
  let failed: Error | null = null;
  const zip = new Zip((err, chunk, final) => {
    if (err) {
      failed = err;
      return;
    }
    if (!res.destroyed) res.write(chunk);
    if (final) res.end();
  });
  const add = async (name: string, bytes: Uint8Array, level: 0 | 1 | 6): Promise<void> => {
    const entry = new ZipDeflate(name, { level });
    zip.add(entry);
    if (bytes.byteLength === 0) entry.push(new Uint8Array(0), true);
    for (let at = 0; at < bytes.byteLength; at += chunkBytes) {
      entry.push(bytes.subarray(at, at + chunkBytes), at + chunkBytes >= bytes.byteLength);
      // Other requests run between chunks.
      await drained(res);
      await new Promise((resolve) => setImmediate(resolve));
      if (res.destroyed) return;
    }
  };
  await add(notebookName, notebook, 6);
  for (const entry of entries) {
    if (res.destroyed) return;
    const bytes = await files.read(room.name, entry.name);
    // Level 1 (fast: the zip is made on request) and 0 (stored) for what is compressed already.
    if (bytes) await add(entry.name, bytes, compressed.test(entry.name) ? 0 : 1);
  }
  if (res.destroyed) return;
  zip.end();
  if (failed) res.destroy(failed);
};
