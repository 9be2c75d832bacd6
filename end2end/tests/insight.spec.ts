// Orders and insight as a person uses them: a catalogue, an order entered on the profile
// (and refused when dated tomorrow), the order on the timeline, a CSV import with a bad
// line reported by number, the insight page's segments leading to the filtered customer
// list, and a report with its chart and CSV download.
import { test, expect, Page } from "@playwright/test";
import { KehuServer, openHydrated, signIn } from "./server";

let server: KehuServer;

test.beforeAll(async () => {
  server = await KehuServer.start();
});

test.afterAll(async () => {
  await server?.dispose();
});

test.describe.configure({ mode: "serial" });

function beijingDay(offsetDays: number): string {
  return new Date(Date.now() + 8 * 3600 * 1000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

async function addProduct(page: Page, name: string, price: string) {
  const form = page.getByTestId("product-form");
  await form.locator("input[name=name]").fill(name);
  await form.locator("input[name=category]").fill("软件");
  await form.locator("input[name=price]").fill(price);
  await form.getByTestId("product-save").click();
  await expect(page.getByTestId("products")).toContainText(name);
}

let profileUrl = "";

test("an order entered on the profile shows in its panel and on the timeline", async ({ page }) => {
  await signIn(page, server, "admin");
  await openHydrated(page, server.url + "/products");
  await addProduct(page, "ERP", "12,800");
  await addProduct(page, "OA", "3000");
  // A price that is not a number is refused by its field.
  await page.getByTestId("product-form").locator("input[name=name]").fill("坏价格");
  await page.getByTestId("product-form").locator("input[name=price]").fill("很贵");
  await page.getByTestId("product-save").click();
  await expect(page.getByTestId("product-form")).toContainText("金额");
  await expect(page.getByTestId("products")).not.toContainText("坏价格");

  await openHydrated(page, server.url + "/customers/new");
  await page.fill("[name=name]", "洞察测试有限公司");
  await page.click("[data-testid=save]");
  await expect(page.getByTestId("customer-name")).toHaveText("洞察测试有限公司");
  profileUrl = page.url();
  await openHydrated(page, profileUrl);

  const form = page.getByTestId("order-form");
  const line = form.getByTestId("order-line").first();
  await line.locator("select").selectOption({ label: "ERP" });
  // The catalogue price is offered as the amount.
  await expect(line.locator("input[name='lines.0.amount']")).toHaveValue("12800.00");
  await line.locator("input[name='lines.0.quantity']").fill("2");
  await line.locator("input[name='lines.0.amount']").fill("25600");
  // Dated tomorrow: refused at the date field, nothing saved.
  await form.locator("input[name=on]").fill(beijingDay(1));
  await form.getByTestId("order-save").click();
  await expect(form).toContainText("不能晚于今天");
  await expect(page.getByTestId("order")).toHaveCount(0);

  await form.locator("input[name=on]").fill(beijingDay(0));
  await form.getByTestId("order-save").click();
  await expect(page.getByTestId("order")).toHaveCount(1);
  await expect(page.getByTestId("order")).toContainText("¥25,600.00");
  await expect(page.getByTestId("timeline-order")).toContainText("ERP × 2");

  // The insight panel scores the customer once the batch has run on the new order.
  await openHydrated(page, profileUrl);
  await expect(page.getByTestId("segment")).toBeVisible({ timeout: 15_000 });
});

test("an import keeps the good lines and reports the bad one by line number", async ({ page }) => {
  await signIn(page, server, "admin");
  await openHydrated(page, server.url + "/import");
  const csv = [
    "客户,日期,产品,数量,金额",
    `洞察测试有限公司,${beijingDay(-40)},OA,3,9000`,
    `洞察测试有限公司,${beijingDay(-400)},没有这个产品,1,100`,
    `洞察测试有限公司,${beijingDay(-80)},ERP,1,12800`,
  ].join("\n");
  await page.getByTestId("import-file").setInputFiles({ name: "orders.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  await page.getByTestId("import-start").click();
  await expect(page.getByTestId("imported-lines")).toHaveText("2");
  await expect(page.getByTestId("rejected-lines")).toHaveText("1");
  await expect(page.getByTestId("import-problems")).toContainText("3");
  await expect(page.getByTestId("import-problems")).toContainText("没有这个产品");

  await openHydrated(page, profileUrl);
  await expect(page.getByTestId("order")).toHaveCount(3);
});

test("the insight page leads from a segment to its customers, and reports download as CSV", async ({ page }) => {
  await signIn(page, server, "admin");
  await openHydrated(page, server.url + "/insight");
  const segments = page.getByTestId("segments");
  await expect(segments).toBeVisible();
  await expect(page.getByTestId("rf-grid")).toBeVisible();
  await expect(page.getByTestId("forecast")).toBeVisible();
  // The one scored customer is in exactly one segment; its link filters the list.
  const row = segments.locator("tr", { has: page.locator("td.num", { hasText: /^1$/ }) }).first();
  await row.locator("a").click();
  await expect(page).toHaveURL(/segment=/);
  await expect(page.locator("main")).toContainText("洞察测试有限公司");

  await openHydrated(page, server.url + "/reports?kind=products");
  await expect(page.getByTestId("chart")).toBeVisible();
  await expect(page.getByTestId("report-table")).toContainText("ERP");
  const href = await page.getByTestId("report-csv").getAttribute("href");
  const response = await page.request.get(server.url + href);
  expect(response.status()).toBe(200);
  const text = await response.text();
  expect(text).toContain("产品");
  expect(text).toContain("ERP");
});

test("competitors configured with aliases are found in follow-ups and counted", async ({ page }) => {
  await signIn(page, server, "admin");
  await openHydrated(page, server.url + "/competitors");
  const form = page.getByTestId("competitor-form");
  await form.locator("input[name=name]").fill("用友");
  await form.locator("input[name=aliases]").fill("Yonyou，U8");
  await form.getByTestId("competitor-save").click();
  await expect(page.getByTestId("competitors")).toContainText("Yonyou、U8");
  // The same name again is refused by its field.
  await page.getByTestId("competitor-form").locator("input[name=name]").fill("用友");
  await page.getByTestId("competitor-form").getByTestId("competitor-save").click();
  await expect(page.getByTestId("competitor-form")).toContainText("已存在");

  await openHydrated(page, profileUrl);
  const followUp = page.getByTestId("follow-up-form");
  await followUp.locator("textarea[name=summary]").fill("客户说 yonyou 的报价更低");
  await followUp.locator("button[type=submit]").click();
  await expect(page.getByTestId("timeline")).toContainText("客户说 yonyou 的报价更低");

  await openHydrated(page, server.url + "/competitors");
  const report = page.getByTestId("competitor-report");
  await expect(report.locator("tbody tr").first()).toContainText("用友");
  await expect(report).toContainText("洞察测试有限公司");
});
