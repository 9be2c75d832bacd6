// Visit check-in (外勤签到) on a phone: a visit saved with "签到" records where the phone is —
// only with the person's permission — shows on the timeline with a map link, and in the
// manager's list of the team's visits that day. Refused permission records nothing.
import { test, expect, Browser, Page } from "@playwright/test";
import { KehuServer, openHydrated, signIn } from "./server";

let server: KehuServer;

test.beforeAll(async () => {
  server = await KehuServer.start();
});

test.afterAll(async () => {
  await server?.dispose();
});

const SHANGHAI = { latitude: 31.2304, longitude: 121.4737, accuracy: 20 };

async function phone(browser: Browser, username: string, allowLocation: boolean): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "zh-CN",
    geolocation: SHANGHAI, permissions: allowLocation ? ["geolocation"] : [],
  });
  const page = await context.newPage();
  await signIn(page, server, username);
  return page;
}

async function visit(page: Page, summary: string): Promise<void> {
  await page.getByTestId("jump-follow-up").tap();
  await expect(page.getByTestId("follow-up-form")).toBeInViewport();
  await page.selectOption("[data-testid=follow-up-form] select[name=kind]", "visit");
  await page.getByTestId("check-in").check();
  await page.fill("[data-testid=follow-up-form] textarea[name=summary]", summary);
  await page.getByTestId("follow-up-form").locator("button[type=submit]").tap();
}

test("a visit is checked in where the phone is, and the manager sees the team's day", async ({ browser }) => {
  const rep = await phone(browser, "rep_a", true);
  await openHydrated(rep, server.url + "/customers/new");
  await rep.fill("[name=name]", "签到测试客户");
  await rep.click("[data-testid=save]");
  await expect(rep.getByTestId("customer-name")).toHaveText("签到测试客户");
  const profile = rep.url();

  // The check-in choice is offered for a visit only.
  await expect(rep.getByTestId("check-in")).toHaveCount(0);
  await visit(rep, "上门演示，见了采购经理");
  const checkedIn = rep.getByTestId("checked-in");
  await expect(checkedIn).toHaveText("已签到 · 误差约 20 米");
  await expect(checkedIn).toHaveAttribute("href", /position=121\.473700,31\.230400&coordinate=wgs84/);
  // Saved, not just drawn: it is there after a reload.
  await openHydrated(rep, profile);
  await expect(rep.getByTestId("checked-in")).toHaveCount(1);

  // The manager's list of the day: the rep, the customer, the check-in.
  const manager = await phone(browser, "mgr_a", false);
  await openHydrated(manager, server.url + "/visits");
  const person = manager.getByTestId("visits-person");
  await expect(person).toContainText("销售甲");
  await expect(person.getByTestId("visit")).toContainText("签到测试客户");
  await expect(person.getByTestId("visit-checked-in")).toBeVisible();
  // Another team's manager sees none of it.
  const other = await phone(browser, "mgr_b", false);
  await openHydrated(other, server.url + "/visits");
  await expect(other.getByTestId("no-visits")).toBeVisible();
});

test("without permission to locate, nothing is recorded and the rep is told why", async ({ browser }) => {
  const rep = await phone(browser, "rep_a", false);
  await openHydrated(rep, server.url + "/customers/new");
  await rep.fill("[name=name]", "未授权定位客户");
  await rep.click("[data-testid=save]");
  await expect(rep.getByTestId("customer-name")).toHaveText("未授权定位客户");
  await visit(rep, "上门拜访");
  await expect(rep.getByTestId("check-in-failed")).toContainText("没有允许定位");
  await expect(rep.locator(".timeline .event-visit")).toHaveCount(0);
  // Unticked, it saves without a position.
  await rep.getByTestId("check-in").uncheck();
  await rep.getByTestId("follow-up-form").locator("button[type=submit]").tap();
  await expect(rep.locator(".timeline .event-visit")).toHaveCount(1);
  await expect(rep.getByTestId("checked-in")).toHaveCount(0);
});
