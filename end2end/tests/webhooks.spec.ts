// Webhooks in the browser: an admin subscribes a receiver (a real HTTP server started by
// the test) to new customers, copies its signing secret once, makes a customer, and sees
// the signed delivery arrive and in the subscription's log; a receiver answering 410 is
// unsubscribed.
import { test, expect } from "@playwright/test";
import { createHmac } from "node:crypto";
import http from "node:http";
import { AddressInfo } from "node:net";
import { KehuServer, openHydrated, signIn } from "./server";

interface Got {
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: KehuServer;
let receiver: http.Server;
const got: Got[] = [];
let answer = 200;

test.beforeAll(async () => {
  server = await KehuServer.start();
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});

test.afterAll(async () => {
  receiver?.close();
  await server?.dispose();
});

test("an admin subscribes a receiver, copies the secret once, and reads the delivery log", async ({ page }) => {
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/kehu`;
  await signIn(page, server, "admin");
  await openHydrated(page, server.url + "/admin/webhooks");
  await expect(page.getByTestId("webhook-none")).toBeVisible();

  // Nothing filled in: each field says what is missing, nothing is made.
  await page.click("[data-testid=webhook-save]");
  await expect(page.locator("label.field.invalid [name=name]")).toHaveCount(1);
  await expect(page.locator("fieldset.topics .field-error")).toBeVisible();
  await page.fill("[name=name]", "ERP 客户同步");
  await page.fill("[name=url]", "ftp://not-http");
  await page.check("input[name=topics][value=customer_created]");
  await page.click("[data-testid=webhook-save]");
  await expect(page.locator("label.field.invalid [name=url]")).toHaveCount(1);
  await expect(page.getByTestId("webhook-none")).toBeVisible();

  await page.fill("[name=url]", url);
  await page.click("[data-testid=webhook-save]");
  const secret = await page.getByTestId("webhook-secret").inputValue();
  expect(secret).toMatch(/^whsec_/);
  await expect(page.getByTestId("webhook-row")).toHaveCount(1);
  await expect(page.getByTestId("webhook-state")).toHaveText("启用");

  await openHydrated(page, server.url + "/customers/new");
  await page.fill("[name=name]", "Webhook 通知的客户");
  await page.click("[data-testid=save]");
  await expect(page.getByTestId("customer-name")).toHaveText("Webhook 通知的客户");

  // Sent by the server's sender within seconds, signed with the secret shown once.
  await expect.poll(() => got.length, { timeout: 15_000 }).toBe(1);
  const { headers, body } = got[0];
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`).digest("base64");
  expect(headers["webhook-signature"]).toBe(`v1,${expected}`);
  expect(JSON.parse(body).customer.name).toBe("Webhook 通知的客户");

  await openHydrated(page, server.url + "/admin/webhooks");
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
  await page.click("[data-testid=webhook-log]");
  await expect(page.getByTestId("delivery-row")).toHaveCount(1);
  await expect(page.getByTestId("delivery-status")).toHaveText("已送达");
  await expect(page.getByTestId("delivery-row")).toContainText("200");

  // "Send again" goes once more; the receiver now answers 410 and is unsubscribed.
  answer = 410;
  await page.click("[data-testid=delivery-resend]");
  await expect.poll(() => got.length, { timeout: 15_000 }).toBe(2);
  await expect(async () => {
    await openHydrated(page, server.url + "/admin/webhooks");
    await expect(page.getByTestId("webhook-state")).toHaveText("对方已退订（410）", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
});
