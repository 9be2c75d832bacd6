// The customer 360 path a rep walks every day, in a real browser against a real server:
// create, find by search in both languages, open the profile, log a follow-up, and still
// see it after a reload and after the server restarts. Bad input is refused with a clear
// message and writes nothing.
import { test, expect, Page } from "@playwright/test";
import { KehuServer, openHydrated, signIn } from "./server";

let server: KehuServer;

test.beforeAll(async () => {
  server = await KehuServer.start();
});

test.afterAll(async () => {
  await server?.dispose();
});

const rows = (page: Page) => page.locator("table.customers tbody tr");
const fieldError = (page: Page, name: string) =>
  page.locator(`label.field:has([name="${name}"]) .field-error`);

async function createCustomer(page: Page, fields: Record<string, string>, kind = "company") {
  await openHydrated(page, server.url + "/customers/new");
  await page.selectOption("select[name=kind]", kind);
  for (const [name, value] of Object.entries(fields)) {
    await page.fill(`[name="${name}"]`, value);
  }
  await page.click("[data-testid=save]");
  await expect(page.getByTestId("customer-name")).toHaveText(fields.name);
}

test.describe.configure({ mode: "serial" });

test.beforeEach(async ({ page }) => {
  await signIn(page, server, "rep_a");
});

test("create, search in Chinese and English, follow up, reload, restart", async ({ page }) => {
  await createCustomer(page, {
    name: "张三科技有限公司",
    phone: "010-8888 6666",
    email: "contact@zskj.cn",
    industry: "互联网/软件",
    region: "华东",
    source: "官网",
    address: "上海市浦东新区张江路 88 号",
  });
  // The address opens in the phone's map app (高德's page hands over to its app).
  const address = page.getByTestId("address");
  await expect(address).toContainText("上海市浦东新区张江路 88 号");
  await expect(address.locator("a").first()).toHaveAttribute("href", /^https:\/\/uri\.amap\.com\/search\?keyword=%E4%B8%8A%E6%B5%B7/);
  await expect(address.locator("a[data-map=apple]")).toHaveAttribute("href", /^https:\/\/maps\.apple\.com\/\?q=/);
  await createCustomer(page, { name: "Zhang Wei", phone: "+86 138 0013 8000", region: "华北" }, "person");

  // Chinese interface, Chinese query.
  await openHydrated(page, server.url + "/customers");
  await expect(page.locator("input[name=q]")).toHaveAttribute("placeholder", /搜索/);
  await page.fill("input[name=q]", "科技");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("张三科技有限公司");
  await expect(page).toHaveURL(/q=%E7%A7%91%E6%8A%80/);

  // English interface, Latin query; the switch happens in place.
  await page.click("button[data-lang=en]");
  await expect(page.locator("input[name=q]")).toHaveAttribute("placeholder", /Search/);
  await page.fill("input[name=q]", "ZHANG");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Zhang Wei");
  await expect(page.getByTestId("result-count")).toHaveText("1 customer");

  // The profile, and a follow-up that appears without a reload.
  await rows(page).first().locator("a").first().click();
  await expect(page.getByTestId("customer-name")).toHaveText("Zhang Wei");
  const profileUrl = page.url();
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1);
  await page.selectOption("[data-testid=follow-up-form] select[name=kind]", "visit");
  await page.fill("[data-testid=follow-up-form] textarea[name=summary]", "Visited HQ, demoed the ERP module");
  await page.fill("[data-testid=follow-up-form] input[name=next_step]", "Send the contract draft");
  await page.click("[data-testid=follow-up-form] button[type=submit]");
  const firstEvent = page.locator("[data-testid=timeline] li.event").first();
  await expect(firstEvent).toContainText("Visited HQ, demoed the ERP module");
  await expect(firstEvent).toContainText("Visit");
  await expect(firstEvent).toContainText("销售甲");
  await expect(page.locator("[data-testid=follow-up-form] textarea[name=summary]")).toHaveValue("");

  // A reload keeps the follow-up and the chosen language.
  await page.reload();
  await expect(page.locator("[data-testid=timeline] li.event").first()).toContainText("Visited HQ");
  await expect(page.locator("[data-testid=timeline] h2")).toHaveText("Timeline");

  // So does a restart of the server on the same data; the session survives it too.
  await server.restart();
  await openHydrated(page, profileUrl);
  await expect(page.locator("[data-testid=timeline] li.event").first()).toContainText("Send the contract draft");
  await expect(page.getByTestId("customer-name")).toHaveText("Zhang Wei");

  // Back to Chinese for the tests that follow.
  await page.click("button[data-lang=zh-CN]");
  await expect(page.locator("[data-testid=timeline] h2")).toHaveText("跟进时间线");
});

