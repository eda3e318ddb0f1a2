/// <reference lib="webworker" />
// The service worker keeps the app shell (the page, its scripts and styles)
// in this browser, so that a notebook opens with no network at all: its
// content then comes from this browser's IndexedDB copy. The page is fetched
// network first (a new version is used as soon as the server is reachable),
// hashed assets cache first; the API and the sync socket are never cached.
// Pyodide's files (/pyodide/<version>/, 13 MB) are kept on their first use,
// cache first, in a cache of their own that outlives new versions of the
// shell: only a new Pyodide version (a new path) is downloaded again, and
// the old one is then dropped.

declare const self: ServiceWorkerGlobalScope;

/** Set by the build: the shell's files (their names change with their content), and their version. */
declare const __CANDYCE_PRECACHE__: string[];
declare const __CANDYCE_VERSION__: string;
/** Set by the build: where this version of the app loads Pyodide from (`/pyodide/<version>/`). */
declare const __CANDYCE_PYODIDE__: string;
const precache = __CANDYCE_PRECACHE__;
const version = __CANDYCE_VERSION__;
const cacheName = `candyce-shell-${version}`;
const shellKey = '/';
const pyodideIndex = __CANDYCE_PYODIDE__;
const pyodideCache = `candyce-pyodide-${pyodideIndex}`;

const isPyodide = (url: URL): boolean =>
  url.origin === self.location.origin && url.pathname.startsWith(pyodideIndex);

const cacheable = (url: URL): boolean =>
  url.origin === self.location.origin &&
  (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/kernels/'));

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(cacheName)
      .then((cache) => cache.addAll([shellKey, ...precache]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter(
              (k) =>
                (k.startsWith('candyce-shell-') && k !== cacheName) ||
                (k.startsWith('candyce-pyodide-') && k !== pyodideCache),
            )
            .map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

const pageFromNetwork = async (request: Request): Promise<Response> => {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = response.clone();
      void caches.open(cacheName).then((cache) => cache.put(shellKey, copy));
    }
    return response;
  } catch (error) {
    // Every page of the app is the same shell, routed in the browser.
    const cached = await caches.match(shellKey);
    if (cached) return cached;
    throw error;
  }
};

const assetFromCache = async (request: Request, name: string): Promise<Response> => {
  const cache = await caches.open(name);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  // A 206 (range) or an opaque answer is never kept: only whole files.
  if (response.status === 200) {
    const copy = response.clone();
    void cache.put(request, copy).catch(() => undefined);
  }
  return response;
};

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (
    request.mode === 'navigate' &&
    url.origin === self.location.origin &&
    !url.pathname.startsWith('/api/') &&
    // The embedded player is a page of its own, not the shell: it must never replace the shell.
    !url.pathname.startsWith('/embed/')
  ) {
    event.respondWith(pageFromNetwork(request));
  } else if (isPyodide(url)) {
    event.respondWith(assetFromCache(request, pyodideCache));
  } else if (cacheable(url)) {
    event.respondWith(assetFromCache(request, cacheName));
  }
});
