// Accounts and data ownership in the browser: signing in and out, a rep kept out of a
// colleague's customer, claiming from the lead pool, a manager reassigning, and the
// conflict shown when two people edit the same customer.
import { test, expect, Browser, Page } from "@playwright/test";
import { KehuServer, openHydrated, signIn, PASSWORD } from "./server";

let server: KehuServer;

test.beforeAll(async () => {
  server = await KehuServer.start();
});

test.afterAll(async () => {
  await server?.dispose();
});

test.describe.configure({ mode: "serial" });

/// A second person at another computer: their own browser context and cookies.
async function asSomeoneElse(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server, username);
  return page;
}

async function createCustomer(page: Page, name: string, owner?: string): Promise<string> {
  await openHydrated(page, server.url + "/customers/new");
  await page.fill("[name=name]", name);
  if (owner !== undefined) await page.selectOption("select[name=owner]", owner);
  await page.click("[data-testid=save]");
  await expect(page.getByTestId("customer-name")).toHaveText(name);
  return page.url();
}

test("pages need a session; wrong passwords are refused; signing out ends it", async ({ page }) => {
  await page.goto(server.url + "/customers");
  await expect(page).toHaveURL(/\/login\?next=/);
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 30_000 });
  await page.fill("[name=username]", "rep_a");
  await page.fill("[name=password]", "not the password");
  await page.click("[data-testid=login-form] button[type=submit]");
  await expect(page.locator("[data-testid=login-form] .banner.error")).toHaveText("用户名或密码错误。");
  await page.fill("[name=password]", PASSWORD);
  await page.click("[data-testid=login-form] button[type=submit]");
  await expect(page).toHaveURL(/\/customers$/);
  await expect(page.getByTestId("who")).toHaveText("销售甲");

  await page.click("[data-testid=sign-out]");
  await expect(page).toHaveURL(/\/login/);
  await page.goto(server.url + "/customers");
  await expect(page).toHaveURL(/\/login/);
});

test("a rep cannot open a colleague's customer by its URL", async ({ page, browser }) => {
  await signIn(page, server, "rep_b");
  const url = await createCustomer(page, "乙的秘密客户有限公司");
  const other = await asSomeoneElse(browser, "rep_a");
  await openHydrated(other, url);
  await expect(other.locator(".banner.error")).toContainText("找不到该记录");
  await expect(other.locator("body")).not.toContainText("乙的秘密客户有限公司");
  // Nor does it show up in search.
  await openHydrated(other, server.url + "/customers?q=" + encodeURIComponent("秘密"));
  await expect(other.getByTestId("no-matches")).toBeVisible();
});

test("a rep claims from the pool and the manager reassigns", async ({ page, browser }) => {
  await signIn(page, server, "admin");
  const url = await createCustomer(page, "公海里的新线索", "");
  await expect(page.getByTestId("owner")).toHaveText("无负责人");

  const rep = await asSomeoneElse(browser, "rep_a");
  await openHydrated(rep, server.url + "/customers?owner=~pool");
  await rep.locator("table.customers a", { hasText: "公海里的新线索" }).click();
  await rep.click("[data-testid=claim]");
  await expect(rep.getByTestId("owner")).toHaveText("销售甲");

  const manager = await asSomeoneElse(browser, "mgr_a");
  await openHydrated(manager, url);
  await expect(manager.getByTestId("owner")).toHaveText("销售甲");
  await manager.selectOption("select[name=assignee]", "rep_c");
  await manager.click("[data-testid=assign]");
  await expect(manager.getByTestId("owner")).toHaveText("销售丙");

  // Rep A no longer has it.
  await openHydrated(rep, url);
  await expect(rep.locator(".banner.error")).toContainText("找不到该记录");
});

test("two people editing one customer: the second sees both versions", async ({ page, browser }) => {
  await signIn(page, server, "rep_a");
  const url = await createCustomer(page, "并发编辑测试公司");
  const editUrl = url + "/edit";
  const second = await page.context().newPage();
  await openHydrated(page, editUrl);
  await openHydrated(second, editUrl);

  await page.fill("[name=phone]", "138 0000 1111");
  await page.click("[data-testid=save]");
  await expect(page.getByTestId("customer-name")).toHaveText("并发编辑测试公司");

  await second.fill("[name=phone]", "139 0000 2222");
  await second.click("[data-testid=save]");
  const conflict = second.getByTestId("conflict");
  await expect(conflict).toBeVisible();
  await expect(conflict.locator("tr[data-field=phone] .theirs")).toHaveText("138 0000 1111");
  await expect(conflict.locator("tr[data-field=phone] .mine")).toHaveText("139 0000 2222");
  await second.click("[data-testid=keep-mine]");
  await expect(second.getByTestId("customer-name")).toHaveText("并发编辑测试公司");
  await expect(second.getByTestId("details")).toContainText("139 0000 2222");
});

test("an admin adds a rep, and when the rep leaves hands their customers to a colleague", async ({ page, browser }) => {
  await signIn(page, server, "admin");
  await openHydrated(page, server.url + "/admin/users");
  await page.click("[data-testid=add-user]");
  const form = page.getByTestId("user-form");
  await form.locator("[name=username]").fill("rep_new");
  await form.locator("[name=display_name]").fill("新销售");
  await form.locator("[name=password]").fill("short");
  await form.locator("button[type=submit]").click();
  await expect(form.locator(".field-error")).toContainText("至少 10 个字符");
  await form.locator("[name=password]").fill("a long e2e password");
  await form.locator("button[type=submit]").click();
  await expect(page.locator("tr[data-username=rep_new]")).toContainText("新销售");

  // The new rep signs in and takes on a customer of their own.
  const context = await browser.newContext();
  const rep = await context.newPage();
  await signIn(rep, server, "rep_new");
  await expect(rep.getByTestId("who")).toHaveText("新销售");
  const url = await createCustomer(rep, "交接测试有限公司");

  // They leave: the admin deactivates them and hands their customers to 销售甲.
  await openHydrated(page, server.url + "/admin/users");
  await page.locator("tr[data-username=rep_new] button").click();
  await page.getByTestId("deactivate").locator("select[name=handover]").selectOption("rep_a");
  await page.getByTestId("deactivate").locator("button").click();
  await expect(page.locator("tr[data-username=rep_new]")).toContainText("已停用");
  await openHydrated(page, url);
  await expect(page.getByTestId("owner")).toHaveText("销售甲");

  // Their session is over and they cannot sign in again.
  await rep.goto(server.url + "/customers");
  await expect(rep).toHaveURL(/\/login/);
  await openHydrated(rep, server.url + "/login");
  await rep.fill("[name=username]", "rep_new");
  await rep.fill("[name=password]", "a long e2e password");
  await rep.click("[data-testid=login-form] button[type=submit]");
  await expect(rep.locator("[data-testid=login-form] .banner.error")).toContainText("该账号已停用");
  await context.close();
});
