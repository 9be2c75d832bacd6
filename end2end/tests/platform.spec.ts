// The open platform in the browser: a rep makes an API token, sees its secret once, calls
// the REST API with it (as themselves), revokes it, and the same call is refused.
import { test, expect } from "@playwright/test";
import { KehuServer, openHydrated, signIn } from "./server";

let server: KehuServer;

test.beforeAll(async () => {
  server = await KehuServer.start();
});

test.afterAll(async () => {
  await server?.dispose();
});

test("a token is shown once, works as its user, and stops when revoked", async ({ page, request }) => {
  await signIn(page, server, "rep_a");
  await openHydrated(page, server.url + "/account/tokens");
  await expect(page.getByTestId("token-none")).toBeVisible();

  // A nameless token is refused by its field, and nothing is made.
  await page.click("[data-testid=token-create]");
  await expect(page.locator("label.field.invalid [name=name]")).toHaveCount(1);
  await expect(page.getByTestId("token-none")).toBeVisible();

  await page.fill("[name=name]", "ERP 回款同步");
  await page.selectOption("[data-testid=token-scope]", "write");
  // A rep is not offered the admin scope.
  await expect(page.locator("[data-testid=token-scope] option[value=admin]")).toHaveCount(0);
  await page.click("[data-testid=token-create]");
  const secret = await page.getByTestId("token-secret").inputValue();
  expect(secret).toMatch(/^kehu_[0-9a-f]{64}$/);
  await expect(page.getByTestId("token-row")).toHaveCount(1);
  await expect(page.getByTestId("token-row")).toContainText("ERP 回款同步");
  await expect(page.getByTestId("token-row")).toContainText(secret.slice(0, 12));

  const me = await request.get(server.url + "/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).username).toBe("rep_a");
  const made = await request.post(server.url + "/api/v1/customers", {
    headers: { Authorization: `Bearer ${secret}`, "Idempotency-Key": "e2e-1" },
    data: { name: "API 写入的客户有限公司", phone: "13800138222" },
  });
  expect(made.status()).toBe(201);

  // Shown once: after a reload only its first characters remain, and the last use shows.
  await openHydrated(page, server.url + "/account/tokens");
  await expect(page.getByTestId("token-secret")).toHaveCount(0);
  await expect(page.getByTestId("token-row")).not.toContainText("未使用");
  // The customer it made is the rep's own, in their list.
  await openHydrated(page, server.url + "/customers?q=API 写入");
  await expect(page.locator("table.customers")).toContainText("API 写入的客户有限公司");

  await openHydrated(page, server.url + "/account/tokens");
  await page.click("[data-testid=token-revoke]");
  await expect(page.getByTestId("token-state")).toHaveText("已吊销");
  const refused = await request.get(server.url + "/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toBe("application/problem+json");
});
