// Bringing customers in as a person does it: an Excel workbook uploaded, a column the guess
// left out mapped by hand, the dry run read (two to create, one refused with its reason),
// the import run, the customers found in the list with what the file said, and the whole
// import undone from the list of recent imports.
import { test, expect } from "@playwright/test";
import path from "node:path";
import { KehuServer, openHydrated, signIn } from "./server";

let server: KehuServer;

test.beforeAll(async () => {
  server = await KehuServer.start();
});

test.afterAll(async () => {
  await server?.dispose();
});

test("an XLSX import: mapping, dry run, import, find, undo", async ({ page }) => {
  await signIn(page, server, "admin");
  await openHydrated(page, server.url + "/customers/import");
  await page.getByTestId("customer-import-file").setInputFiles(path.resolve(__dirname, "../fixtures/customers.xlsx"));
  const mapping = page.getByTestId("customer-import-mapping");
  await expect(mapping).toBeVisible();
  await expect(page.getByTestId("customer-import-rows")).toHaveText("3");
  // 公司名称, 联系人 and 座机 are recognised; 等级 is the person's to map: to tags.
  await expect(page.getByTestId("map-0")).toHaveValue("name");
  await expect(page.getByTestId("map-3")).toHaveValue("");
  await page.getByTestId("map-3").selectOption("tags");

  await page.getByTestId("customer-import-check").click();
  await expect(page.getByTestId("dry-create")).toHaveText("2");
  await expect(page.getByTestId("dry-refuse")).toHaveText("1");
  // The refused row by its line, named by the file's own column.
  await expect(page.getByTestId("dry-problems")).toContainText("4");
  await expect(page.getByTestId("dry-problems")).toContainText("公司名称");
  // The error sheet downloads as a workbook, like the file that came in.
  const download = page.waitForEvent("download");
  await page.getByTestId("customer-import-errors").click();
  expect((await download).suggestedFilename()).toBe("kehu-import-errors.xlsx");

  await page.getByTestId("customer-import-start").click();
  await expect(page.getByTestId("customer-import-done")).toContainText("2");
  await expect(page.getByTestId("recent-import")).toHaveCount(1);

  await openHydrated(page, server.url + "/customers?q=" + encodeURIComponent("浏览器导入"));
  await expect(page.locator("table tbody tr")).toHaveCount(2);
  await page.getByRole("link", { name: "浏览器导入科技有限公司" }).click();
  await expect(page.locator("body")).toContainText("VIP");
  await expect(page.locator("body")).toContainText("赵敏");

  await openHydrated(page, server.url + "/customers/import");
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("undo-import").click();
  await expect(page.getByTestId("undo-report")).toContainText("2");
  await openHydrated(page, server.url + "/customers?q=" + encodeURIComponent("浏览器导入"));
  await expect(page.getByTestId("no-matches")).toBeVisible();
});
