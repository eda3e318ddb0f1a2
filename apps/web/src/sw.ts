/// <reference lib="webworker" />
// The service worker keeps the app shell (the page, its scripts and styles)
// in this browser, so that a notebook opens with no network at all: its
// content then comes from this browser's IndexedDB copy. The page is fetched
// network first (a new version is used as soon as the server is reachable),
// hashed assets cache first; the API, the sync socket and Pyodide's large
// files are never cached here (Pyodide relies on the HTTP cache).

declare const self: ServiceWorkerGlobalScope;

/** Set by the build: the shell's files (their names change with their content), and their version. */
declare const __CANDYCE_PRECACHE__: string[];
declare const __CANDYCE_VERSION__: string;
const precache = __CANDYCE_PRECACHE__;
const version = __CANDYCE_VERSION__;
const cacheName = `candyce-shell-${version}`;
const shellKey = '/';

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
          keys.filter((k) => k.startsWith('candyce-shell-') && k !== cacheName).map((k) => caches.delete(k)),
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

const assetFromCache = async (request: Request): Promise<Response> => {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    void caches.open(cacheName).then((cache) => cache.put(request, copy));
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
  } else if (cacheable(url)) {
    event.respondWith(assetFromCache(request));
  }
});
