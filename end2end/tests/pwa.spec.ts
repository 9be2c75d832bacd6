// The installable app: Chromium finds nothing missing to install it; the service worker keeps
// pages opened before readable offline and forgets them at sign-out; a new build's worker is
// offered as "新版本可用，刷新" and takes over when asked.
import { test, expect, chromium, devices, BrowserContextOptions, Page } from "@playwright/test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { KehuServer, controlled, openHydrated, signIn } from "./server";

let server: KehuServer;

test.beforeAll(async () => {
  server = await KehuServer.start();
});

test.afterAll(async () => {
  delete process.env.KEHU_BUILD_ID;
  await server?.dispose();
});

/** The build the worker controlling the page was made for. */
async function workerBuild(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => resolve(e.data);
        navigator.serviceWorker.controller!.postMessage("version", [channel.port2]);
      }),
  );
}

test("Chromium reports no installability errors, and the worker is served fresh", async ({}, testInfo) => {
  // Chromium installs nothing from an incognito profile (the tests' default): a real one here.
  const profile = mkdtempSync(path.join(tmpdir(), "kehu-pwa-"));
  const context = await chromium.launchPersistentContext(profile, { ...testInfo.project.use.launchOptions, headless: true });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await signIn(page, server, "rep_a");
    await controlled(page);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send("Page.getAppManifest");
    expect(manifest.errors).toEqual([]);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);
    // The manifest's screenshots (the richer install dialog) are there, at the sizes it says.
    const shots = (JSON.parse(manifest.data!).screenshots ?? []) as { src: string; sizes: string }[];
    expect(shots.length).toBe(2);
    for (const shot of shots) {
      const got = await page.request.get(server.url + shot.src);
      expect([got.status(), got.headers()["content-type"]], shot.src).toEqual([200, "image/png"]);
      const png = await got.body();
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, shot.src).toBe(shot.sizes);
    }
    for (const icon of ["/icon-192.png", "/icon-512.png", "/icon-maskable-512.png", "/apple-touch-icon.png"]) {
      const got = await page.request.get(server.url + icon);
      expect([got.status(), got.headers()["content-type"]], icon).toEqual([200, "image/png"]);
    }
    const worker = await page.request.get(server.url + "/sw.js");
    expect(worker.headers()["cache-control"]).toContain("no-cache");
    expect(worker.headers()["content-type"]).toContain("javascript");
    const build = worker.headers()["x-kehu-build"];
    expect(build).toMatch(/^[0-9a-f]{12}$/);
    const script = await worker.text();
    expect(script).toContain(`const VERSION = "${build}"`);
    // The shell it caches at install is the whole bundle: the app's wasm and every area's
    // piece of it (app/ui/src/routes.rs), so pages not opened yet work offline too.
    const shell = JSON.parse(script.match(/const SHELL_FILES = new Set\((\[.*?\])\);/)![1]) as string[];
    expect(shell).toContain("/pkg/kehu.wasm");
    const areas = shell.filter((f) => /^\/pkg\/split_[a-z]+_pages_\d+\.wasm$/.test(f));
    expect(areas.length, shell.join(" ")).toBe(8);
    // A page names the pieces its area needs, so the browser fetches them beside the frame's
    // wasm rather than after it (the server runs here outside the checkout, as it would
    // anywhere: the list comes from inside the binary). Each of them is in the shell.
    const loginHtml = await (await page.request.get(server.url + "/login")).text();
    const preloaded = [...loginHtml.matchAll(/<link[^>]*href="(\/pkg\/[^"]+\.wasm)"[^>]*>/g)].map((m) => m[1]).filter((f) => f !== "/pkg/kehu.wasm");
    expect(preloaded.length, loginHtml).toBeGreaterThan(0);
    expect(preloaded.filter((f) => !shell.includes(f))).toEqual([]);
    expect(await workerBuild(page)).toBe(build);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test("a profile opened before is readable offline, and forgotten at sign-out", async ({ page, context }) => {
  await signIn(page, server, "rep_a");
  await openHydrated(page, server.url + "/customers/new");
  await page.fill("[name=name]", "离线可读的客户");
  await page.click("[data-testid=save]");
  await expect(page.getByTestId("customer-name")).toHaveText("离线可读的客户");
  const profile = page.url();
  await controlled(page);
  // Opened as a page (not only within the app), so the worker keeps a copy.
  await openHydrated(page, profile);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("customer-name")).toHaveText("离线可读的客户");
  await context.setOffline(false);

  await openHydrated(page, profile);
  await page.click("[data-testid=sign-out]");
  await expect(page).toHaveURL(/\/login/);
  await context.setOffline(true);
  const gone = await page.goto(profile).then(
    () => "served",
    () => "not served",
  );
  expect(gone).toBe("not served");
  await context.setOffline(false);
});

// The update prompt where reps meet it: on their phones (Chromium with the Pixel's and the
// iPhone's screen, touch and user agent) as well as at a desk. On a phone the banner must be
// tappable above the bottom navigation.
const { defaultBrowserType: _pixelBrowser, ...pixel } = devices["Pixel 7"];
const { defaultBrowserType: _iphoneBrowser, ...iphone } = devices["iPhone 13"];
const UPDATE_PROFILES: { name: string; options: BrowserContextOptions }[] = [
  { name: "desktop", options: {} },
  { name: "Pixel 7", options: pixel },
  { name: "iPhone 13", options: iphone },
];

for (const [n, profile] of UPDATE_PROFILES.entries()) {
  test(`a new build's worker is offered as a reload and takes over when asked (${profile.name})`, async ({ browser }) => {
    const context = await browser.newContext({ ...profile.options, locale: "zh-CN" });
    try {
      const page = await context.newPage();
      await signIn(page, server, "rep_a");
      await controlled(page);
      const before = await workerBuild(page);

      const next = `e2e-next-build-${n}`;
      process.env.KEHU_BUILD_ID = next;
      const stopped = server.pid!;
      await server.restart();
      // A clean stop removes the directory the server wrote its wasm manifest to; the new
      // process has its own.
      expect(siteDirs(stopped)).toEqual([]);
      expect(siteDirs(server.pid!)).toHaveLength(1);

      await openHydrated(page, server.url + "/customers");
      await expect(page.getByTestId("update-banner")).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId("update-banner")).toContainText("新版本可用");
      expect(await workerBuild(page)).toBe(before);

      if (profile.options.hasTouch) {
        await page.getByTestId("update-reload").tap();
      } else {
        await page.getByTestId("update-reload").click();
      }
      await expect(page.getByTestId("update-banner")).toHaveCount(0, { timeout: 30_000 });
      await expect.poll(() => workerBuild(page), { timeout: 30_000 }).toBe(next);
    } finally {
      await context.close();
    }
  });
}

/** The manifest directories (`kehu-site-<pid>-<start>`) a server process left in the temp directory. */
function siteDirs(pid: number): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith(`kehu-site-${pid}-`));
}
