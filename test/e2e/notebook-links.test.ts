import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll, sourcesOf, useStack } from './helpers/stack.js';

// Basthon and Capytale links in Chromium: ?ipynb= and ?from= open their
// notebook into an empty room for everyone; a broken link, content that is
// not a notebook, or a room that already holds work get a message, and
// nothing is imported.

// The other site is on loopback over http, which the pages' policy lets them download from only when
// the operator says so (CANDYCE_LINK_SOURCES; the default is https: only).
const stack = useStack({ security: { linkSources: ['https:', 'http://127.0.0.1:*'] } });
const lesson = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    { cell_type: 'markdown', id: 'intro', metadata: {}, source: '# Tortue et boucles' },
    {
      cell_type: 'code',
      id: 'code',
      metadata: {},
      source: 'from turtle import *',
      outputs: [],
      execution_count: null,
    },
  ],
};
const shared = deflateSync(JSON.stringify(lesson)).toString('base64url');

// Another site that shares notebooks (with CORS, as Basthon's hosts do).
let host: Server;
let hostURL: string;
beforeAll(async () => {
  host = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    if (req.url === '/lesson.ipynb') res.end(JSON.stringify(lesson));
    else res.end('<!doctype html><title>Login</title>');
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostURL = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => host.close(resolve)));

// Opens `room` as Alice with `extra` query parameters; returns the page once it shows a link message.
const openWith = async (room: string, extra: Record<string, string>): Promise<Page> => {
  const page = await stack.open(room, { name: 'Alice' });
  const url = new URL(page.url());
  for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
  await page.goto(url.href);
  await page.locator('#link-message:not([hidden])').waitFor({ timeout: 30_000 });
  return page;
};
const messageOf = (page: Page) => page.locator('#link-message').textContent();

describe('links that open a notebook', () => {
  it('?ipynb= imports the notebook into a new room, for everyone, and leaves the address', async () => {
    const alice = await openWith('link-ipynb', { ipynb: shared });
    expect(await messageOf(alice)).toBe('Carnet importé depuis le lien.');
    await expect.poll(() => sourcesOf(alice), poll).toEqual(['# Tortue et boucles', 'from turtle import *']);
    expect(new URL(alice.url()).searchParams.has('ipynb')).toBe(false);
    const bob = await stack.open('link-ipynb', { name: 'Bob' });
    await expect.poll(() => sourcesOf(bob), poll).toEqual(['# Tortue et boucles', 'from turtle import *']);
  }, 60_000);

  it('does not replace a room that already holds work', async () => {
    const again = await openWith('link-ipynb', {
      ipynb: deflateSync(JSON.stringify({ ...lesson, cells: [] })).toString('base64url'),
    });
    expect(await messageOf(again)).toMatch(/^Ce carnet contient déjà du travail/);
    await expect.poll(() => sourcesOf(again), poll).toEqual(['# Tortue et boucles', 'from turtle import *']);
  }, 60_000);

  it('?from= downloads the notebook from another site', async () => {
    const alice = await openWith('link-from', { from: `${hostURL}/lesson.ipynb` });
    expect(await messageOf(alice)).toBe('Carnet importé depuis le lien.');
    await expect.poll(() => sourcesOf(alice), poll).toEqual(['# Tortue et boucles', 'from turtle import *']);
  }, 60_000);

  it('says so when ?ipynb= is garbage, ?from= answers HTML or nothing, and imports nothing', async () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['link-garbage', { ipynb: 'eJgarbage!!' }, /carnet illisible/],
      ['link-html', { from: `${hostURL}/login` }, /ne mène pas à un carnet Jupyter/],
      ['link-nothing', { from: 'http://127.0.0.1:1/lesson.ipynb' }, /n’a pas pu être téléchargé/],
    ];
    for (const [room, extra, message] of cases) {
      const page = await openWith(room, extra);
      expect(await messageOf(page)).toMatch(message);
      expect((await sourcesOf(page)).join('')).toBe('');
    }
  }, 90_000);
});
