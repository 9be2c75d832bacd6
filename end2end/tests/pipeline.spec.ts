// The funnel board in the browser: a deal started from a customer's profile, dragged with
// the mouse to the next stage (and still there after a reload), a blocked move explained on
// the card, the keyboard menu, and a refused move rolled back with the server's reason.
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

async function newDeal(page: Page, customer: string, title: string): Promise<string> {
  await openHydrated(page, server.url + "/customers/new");
  await page.fill("[name=name]", customer);
  await page.click("[data-testid=save]");
  await expect(page.getByTestId("customer-name")).toHaveText(customer);
  await page.click("[data-testid=new-deal]");
  await expect(page.getByTestId("deal-form")).toBeVisible();
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1);
  await page.fill("[name=title]", title);
  await page.fill("[name=amount]", "88,000");
  await page.fill("[name=expected_close]", "2027-03-31");
  await page.click("[data-testid=deal-form] button[type=submit]");
  await expect(page.getByTestId("deal-title")).toHaveText(title);
  return page.url().split("/deals/")[1];
}

function card(page: Page, id: string) {
  return page.locator(`[data-testid=deal-card][data-deal="${id}"]`);
}

/// Drags a card onto a column with real mouse movements (press, several moves, release).
async function drag(page: Page, id: string, stage: string) {
  const from = await card(page, id).locator(".card-amount").boundingBox();
  const to = await page.getByTestId(`column-${stage}`).boundingBox();
  if (!from || !to) throw new Error("card or column not on screen");
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 20, from.y + 10, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + 60, { steps: 10 });
  await page.mouse.up();
}

test("a deal is dragged to the next stage, saved, and still there after a reload", async ({ page }) => {
  await signIn(page, server, "rep_a");
  const id = await newDeal(page, "拖拽测试科技有限公司", "CRM 采购");
  await openHydrated(page, server.url + "/pipeline");
  await expect(page.getByTestId("column-contact").locator(`[data-deal="${id}"]`)).toBeVisible();
  await drag(page, id, "needs");
  await expect(page.getByTestId("column-needs").locator(`[data-deal="${id}"]`)).toBeVisible();
  await expect(page.getByTestId("count-needs")).toHaveText("1");
  // Shown at once; saved when the card is no longer busy.
  await expect(card(page, id)).toHaveAttribute("aria-busy", "false");
  await page.reload();
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId("column-needs").locator(`[data-deal="${id}"]`)).toBeVisible();
});

test("a blocked move is explained on the card and nothing moves", async ({ page }) => {
  await signIn(page, server, "rep_a");
  await openHydrated(page, server.url + "/pipeline");
  const id = (await page.getByTestId("column-needs").getByTestId("deal-card").first().getAttribute("data-deal"))!;
  // Before trying, the card already says what the next stage needs.
  await expect(card(page, id).getByTestId("card-needs")).toContainText("需求分析记录");
  await drag(page, id, "proposal");
  await expect(card(page, id).getByTestId("card-refused")).toContainText("还缺：需求分析记录");
  await expect(page.getByTestId("column-needs").locator(`[data-deal="${id}"]`)).toBeVisible();
  await page.reload();
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId("column-needs").locator(`[data-deal="${id}"]`)).toBeVisible();
});

test("the move menu works from the keyboard, and a stale move is rolled back with the reason", async ({ page, browser }) => {
  await signIn(page, server, "rep_a");
  await openHydrated(page, server.url + "/pipeline");
  const id = (await page.getByTestId("column-needs").getByTestId("deal-card").first().getAttribute("data-deal"))!;
  // Someone else (the manager, in their own browser) moves it back meanwhile.
  const context = await browser.newContext();
  const other = await context.newPage();
  await signIn(other, server, "mgr_a");
  await openHydrated(other, server.url + "/deals/" + id);
  await other.click("[data-testid=move-contact]");
  await expect(other.getByTestId("stage-history")).toContainText("需求分析 → 初步接洽");
  // This page still shows the old position; moving from it is refused and rolled back.
  await card(page, id).getByTestId("move-to").selectOption("contact");
  await expect(card(page, id).getByTestId("card-refused")).toContainText("已被他人修改");
  await expect(page.getByTestId("column-contact").locator(`[data-deal="${id}"]`)).toBeVisible();
  // With the fresh board the menu moves it, using only the keyboard.
  const menu = card(page, id).getByTestId("move-to");
  await menu.focus();
  await menu.selectOption("needs");
  await expect(page.getByTestId("column-needs").locator(`[data-deal="${id}"]`)).toBeVisible();
  await expect(card(page, id)).toHaveAttribute("aria-busy", "false");
  await page.reload();
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId("column-needs").locator(`[data-deal="${id}"]`)).toBeVisible();
  await context.close();
});

