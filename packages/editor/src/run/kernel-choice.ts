import { metaOf } from '@candyce/model';
import {
  browserKernels,
  type KernelCatalogBody,
  type KernelLocation,
  type KernelOffer,
} from '@candyce/protocol';
import * as Y from 'yjs';
import type { KernelKind } from './cell-runner.js';

/** Where a kernel runs (defined once in @candyce/protocol). */
export type { KernelLocation };

/** One kernel the deployment offers (an entry of `GET /api/kernels`). */
export type KernelOption = KernelOffer;

/** What the deployment offers (the body of `GET /api/kernels`). */
export type KernelCatalog = KernelCatalogBody;

/** The kernels every deployment offers, in the browser (also what a page without a server knows). */
export const browserKernelOptions: readonly KernelOption[] = browserKernels;

/** The catalogue known without asking the server: the browser kernels only. */
export const browserCatalog: KernelCatalog = {
  kernels: browserKernelOptions,
  server: { configured: false, available: false },
};

/** The kernel a notebook uses now: its kernelspec, and where it runs on this page. */
export interface CurrentKernel {
  /** The choice's id (`pyodide`, `sql`, `server:<name>`, or `browser:<name>` for a kernel no browser runs). */
  id: string;
  name: string;
  displayName: string;
  language: string;
  location: KernelLocation;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

const isPython = (name: string, language: string): boolean =>
  language === 'python' || /^python\d*$/.test(name) || name === '';

/**
 * Returns the kernel `doc` uses: `sql` always in the browser; a kernelspec
 * with `candyce_location` where it says; any other where the page's
 * `kernel` attribute (`kind`) runs code, so that notebooks written before
 * the choice keep running where they did.
 */
export const currentKernelOf = (doc: Y.Doc, kind: KernelKind): CurrentKernel => {
  const md = metaOf(doc).get('metadata');
  const raw = md instanceof Y.Map ? md.get('kernelspec') : undefined;
  const spec = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const name = text(spec.name).toLowerCase();
  const language = text(spec.language).toLowerCase();
  const displayName = text(spec.display_name).slice(0, 100) || name || 'Python 3';
  const said = spec.candyce_location;
  const location: KernelLocation =
    name === 'sql'
      ? 'browser'
      : said === 'browser' || said === 'server'
        ? said
        : kind === 'server'
          ? 'server'
          : 'browser';
  const id =
    location === 'server'
      ? `server:${name || 'python3'}`
      : name === 'sql'
        ? 'sql'
        : isPython(name, language)
          ? 'pyodide'
          : `browser:${name}`;
  return {
    id,
    name: name || 'python3',
    displayName,
    language: language || (name === 'sql' ? 'sql' : 'python'),
    location,
  };
};

/** True when the deployment offers the kernel `current` names (a notebook asking for `ir` without a Jupyter server: false). */
export const isOffered = (current: CurrentKernel, catalog: KernelCatalog): boolean =>
  catalog.kernels.some((k) => k.id === current.id) ||
  // Until the server's list has come, a server kernel on a server page is taken at its word.
  (current.location === 'server' && !catalog.server.configured);

/** The words a label needs, in the user's language. */
export interface KernelWords {
  browser: string;
  server: string;
}

/**
 * Returns what the selector shows for a kernel: "Python (navigateur)",
 * "SQL (navigateur)", "Python (serveur)"; other server kernels by the
 * display name their Jupyter server gives them.
 */
export const kernelLabel = (
  k: { id: string; location: KernelLocation; displayName: string; language: string; name: string },
  words: KernelWords,
): string => {
  const where = k.location === 'browser' ? words.browser : words.server;
  if (k.id === 'pyodide' || (k.location === 'server' && isPython(k.name, k.language) && k.name === 'python3'))
    return `Python (${where})`;
  if (k.id === 'sql') return `SQL (${where})`;
  return k.location === 'server' ? k.displayName : `${k.displayName} (${where})`;
};

/** The label fields of a catalogue entry. */
export const optionFields = (o: KernelOption): Parameters<typeof kernelLabel>[0] => ({
  id: o.id,
  location: o.location,
  displayName: o.kernelspec.display_name,
  language: o.kernelspec.language,
  name: o.kernelspec.name,
});

/**
 * Reads a `GET /api/kernels` body, keeping only well-formed entries (the
 * browser kernels when nothing usable came).
 */
export const catalogOf = (body: unknown): KernelCatalog => {
  const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const list = Array.isArray(b.kernels) ? b.kernels : [];
  const kernels: KernelOption[] = [];
  for (const entry of list.slice(0, 200)) {
    const e = entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
    const spec =
      e.kernelspec && typeof e.kernelspec === 'object' ? (e.kernelspec as Record<string, unknown>) : {};
    const location = e.location === 'server' ? 'server' : e.location === 'browser' ? 'browser' : null;
    const id = text(e.id);
    const name = text(spec.name);
    if (!location || !id || !name) continue;
    kernels.push({
      id,
      location,
      kernelspec: {
        name,
        display_name: text(spec.display_name).slice(0, 100) || name,
        language: text(spec.language),
        candyce_location: location,
      },
    });
  }
  const s = b.server && typeof b.server === 'object' ? (b.server as Record<string, unknown>) : {};
  return {
    kernels: kernels.length ? kernels : browserKernelOptions,
    server: {
      configured: s.configured === true,
      available: s.available === true,
      ...(typeof s.reason === 'string' ? { reason: s.reason.slice(0, 300) } : {}),
    },
  };
};
