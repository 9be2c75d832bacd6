// A first-time user on an empty store can load demo data from the page and look around.
import { test, expect } from "@playwright/test";
import { KehuServer, openHydrated, signIn } from "./server";

let server: KehuServer;

test.beforeAll(async () => {
  server = await KehuServer.start();
});

test.afterAll(async () => {
  await server?.dispose();
});

test("an empty store offers demo data, which fills the list", async ({ page }) => {
  await signIn(page, server, "admin");
  await page.click("[data-testid=load-demo]");
  await expect(page.getByTestId("result-count")).toHaveText("共 300 位客户", { timeout: 60_000 });
  await expect(page.locator("table.customers tbody tr")).toHaveCount(25);

  // Filters and paging work on it.
  await page.selectOption("select[name=stage]", "customer");
  await expect(page).toHaveURL(/stage=customer/);
  await expect(page.locator("table.customers tbody tr .stage-customer").first()).toBeVisible();
  await page.click("a[rel=next]");
  await expect(page).toHaveURL(/page=2/);

  // The funnel has sample deals in it too, won ones among them.
  await openHydrated(page, server.url + "/pipeline");
  await expect(page.getByTestId("deal-card").first()).toBeVisible();
  await openHydrated(page, server.url + "/funnel");
  await expect(page.getByTestId("win-rate")).not.toContainText("(0/0)");
});