test("a deal is worked to a win: analysis, quote, printable quote, signed contract, payment, its after-sales plan", async ({ page }) => {
  await signIn(page, server, "rep_a");
  const id = await newDeal(page, "赢单流程测试有限公司", "OA 全员部署");
  // Not yet: the stage strip says what 方案提交 needs, and winning is not offered.
  await expect(page.getByTestId("stage-strip")).toContainText("还缺：需求分析记录");
  await expect(page.getByTestId("mark-won")).toBeDisabled();

  await page.fill("[name=needs_analysis]", "三百人，需要审批流与移动端");
  await page.click("[data-testid=deal-form] button[type=submit]");
  await expect(page.getByTestId("stage-strip")).not.toContainText("还缺：需求分析记录");
  await page.click("[data-testid=move-proposal]");
  await expect(page.getByTestId("deal-stage")).toHaveText("方案提交");

  // A quote with two lines, one discounted; the total is computed as typed and on the page.
  await page.fill("[name='lines.0.product']", "OA 授权");
  await page.fill("[name='lines.0.quantity']", "300");
  await page.fill("[name='lines.0.unit_price']", "200");
  await page.fill("[name='lines.0.discount']", "10");
  await page.getByRole("button", { name: "添加明细" }).click();
  await page.fill("[name='lines.1.product']", "实施服务");
  await page.fill("[name='lines.1.unit_price']", "8000");
  await page.fill("[data-testid=quote-form] [name=valid_until]", "2027-01-31");
  await expect(page.locator(".quote-total")).toContainText("¥62,000.00");
  await page.click("[data-testid=quote-form] button[type=submit]");
  await expect(page.getByTestId("quote-link")).toHaveCount(1);
  await page.getByTestId("quote-link").click();
  await expect(page.getByTestId("quote-total")).toHaveText("¥62,000.00");
  await expect(page.getByTestId("quote-sheet")).toContainText("赢单流程测试有限公司");
  await page.goBack();
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1);

  // A contract dated in the future is refused by field; a signed one opens 签约 and the win.
  await page.fill("[data-testid=contract-form] [name=number]", "HT-2026-088");
  await page.fill("[data-testid=contract-form] [name=amount]", "62000");
  await page.fill("[data-testid=contract-form] [name=start]", "2026-12-01");
  await page.fill("[data-testid=contract-form] [name=end]", "2027-11-30");
  await page.fill("[data-testid=contract-form] [name=signed_on]", "2099-01-01");
  await page.click("[data-testid=contract-form] button[type=submit]");
  await expect(page.getByTestId("contract-form").locator(".field-error")).toContainText("日期不能晚于今天");
  await page.fill("[data-testid=contract-form] [name=signed_on]", "2026-11-01");
  await page.click("[data-testid=contract-form] button[type=submit]");
  await expect(page.getByTestId("payment-form")).toBeVisible();
  await page.fill("[data-testid=payment-form] [name=date]", "2026-11-02");
  await page.fill("[data-testid=payment-form] [name=amount]", "31000");
  await page.click("[data-testid=payment-form] button[type=submit]");
  await expect(page.getByTestId("collection-rate")).toContainText("50.0%");

  await page.click("[data-testid=move-negotiation]");
  await expect(page.getByTestId("deal-stage")).toHaveText("商务谈判");
  await page.click("[data-testid=move-signing]");
  await expect(page.getByTestId("deal-stage")).toHaveText("签约");
  await page.click("[data-testid=mark-won]");
  await expect(page.getByTestId("deal-status")).toHaveText("已赢单");
  await expect(page.getByTestId("stage-history")).toContainText("签约 → 已赢单");

  // The customer is now 成交, with the win on its timeline; the deal has left the board.
  await page.getByRole("link", { name: "赢单流程测试有限公司" }).first().click();
  await expect(page.locator(".profile-meta .stage")).toHaveText("成交");
  await expect(page.getByTestId("timeline")).toContainText("赢单：OA 全员部署");
  // Its after-sales plan (the default one): a visit a week after the win, then the renewal
  // talk before the contract ends.
  const plan = page.getByTestId("deal-plan");
  await expect(plan).toContainText("OA 全员部署");
  await expect(plan).toContainText("默认计划");
  await expect(plan.getByTestId("plan-step").first()).toContainText("回访");
  await expect(plan.getByTestId("plan-step").first()).toContainText("成交后 7 天");
  await expect(plan.getByTestId("plan-step").first()).toHaveAttribute("data-state", "Upcoming");
  await expect(plan.getByTestId("plan-step").last()).toContainText("续约沟通");
  await openHydrated(page, server.url + "/pipeline");
  await expect(page.locator(`[data-deal="${id}"]`)).toHaveCount(0);
});

test("on a phone a card is dragged by its grip with a finger, and moved with the menu by tap", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, server, "rep_a");
  const id = await newDeal(page, "触屏拖拽科技有限公司", "OA 移动审批");
  await openHydrated(page, server.url + "/pipeline");
  await expect(page.getByTestId("column-contact").locator(`[data-deal="${id}"]`)).toBeVisible();
  const grip = await card(page, id).locator(".grip").boundingBox();
  const to = await page.getByTestId("column-needs").boundingBox();
  if (!grip || !to) throw new Error("grip or column not on screen");
  // The next column peeks in at the phone's right edge: the finger goes there. Real touch
  // events (the browser makes them pointer events, as on a phone).
  const cdp = await context.newCDPSession(page);
  const [x0, y0] = [grip.x + grip.width / 2, grip.y + grip.height / 2];
  const [x1, y1] = [Math.min(to.x + 40, 380), to.y + 60];
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: x0, y: y0 }] });
  for (let i = 1; i <= 12; i++) {
    const f = i / 12;
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: x0 + (x1 - x0) * f, y: y0 + (y1 - y0) * f }] });
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await expect(page.getByTestId("column-needs").locator(`[data-deal="${id}"]`)).toBeVisible();
  await expect(card(page, id)).toHaveAttribute("aria-busy", "false");
  // The menu, by tap: back to the first stage.
  await card(page, id).getByTestId("move-to").selectOption("contact");
  await expect(page.getByTestId("column-contact").locator(`[data-deal="${id}"]`)).toBeVisible();
  await expect(card(page, id)).toHaveAttribute("aria-busy", "false");
  await page.reload();
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId("column-contact").locator(`[data-deal="${id}"]`)).toBeVisible();
  await context.close();
});
