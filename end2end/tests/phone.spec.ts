// Every page on a phone: at 360×740 and 390×844 (touch, mobile emulation) no page scrolls
// sideways, over all the app's routes with demo data in them. What is wider than the screen
// (the board's columns, a wide table) must scroll in its own box. KEHU_PHONE_TRACE=1 prints
// each route's load time.
import { test, expect, Browser, Page } from "@playwright/test";
import { KehuServer, openHydrated, signIn } from "./server";

let server: KehuServer;

test.beforeAll(async () => {
  server = await KehuServer.start();
});

test.afterAll(async () => {
  await server?.dispose();
});

const PHONES = [
  { name: "360", viewport: { width: 360, height: 740 } },
  { name: "390", viewport: { width: 390, height: 844 } },
];

async function phone(browser: Browser, viewport: { width: number; height: number }, username: string): Promise<Page> {
  const context = await browser.newContext({ viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, server, username);
  return page;
}

/** The elements sticking out past the right edge (the widest few), for the failure message. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const out: { what: string; right: number }[] = [];
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && r.width > 0) {
        // Inside something that scrolls by itself (a wide table in its own box) is fine.
        let scroller = el.parentElement;
        let contained = false;
        while (scroller && scroller !== document.body) {
          const style = getComputedStyle(scroller);
          if (/(auto|scroll|hidden)/.test(style.overflowX) && scroller.getBoundingClientRect().right <= width + 1) {
            contained = true;
            break;
          }
          scroller = scroller.parentElement;
        }
        if (!contained) out.push({ what: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${(el.getAttribute("class") || "").split(" ").join(".")}`, right: Math.round(r.right) });
      }
    }
    if (!out.length) {
      // Nothing sticks out in the flow: something positioned or transformed does.
      for (const el of Array.from(document.querySelectorAll("body *"))) {
        const r = el.getBoundingClientRect();
        let inBox = false;
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (/(auto|scroll|hidden)/.test(getComputedStyle(a).overflowX)) inBox = true;
        if (r.right > width + 1 && !inBox) out.push({ what: `${el.tagName.toLowerCase()}.${(el.getAttribute("class") || "").split(" ").join(".")} (${getComputedStyle(el).position})`, right: Math.round(r.right) });
      }
    }
    out.sort((a, b) => b.right - a.right);
    return [`scrollWidth ${document.documentElement.scrollWidth} > ${width}`, ...out.slice(0, 6).map((o) => `${o.what} → ${o.right}px`)];
  });
}

test("no page scrolls sideways on a phone", async ({ browser }) => {
  test.setTimeout(300_000);
  const admin = await phone(browser, PHONES[0].viewport, "admin");
  await admin.click("[data-testid=load-demo]");
  await expect(admin.getByTestId("result-count")).toHaveText("共 300 位客户", { timeout: 60_000 });
  const customer = await admin.locator("table.customers tbody tr a").first().getAttribute("href");
  await openHydrated(admin, server.url + "/pipeline");
  const deal = await admin.getByTestId("deal-card").first().locator("a").first().getAttribute("href");
  await openHydrated(admin, server.url + deal);
  const quotes = admin.locator("a[href^='/quotes/']");
  const quote = (await quotes.count()) ? await quotes.first().getAttribute("href") : null;
  const routes = [
    "/customers", "/customers?owner=~pool", "/customers/new", "/customers/import", customer!, customer + "/edit",
    "/pipeline", "/funnel", "/deals/new", deal!, ...(quote ? [quote] : []),
    "/reminders", "/tickets", "/service/reports", "/performance", "/targets", "/activity",
    "/insight", "/reports", "/products", "/competitors", "/import", "/notifications", "/outbox", "/audit",
    "/account/password", "/account/tokens", "/admin/users", "/admin/reminders", "/admin/service", "/admin/webhooks",
    "/today", "/me",
  ];
  const wide: string[] = [];
  const tiny: string[] = [];
  for (const p of PHONES) {
    const page = p.name === "360" ? admin : await phone(browser, p.viewport, "admin");
    for (const route of routes) {
      const t = Date.now();
      await openHydrated(page, server.url + route);
      if (process.env.KEHU_PHONE_TRACE) console.log(p.name, route, Date.now() - t, "ms");
      // Lists load after hydration (server functions); give them a moment to fill in.
      await page.waitForTimeout(400);
      const found = await overflow(page);
      if (found.length) wide.push(`${p.name}px ${route}: ${found.join("; ")}`);
      const small = await smallTargets(page);
      if (small.length) tiny.push(`${p.name}px ${route}: ${small.join("; ")}`);
    }
  }
  expect(wide, wide.join("\n")).toEqual([]);
  expect(tiny, tiny.join("\n")).toEqual([]);
});

/** Buttons, fields and the bottom bar's tabs shorter than 44 px (links inside text are exempt,
 *  as the platforms' guidance allows). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const targets = document.querySelectorAll(".button, button, select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=file]), .bottom-nav a");
    for (const el of Array.from(targets)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
      if (r.height < 43.5) out.push(`${el.tagName.toLowerCase()}.${(el.getAttribute("class") || "").split(" ").join(".")} "${(el.textContent || "").trim().slice(0, 12)}" ${Math.round(r.height)}px`);
    }
    return Array.from(new Set(out)).slice(0, 8);
  });
}

test("the rep's day, the bottom bar and 我的 on a phone", async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await phone(browser, PHONES[1].viewport, "admin");
  if (await page.getByTestId("load-demo").count()) {
    await page.click("[data-testid=load-demo]");
    await expect(page.getByTestId("result-count")).toHaveText("共 300 位客户", { timeout: 60_000 });
  }
  // The header keeps to one line; the places are in the bar at the bottom.
  await openHydrated(page, server.url + "/today");
  await expect(page.locator(".topbar .nav")).toBeHidden();
  const bar = page.getByTestId("bottom-nav");
  await expect(bar.locator("a")).toHaveCount(5);
  await expect(bar.getByTestId("tab-today")).toHaveAttribute("aria-current", "page");
  const box = await bar.boundingBox();
  expect(box!.y + box!.height).toBeCloseTo(844, 0);

  // The demo's closed deals teach the lead score: leads come with a chance and its reasons.
  await expect(page.getByTestId("lead-model")).toBeVisible();
  const lead = page.getByTestId("today-lead").first();
  await expect(lead.getByTestId("lead-score")).toHaveText(/^\d{1,3}%$/);
  await expect(lead.getByTestId("lead-reason").first()).toBeVisible();
  await expect(page.getByTestId("today-closing")).toBeVisible();

  // One tap from a lead to its follow-up form.
  await lead.getByTestId("line-log").tap();
  await expect(page).toHaveURL(/\/customers\/[^/]+#follow-up$/);
  await expect(page.getByTestId("follow-up-form")).toBeInViewport();

  // The bar follows where one is: a deal lights 漏斗.
  await bar.getByTestId("tab-pipeline").tap();
  await expect(page).toHaveURL(/\/pipeline$/);
  await expect(bar.getByTestId("tab-pipeline")).toHaveAttribute("aria-current", "page");

  // 我的 holds what the header holds on a wide screen: every place, the language, signing out.
  await bar.getByTestId("tab-me").tap();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("me-nav-users")).toBeVisible();
  await page.locator(".me .lang-switch [data-lang=en]").tap();
  await expect(bar.getByTestId("tab-me")).toHaveText("Me");
  await page.locator(".me .lang-switch [data-lang=zh-CN]").tap();
  await expect(bar.getByTestId("tab-me")).toHaveText("我的");
  await page.getByTestId("me-sign-out").tap();
  await expect(page).toHaveURL(/\/login/);
  await expect(bar).toHaveCount(0);
});
