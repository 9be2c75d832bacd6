// The very first start: no admin exists, the server prints a one-time link, and the person
// who runs it creates the admin account there.
import { test, expect } from "@playwright/test";
import { KehuServer, openHydrated } from "./server";

test("the setup link creates the first admin and then stops working", async ({ page }) => {
  const server = await KehuServer.start([]);
  try {
    const link = server.log.match(/http:\/\/\S+\/setup\?token=[0-9a-f]+/)?.[0];
    expect(link, server.log).toBeTruthy();
    await openHydrated(page, link!.replace(/http:\/\/[^/]+/, server.url));
    await page.fill("[name=username]", "boss");
    await page.fill("[name=display_name]", "老板");
    await page.fill("[name=password]", "short");
    await page.click("[data-testid=setup-form] button[type=submit]");
    await expect(page.locator("label.field:has([name=password]) .field-error")).toHaveText("至少 10 个字符。");
    await page.fill("[name=password]", "a proper long password");
    await page.click("[data-testid=setup-form] button[type=submit]");
    await expect(page.getByTestId("who")).toHaveText("老板");
    await expect(page.getByTestId("nav-users")).toBeVisible();

    await openHydrated(page, link!.replace(/http:\/\/[^/]+/, server.url));
    await expect(page.locator(".banner.error")).toContainText("初始化链接无效或已使用");
  } finally {
    await server.dispose();
  }
});
