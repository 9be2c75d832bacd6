// How long a rep's phone waits for a page to come alive (issue 18's measure): Chromium at
// 390×844 with touch, the CPU slowed 4× and DevTools' "Fast 3G" network (562.5 ms round trip,
// 1.44 Mbit/s down), once with an empty cache and once more after the service worker has
// cached the app. The time is from the navigation's start to the moment the wasm has taken
// the page over (`html[data-hydrated]`), with the requests and bytes it took.
//
//   cd end2end && KEHU_PASSWORD=… node tools/phone-timing.mjs <server url> <username> [path…]
//
// Paths default to the first customer's profile in the list. For the HTTP/2 figure put a TLS
// proxy in front (browsers speak HTTP/2 only over TLS): nginx with `listen 127.0.0.1:3443 ssl
// http2;`, `proxy_pass` to the server, a self-signed certificate, and KEHU_INSECURE_TLS=1.
// The server and the bundle must be one build (`./kehu.sh build --release`, then serve that
// binary). To time a release bundle without the long release server build, a debug server started on it reads the bundle from
// target/site, but its server functions live at other paths than the release wasm calls, so
// the sign-in page cannot sign in: KEHU_SIGNIN_PATH=/api/login… (the debug server's path, e.g.
// from `strings target/debug/kehu | grep /api/login`) signs in by a direct call instead.
import { chromium } from "@playwright/test";

const [base, username, ...paths] = process.argv.slice(2);
const password = process.env.KEHU_PASSWORD;
if (!base || !username || !password) {
  console.error("usage: KEHU_PASSWORD=… node tools/phone-timing.mjs <server url> <username> [path…]");
  process.exit(2);
}

// KEHU_INSECURE_TLS=1: a test proxy's self-signed certificate is accepted (HTTP/2 needs TLS
// in browsers, and a server behind nginx is how Kehu is deployed).
const insecure = process.env.KEHU_INSECURE_TLS === "1";
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3, locale: "zh-CN", ignoreHTTPSErrors: insecure };
// DevTools' "Fast 3G" preset (bytes per second; latency in ms).
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 / 8) * 0.9, uploadThroughput: (750 * 1024 / 8) * 0.9 };

// Set before any page script runs: when the wasm marks the page taken over.
// (The document has no root element yet when this runs: the whole document is watched.)
const MARK_HYDRATED = () => {
  new MutationObserver(() => {
    if (document.documentElement?.dataset.hydrated === "true" && !window.__kehuHydratedAt) {
      window.__kehuHydratedAt = performance.now();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
};

const browser = await chromium.launch({
  executablePath: process.env.KEHU_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", ...(insecure ? ["--ignore-certificate-errors"] : [])],
});

try {
  const cookies = await signIn();
  if (paths.length === 0) paths.push(await firstProfile(cookies));
  console.log(`CPU 4× slower, Fast 3G, 390×844; ${base}`);
  console.log("page                                      visit     hydrated   requests   transferred");
  for (const path of paths) {
    const context = await browser.newContext({ ...PHONE, storageState: cookies });
    await context.addInitScript(MARK_HYDRATED);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", FAST_3G);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });

    // What came over the network, as DevTools counts it (bytes on the wire, headers included).
    const traffic = { requests: 0, bytes: 0 };
    cdp.on("Network.requestWillBeSent", () => (traffic.requests += 1));
    cdp.on("Network.loadingFinished", (e) => (traffic.bytes += e.encodedDataLength));

    report(path, "first", await visit(page, path, traffic));
    // The worker caches the whole bundle at install; the next visit is served from it.
    await page.evaluate(() => navigator.serviceWorker.ready);
    report(path, "repeat", await visit(page, path, traffic));
    await context.close();
  }
} finally {
  await browser.close();
}

/** Signs in without throttling, in a context of its own (its cache stays out of the timing). */
async function signIn() {
  const context = await browser.newContext(PHONE);
  const signinPath = process.env.KEHU_SIGNIN_PATH;
  if (signinPath) {
    const res = await context.request.post(base + signinPath, { data: { username, password } });
    if (!res.ok()) throw new Error(`sign-in at ${signinPath}: ${res.status()} ${await res.text()}`);
  } else {
    const page = await context.newPage();
    await page.goto(base + "/login");
    await page.waitForSelector("html[data-hydrated=true]", { timeout: 60_000 });
    await page.fill("[name=username]", username);
    await page.fill("[name=password]", password);
    await page.click("[data-testid=login-form] button[type=submit]");
    await page.waitForSelector("[data-testid=notifications]", { timeout: 60_000 });
  }
  const state = await context.storageState();
  await context.close();
  return state;
}

/** The first profile linked from the customer list. */
async function firstProfile(cookies) {
  const context = await browser.newContext({ storageState: cookies, ignoreHTTPSErrors: insecure });
  const html = await (await context.request.get(base + "/customers")).text();
  await context.close();
  const found = html.match(/href="(\/customers\/[^"/]+)"/g)?.map((m) => m.slice(6, -1)).find((p) => !/\/(new|import)$/.test(p));
  if (!found) throw new Error("no customer in the list to open: pass a path");
  return found;
}

async function visit(page, path, traffic) {
  traffic.requests = 0;
  traffic.bytes = 0;
  await page.goto(base + path, { waitUntil: "commit" });
  await page.waitForSelector("html[data-hydrated=true]", { timeout: 120_000 });
  const hydrated = await page.evaluate(() => window.__kehuHydratedAt);
  return { hydrated, requests: traffic.requests, transferred: traffic.bytes };
}

function report(path, kind, { hydrated, requests, transferred }) {
  const ms = hydrated === undefined ? "?" : `${(hydrated / 1000).toFixed(2)} s`;
  console.log(`${path.padEnd(42)}${kind.padEnd(8)}${ms.padStart(10)}${String(requests).padStart(11)}${`${(transferred / 1024).toFixed(0)} KB`.padStart(14)}`);
}
