// Kehu's service worker, served at /sw.js with the build's version written in by the server
// (http/service_worker.rs), so a new build is a new worker and the page can offer to switch.
//  - The app shell (wasm, JS, CSS, icons) is cached at install, per version; a new version
//    waits until the page says to take over (the "新版本可用，刷新" prompt), so stale wasm never
//    talks to a new server.
//  - Pages are network-first; a copy of each page opened is kept (the last 50) and served when
//    the network is gone. Server functions, the REST API, live streams and downloads are never
//    cached.
//  - Signing out clears the kept pages (the worker sees the sign-out request pass by).
//  - A page that came from another build than this worker's (`X-Kehu-Build`) gets its wasm and
//    JS from the network, not from this worker's cache: never stale wasm against a new server.
const VERSION = "__KEHU_VERSION__";
const SHELL = `kehu-shell-${VERSION}`;
const PAGES = "kehu-pages";
const PAGES_KEPT = 50;
let serverBuild = VERSION;
const SHELL_FILES = ["/pkg/kehu.js", "/pkg/kehu.wasm", "/pkg/kehu.css", "/icon.svg", "/icon-192.png", "/manifest.webmanifest", "/pwa.js", "/outbox.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("kehu-shell-") && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
  if (event.data === "version" && event.ports[0]) event.ports[0].postMessage(VERSION);
});

/** Keeps a page's copy, dropping the oldest past PAGES_KEPT. */
async function keep(request, response) {
  const cache = await caches.open(PAGES);
  await cache.put(request, response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - PAGES_KEPT))) await cache.delete(old);
}

async function page(request) {
  try {
    const response = await fetch(request);
    serverBuild = response.headers.get("x-kehu-build") || serverBuild;
    // Only a real page is kept: not a redirect to the login page, not an error.
    if (response.ok && !response.redirected && (response.headers.get("content-type") || "").startsWith("text/html")) {
      await keep(request, response.clone());
    }
    return response;
  } catch (offline) {
    const kept = await caches.match(request, { cacheName: PAGES, ignoreVary: true });
    if (kept) return kept;
    throw offline;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname.startsWith("/api/logout")) {
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
    return;
  }
  if (SHELL_FILES.includes(url.pathname) && serverBuild === VERSION) {
    event.respondWith(caches.match(request, { cacheName: SHELL }).then((hit) => hit || fetch(request)));
  }
});
