// Kehu's service worker, served at /sw.js with the build's version written in by the server
// (http/service_worker.rs), so a new build is a new worker and the page can offer to switch.
//  - The app shell (wasm, JS, CSS, icons) is cached at install, per version; a new version
//    waits until the page says to take over (the "新版本可用，刷新" prompt), so stale wasm never
//    talks to a new server.
//  - Pages are network-first; a copy of each page opened is kept (the last 50) and served when
//    the network is gone. Server functions, the REST API, live streams and downloads are never
//    cached.
//  - A kept page served offline carries <meta name="kehu-kept-at"> (when the server sent it),
//    so the page can say "离线 · 更新于 10:42" (public/pwa.js).
//  - The rep's daily lists (customers, reminders) are fetched into the kept pages when the
//    page asks (`warm`, at most every few minutes), so they read offline without having
//    been opened that day.
//  - Signing out clears the kept pages (the worker sees the sign-out request pass by).
//  - A page that came from another build than this worker's (`X-Kehu-Build`) gets its wasm and
//    JS from the network, not from this worker's cache: never stale wasm against a new server.
const VERSION = "__KEHU_VERSION__";
const SHELL = `kehu-shell-${VERSION}`;
const PAGES = "kehu-pages";
const PAGES_KEPT = 50;
let serverBuild = VERSION;
// The bundle's files (the app's wasm and every area's piece of it, JS, CSS) and the icons,
// written in by the server.
const SHELL_FILES = new Set("__KEHU_SHELL_FILES__");

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll([...SHELL_FILES])));
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
  if (event.data && Array.isArray(event.data.warm)) event.waitUntil(warm(event.data.warm));
  if (event.data === "version" && event.ports[0]) event.ports[0].postMessage(VERSION);
});

/** Keeps a page's copy, dropping the oldest past PAGES_KEPT. */
async function keep(request, response) {
  const cache = await caches.open(PAGES);
  await cache.put(request, response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - PAGES_KEPT))) await cache.delete(old);
}

/** A real page of the signed-in user: not a redirect to the login page, not an error. */
function keepable(response) {
  return response.ok && !response.redirected && (response.headers.get("content-type") || "").startsWith("text/html");
}

/** Fetches these pages (same-origin paths) into the kept ones; stops at the first failure. */
async function warm(paths) {
  for (const path of paths) {
    if (typeof path !== "string" || !path.startsWith("/")) continue;
    try {
      const response = await fetch(path, { credentials: "same-origin" });
      if (!keepable(response)) return;
      await keep(new Request(path), response);
    } catch (offline) {
      return;
    }
  }
}

/** The kept copy, marked with when the server sent it. */
async function marked(kept) {
  const sent = new Date(kept.headers.get("date") || Date.now());
  const at = isNaN(sent) ? new Date().toISOString() : sent.toISOString();
  const html = (await kept.text()).replace("<head>", `<head><meta name="kehu-kept-at" content="${at}">`);
  const headers = new Headers(kept.headers);
  headers.delete("content-length");
  return new Response(html, { status: 200, headers });
}

async function page(request) {
  try {
    const response = await fetch(request);
    serverBuild = response.headers.get("x-kehu-build") || serverBuild;
    if (keepable(response)) await keep(request, response.clone());
    return response;
  } catch (offline) {
    const kept = await caches.match(request, { cacheName: PAGES, ignoreVary: true });
    if (kept) return marked(kept);
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
  if (SHELL_FILES.has(url.pathname) && serverBuild === VERSION) {
    event.respondWith(caches.match(request, { cacheName: SHELL }).then((hit) => hit || fetch(request)));
  }
});