test("bad input gets a clear message per field and writes nothing", async ({ page }) => {
  await openHydrated(page, server.url + "/customers/new");
  await page.click("[data-testid=save]");
  await expect(fieldError(page, "name")).toHaveText("必填。");

  await page.fill("[name=name]", "坏数据测试客户");
  await page.fill("[name=phone]", "12345abc");
  await page.fill("[name=email]", "not-an-email");
  await page.click("[data-testid=save]");
  await expect(fieldError(page, "phone")).toContainText("电话号码格式不正确");
  await expect(fieldError(page, "email")).toContainText("邮箱格式不正确");
  await expect(fieldError(page, "name")).toHaveCount(0);

  // A 10 MB name: refused by length, in the reader's language.
  await page.fill("[name=phone]", "");
  await page.fill("[name=email]", "");
  await page.fill("[name=name]", "名".repeat(10 * 1024 * 1024 / 3));
  await page.click("[data-testid=save]");
  await expect(fieldError(page, "name")).toHaveText("不能超过 200 个字符。");
  await expect(page).toHaveURL(/\/customers\/new$/);

  // Nothing of it reached the store.
  await openHydrated(page, server.url + "/customers?q=" + encodeURIComponent("坏数据"));
  await expect(page.getByTestId("no-matches")).toBeVisible();
});

test("a possible duplicate is shown before saving and can be overridden", async ({ page }) => {
  await createCustomer(page, { name: "星河贸易有限公司", phone: "13900001111" });

  await openHydrated(page, server.url + "/customers/new");
  await page.fill("[name=name]", "星河国际物流");
  await page.fill("[name=phone]", "139-0000-1111");
  await page.locator("[name=phone]").blur();
  const warning = page.getByTestId("duplicates");
  await expect(warning).toContainText("星河贸易有限公司");
  await expect(warning).toContainText("销售甲");

  await page.click("[data-testid=save]");
  await expect(page.getByTestId("save-anyway")).toBeVisible();
  await page.click("[data-testid=save-anyway]");
  await expect(page.getByTestId("customer-name")).toHaveText("星河国际物流");
});

test("tags and contacts are edited on the profile; the list filters by tag", async ({ page }) => {
  await createCustomer(page, { name: "远航医疗器械股份有限公司", region: "华南" });
  const tags = page.getByTestId("tags");
  await tags.locator("select").selectOption("value");
  await tags.locator("input[name=tag]").fill("VIP");
  await tags.locator("button[type=submit]").click();
  await expect(tags.locator(".tag-value")).toContainText("VIP");

  const contacts = page.getByTestId("contacts");
  await contacts.getByRole("button", { name: "添加联系人" }).click();
  const form = page.getByTestId("contact-form");
  await form.locator("[name=name]").fill("李娜");
  await form.locator("[name=title]").fill("采购经理");
  await form.locator("[name=birthday]").fill("2999-01-01");
  await form.locator("button[type=submit]").click();
  await expect(form.locator("label.field:has([name=birthday]) .field-error")).toHaveText("日期不能晚于今天。");
  await form.locator("[name=birthday]").fill("1990-02-28");
  await form.locator("[name=email]").fill("li.na@yuanhang-med.cn");
  await form.locator("button[type=submit]").click();
  await expect(contacts.locator("li.contact")).toContainText("李娜");
  await expect(contacts.locator("li.contact")).toContainText("1990-02-28");

  // The contact's name is searchable and the tag is a list filter.
  await openHydrated(page, server.url + "/customers?q=" + encodeURIComponent("李娜"));
  await expect(rows(page)).toHaveCount(1);
  await openHydrated(page, server.url + "/customers?tag=" + encodeURIComponent("value:VIP"));
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("远航医疗器械股份有限公司");

  // Removing the tag takes it off the filter.
  await rows(page).first().locator("a").first().click();
  await page.getByTestId("tags").locator(".tag-value button").click();
  await expect(page.getByTestId("tags").locator(".tag-value")).toHaveCount(0);
});

test("a do-not-disturb window is checked, shown while in force, and kept", async ({ page }) => {
  await signIn(page, server, "rep_a");
  await openHydrated(page, server.url + "/customers/new");
  await page.fill("[name=name]", "免打扰测试有限公司");
  await page.click("[data-testid=save]");
  await expect(page.getByTestId("customer-name")).toHaveText("免打扰测试有限公司");
  await expect(page.getByTestId("dnd")).toContainText("没有免打扰时段");
  const form = page.getByTestId("dnd-form");
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  // Backwards dates: a message by the field, nothing saved.
  await form.locator("[name=from]").fill(day(3));
  await form.locator("[name=to]").fill(day(1));
  await form.locator("[name=reason]").fill("客户出差");
  await form.locator("button[type=submit]").click();
  await expect(form.locator(".field-error")).toContainText("结束日期不能早于开始日期");
  await expect(page.getByTestId("dnd-window")).toHaveCount(0);
  // A week starting today: in force now, shown as a banner.
  await form.locator("[name=from]").fill(day(0));
  await form.locator("[name=to]").fill(day(6));
  await form.locator("button[type=submit]").click();
  await expect(page.getByTestId("dnd-active")).toContainText("客户出差");
  await page.reload();
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId("dnd-active")).toContainText("客户出差");
  await expect(page.getByTestId("dnd-window")).toHaveCount(1);
});
