// Basthon and Capytale links: the ?ipynb= value (zlib then URL-safe base64)
// and the ?from= download, with what each refuses.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeIpynbParam,
  fetchLinkedNotebook,
  LinkError,
  linkText,
  maxLinkedNotebookBytes,
  openLinkedNotebook,
} from '../src/notebook-link.js';

const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: 'code', id: 'a', metadata: {}, source: 'print("é")', outputs: [], execution_count: null },
  ],
};
const encode = (value: unknown) =>
  deflateSync(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))).toString('base64url');
const problemOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'none',
    (error: unknown) => (error instanceof LinkError ? error.problem : String(error)),
  );

describe('the ?ipynb= parameter', () => {
  it('decodes a notebook as Basthon encodes it', async () => {
    const value = encode(notebook);
    expect(value.startsWith('eJ')).toBe(true);
    expect(await decodeIpynbParam(value)).toEqual(notebook);
    // With standard base64 and its padding too.
    expect(await decodeIpynbParam(deflateSync(JSON.stringify(notebook)).toString('base64'))).toEqual(
      notebook,
    );
  });

  it('refuses garbage, what is not zlib, JSON that is not a notebook, and a zlib bomb', async () => {
    expect(await problemOf(decodeIpynbParam('%%%not base64'))).toBe('ipynb-garbage');
    expect(await problemOf(decodeIpynbParam(Buffer.from('plain text').toString('base64url')))).toBe(
      'ipynb-garbage',
    );
    expect(await problemOf(decodeIpynbParam(encode('[1, 2]')))).toBe('ipynb-garbage');
    expect(await problemOf(decodeIpynbParam(encode('{"cells": 3}')))).toBe('ipynb-garbage');
    expect(await problemOf(decodeIpynbParam(encode(notebook).slice(0, 40)))).toBe('ipynb-garbage');
    const bomb = deflateSync(Buffer.alloc(maxLinkedNotebookBytes + 1024, 32)).toString('base64url');
    expect(bomb.length).toBeLessThan(100_000);
    expect(await problemOf(decodeIpynbParam(bomb))).toBe('too-large');
  });
});

describe('the ?from= parameter', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/lesson.ipynb') res.end(JSON.stringify(notebook));
      else if (req.url === '/page') res.end('<!doctype html><p>Not a notebook</p>');
      else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('downloads a notebook', async () => {
    expect(await fetchLinkedNotebook(`${base}/lesson.ipynb`)).toEqual(notebook);
  });

  it('says when the link is broken or does not lead to a notebook', async () => {
    expect(await problemOf(fetchLinkedNotebook(`${base}/page`))).toBe('from-not-notebook');
    expect(await problemOf(fetchLinkedNotebook(`${base}/missing.ipynb`))).toBe('from-unreachable');
    expect(await problemOf(fetchLinkedNotebook('http://127.0.0.1:1/x.ipynb'))).toBe('from-unreachable');
    expect(await problemOf(fetchLinkedNotebook('javascript:alert(1)'))).toBe('from-unreachable');
    expect(await problemOf(fetchLinkedNotebook('not a url at all'))).toBe('from-unreachable');
  });
});

describe('opening a link into a room', () => {
  const room = (cells: { source: string }[]) => {
    const imported: unknown[] = [];
    return {
      imported,
      element: {
        importNotebook: (nb: unknown) => imported.push(nb),
        exportNotebook: () => ({ cells }),
      },
    };
  };

  it('imports into an empty room only, and says so in the page’s language', async () => {
    const params = new URLSearchParams({ ipynb: encode(notebook) });
    const empty = room([{ source: '  ' }]);
    expect(await openLinkedNotebook(params, empty.element, Promise.resolve(), 'fr')).toEqual({
      ok: true,
      message: linkText('fr', 'done'),
    });
    expect(empty.imported).toEqual([notebook]);
    const busy = room([{ source: 'x = 1' }]);
    expect(await openLinkedNotebook(params, busy.element, Promise.resolve(), 'en')).toEqual({
      ok: false,
      message: linkText('en', 'room-not-empty'),
    });
    expect(busy.imported).toEqual([]);
    expect(await openLinkedNotebook(new URLSearchParams(), busy.element, Promise.resolve(), 'fr')).toBeNull();
    expect(linkText('fr', 'room-not-empty')).toMatch(/^Ce carnet contient déjà du travail/);
  });
});
