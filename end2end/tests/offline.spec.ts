// In the field without a connection: profiles opened before read offline (marked "离线 ·
// 更新于 …"), the daily lists too; a follow-up written offline waits in the phone's outbox
// (counted in the header), goes out once when the connection returns, and one the server
// refuses meanwhile (the customer was reassigned) stays with the reason until discarded.
import { test, expect, Browser, BrowserContext, Page } from "@playwright/test";
import { KehuServer, controlled, openHydrated, signIn } from "./server";

let server: KehuServer;

test.beforeAll(async () => {
  server = await KehuServer.start();
});

test.afterAll(async () => {
  await server?.dispose();
});

async function createCustomer(page: Page, name: string): Promise<string> {
  await openHydrated(page, server.url + "/customers/new");
  await page.fill("[name=name]", name);
  await page.click("[data-testid=save]");
  await expect(page.getByTestId("customer-name")).toHaveText(name);
  return page.url();
}

async function writeFollowUp(page: Page, summary: string): Promise<void> {
  await page.selectOption("[data-testid=follow-up-form] select[name=kind]", "visit");
  await page.fill("[data-testid=follow-up-form] textarea[name=summary]", summary);
  await page.click("[data-testid=follow-up-form] button[type=submit]");
}

async function asSomeoneElse(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, server, username);
  return page;
}

test("three profiles read offline; a follow-up written offline is saved once when the connection returns", async ({ page, context }) => {
  await signIn(page, server, "rep_a");
  await controlled(page);
  const names = ["离线客户一号", "离线客户二号", "离线客户三号"];
  const profiles: string[] = [];
  for (const name of names) {
    profiles.push(await createCustomer(page, name));
    // Opened as a page, so the worker keeps a copy.
    await openHydrated(page, profiles[profiles.length - 1]);
  }
  // The daily lists were fetched for offline reading without being opened as pages.
  await openHydrated(page, server.url + "/account/password");

  await context.setOffline(true);
  for (const [i, url] of profiles.entries()) {
    await openHydrated(page, url);
    await expect(page.getByTestId("customer-name")).toHaveText(names[i]);
    await expect(page.getByTestId("offline-mark")).toContainText(/离线 · 更新于 \d\d:\d\d/);
  }
  await openHydrated(page, server.url + "/reminders");
  await expect(page.getByTestId("offline-mark")).toContainText("离线");

  // Written offline on the second profile: kept, shown as not sent, counted in the header.
  await openHydrated(page, profiles[1]);
  await writeFollowUp(page, "在客户楼下，没有信号：已约下周二演示");
  await expect(page.getByTestId("follow-up-kept")).toBeVisible();
  await expect(page.getByTestId("timeline-pending")).toContainText("已约下周二演示");
  await expect(page.getByTestId("timeline-pending")).toContainText("未发送");
  await expect(page.getByTestId("outbox-count")).toHaveText("1 条未发送");
  // The outbox survives a reload.
  await openHydrated(page, profiles[1]);
  await expect(page.getByTestId("outbox-count")).toHaveText("1 条未发送");

  await context.setOffline(false);
  await expect(page.getByTestId("outbox-count")).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByTestId("timeline-pending")).toHaveCount(0);
  await expect(page.locator("[data-testid=timeline] li.event").first()).toContainText("已约下周二演示");

  // On the server, once; a second send of the same follow-up (an answer lost) changes nothing.
  await openHydrated(page, profiles[1]);
  await expect(page.getByTestId("offline-mark")).toHaveCount(0);
  await expect(page.locator("[data-testid=timeline] li.event", { hasText: "已约下周二演示" })).toHaveCount(1);
});

/**
 * Rep A writes a follow-up offline on a new customer of theirs; meanwhile the manager gives
 * the customer to rep C; back online, the server refuses it. Returns the profile's address and
 * the manager's page.
 */
async function refusedWhileOffline(page: Page, context: BrowserContext, browser: Browser, customer: string, summary: string): Promise<{ url: string; manager: Page }> {
  await signIn(page, server, "rep_a");
  await controlled(page);
  const url = await createCustomer(page, customer);
  await openHydrated(page, url);

  await context.setOffline(true);
  await openHydrated(page, url);
  await writeFollowUp(page, summary);
  await expect(page.getByTestId("outbox-count")).toHaveText("1 条未发送");

  const manager = await asSomeoneElse(browser, "mgr_a");
  await openHydrated(manager, url);
  await manager.selectOption("select[name=assignee]", "rep_c");
  await manager.click("[data-testid=assign]");
  await expect(manager.getByTestId("owner")).toHaveText("销售丙");

  await context.setOffline(false);
  await expect(page.getByTestId("timeline-pending")).toContainText("未能保存", { timeout: 15_000 });
  return { url, manager };
}

test("a follow-up refused meanwhile stays with the reason until discarded", async ({ page, context, browser }) => {
  const { url, manager } = await refusedWhileOffline(page, context, browser, "离线期间被转走的客户", "离线写下：客户要求再报一次价");
  await expect(page.getByTestId("timeline-pending")).toContainText("已不在你名下");
  await expect(page.getByTestId("outbox-count")).toHaveText("1 条未发送");

  // The outbox page lists it with the reason; discarding it (after a question) empties it.
  await page.getByTestId("outbox-count").click();
  await expect(page).toHaveURL(/\/outbox$/);
  await expect(page.getByTestId("outbox-item")).toContainText("离线写下：客户要求再报一次价");
  await expect(page.getByTestId("outbox-reason")).toContainText("已不在你名下");
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("outbox-discard").click();
  await expect(page.getByTestId("outbox-empty")).toBeVisible();
  await expect(page.getByTestId("outbox-count")).toHaveCount(0);

  // The colleague's customer never got the follow-up.
  await openHydrated(manager, url);
  await expect(manager.getByTestId("timeline")).not.toContainText("客户要求再报一次价");
});

test("signing out with unsent follow-ups asks first, then deletes them from the device", async ({ page, context, browser }) => {
  await refusedWhileOffline(page, context, browser, "退出前有未发送跟进的客户", "还没发出去的跟进");

  // Declined: still signed in, still kept.
  const asked: string[] = [];
  let answer = false;
  page.on("dialog", async (d) => {
    asked.push(d.message());
    await (answer ? d.accept() : d.dismiss()).catch(() => {});
  });
  await page.click("[data-testid=sign-out]");
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toContain("未发送的跟进");
  await expect(page.getByTestId("who")).toBeVisible();
  await expect(page.getByTestId("outbox-count")).toHaveText("1 条未发送");
  // Accepted: signed out, and nothing of it left in the browser.
  answer = true;
  await page.click("[data-testid=sign-out]");
  await expect(page).toHaveURL(/\/login/);
  expect(asked.length).toBe(2);
  expect(await page.evaluate(() => (window as any).kehuOutbox.list("rep_a"))).toBe("[]");
  await signIn(page, server, "rep_a");
  await expect(page.getByTestId("outbox-count")).toHaveCount(0);
});
