// Targets and performance (目标/业绩) in a real browser: the admin sets region 华东's year
// target in the grid (a bad amount is refused and writes nothing), cascades it to the team
// and the months, sets rep A's month target and makes the warning strict; rep A sees
// themselves behind pace, wins a deal and records its payment, and their progress, the
// badge and the leaderboard move; the manager's activity page shows the team.
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

const today = new Date().toISOString().slice(0, 10);
const year = today.slice(0, 4);
const month = today.slice(0, 7);

const cell = (page: Page, holder: string, period: string) => page.getByTestId(`target-${holder}-${period}`);

async function type(page: Page, holder: string, period: string, amount: string) {
  await cell(page, holder, period).fill(amount);
  await cell(page, holder, period).press("Tab");
}

test("the admin sets and cascades targets; a bad amount changes nothing", async ({ page }) => {
  await signIn(page, server, "admin");
  await openHydrated(page, `${server.url}/targets?year=${year}&metric=signed`);
  await expect(page.getByTestId("target-row").first()).toHaveAttribute("data-holder", "company");

  await type(page, "region:华南", year, "十二万");
  await expect(page.getByTestId("target-error")).toContainText("金额");
  await openHydrated(page, `${server.url}/targets?year=${year}&metric=signed`);
  await expect(cell(page, "region:华南", year)).toHaveValue("");

  await type(page, "region:华东", year, "1,200,000");
  await expect(page.getByTestId("target-saved")).toBeVisible();
  await expect(cell(page, "region:华东", year)).toHaveValue("1200000.00");
  const region = page.locator('[data-testid=target-row][data-holder="region:华东"]');
  await region.getByTestId("cascade").locator("summary").click();
  await region.getByTestId("cascade-now").click();
  const team = page.locator('[data-testid=target-row][data-holder^="team:"]', { hasText: "华东组" });
  await expect(team.locator("input.target-cell").first()).toHaveValue("1200000.00");
  await expect(cell(page, "region:华东", month)).toHaveValue("100000.00");
  await expect(region.getByTestId("sums-ok")).toContainText("合计一致");

  await type(page, "person:rep_a", month, "100000");
  await expect(cell(page, "person:rep_a", month)).toHaveValue("100000.00");
  await page.screenshot({ path: "test-results/targets-desktop.png", fullPage: true });

  // The warning from the first day, at one point behind: whoever has nothing yet is behind.
  await openHydrated(page, `${server.url}/performance?period=${month}`);
  await page.getByTestId("warn-from").fill("1");
  await page.getByTestId("warn-behind").fill("1");
  await page.getByTestId("save-settings").click();
  await expect(page.getByTestId("settings-saved")).toBeVisible();
  // Weights that do not add up to 100 are refused.
  await page.getByTestId("weight-signed").fill("90");
  await page.getByTestId("save-settings").click();
  await expect(page.getByTestId("settings-error")).toContainText("100");
});

test("a rep behind pace wins a deal and its payment; progress and the leaderboard move", async ({ page }) => {
  await signIn(page, server, "rep_a");
  await openHydrated(page, `${server.url}/performance?period=${month}`);
  const mine = page.locator('[data-testid=progress-row][data-holder="person:rep_a"][data-metric=signed]');
  await expect(mine).toContainText("¥0.00 / ¥100,000.00");
  await expect(mine.getByTestId("behind")).toBeVisible();
  await expect(page.getByTestId("board-row")).toHaveCount(3);
  await expect(page.locator("[data-testid=board-row][data-user=rep_b]")).toHaveCount(0);

  // A won deal with its contract, and half of it paid today.
  await openHydrated(page, server.url + "/customers/new");
  await page.fill("[name=name]", "目标测试有限公司");
  await page.click("[data-testid=save]");
  await expect(page.getByTestId("customer-name")).toHaveText("目标测试有限公司");
  await page.click("[data-testid=new-deal]");
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1);
  await page.fill("[name=title]", "CRM 年度订阅");
  await page.fill("[name=amount]", "120000");
  await page.fill("[name=expected_close]", `${Number(year) + 1}-03-31`);
  await page.fill("[name=needs_analysis]", "五十个席位");
  await page.click("[data-testid=deal-form] button[type=submit]");
  await expect(page.getByTestId("deal-title")).toHaveText("CRM 年度订阅");
  await page.click("[data-testid=move-proposal]");
  await expect(page.getByTestId("deal-stage")).toHaveText("方案提交");
  await page.fill("[name='lines.0.product']", "CRM 席位");
  await page.fill("[name='lines.0.quantity']", "50");
  await page.fill("[name='lines.0.unit_price']", "2400");
  await page.fill("[data-testid=quote-form] [name=valid_until]", `${Number(year) + 1}-01-31`);
  await page.click("[data-testid=quote-form] button[type=submit]");
  await expect(page.getByTestId("quote-link")).toHaveCount(1);
  await page.fill("[data-testid=contract-form] [name=number]", "HT-TARGET-1");
  await page.fill("[data-testid=contract-form] [name=amount]", "120000");
  await page.fill("[data-testid=contract-form] [name=start]", today);
  await page.fill("[data-testid=contract-form] [name=end]", `${Number(year) + 1}-12-31`);
  await page.fill("[data-testid=contract-form] [name=signed_on]", today);
  await page.click("[data-testid=contract-form] button[type=submit]");
  await expect(page.getByTestId("payment-form")).toBeVisible();
  await page.fill("[data-testid=payment-form] [name=date]", today);
  await page.fill("[data-testid=payment-form] [name=amount]", "60000");
  await page.click("[data-testid=payment-form] button[type=submit]");
  await expect(page.getByTestId("collection-rate")).toContainText("50.0%");
  await page.click("[data-testid=move-negotiation]");
  // Each move re-renders the stage buttons; the next click waits for the first to land.
  await expect(page.getByTestId("deal-stage")).toHaveText("商务谈判");
  await page.click("[data-testid=move-signing]");
  await expect(page.getByTestId("deal-stage")).toHaveText("签约");
  await page.click("[data-testid=mark-won]");
  await expect(page.getByTestId("deal-status")).toHaveText("已赢单");

  await page.getByTestId("nav-performance").click();
  await expect(page).toHaveURL(/\/performance/);
  await openHydrated(page, `${server.url}/performance?period=${month}`);
  await expect(mine).toContainText("¥120,000.00 / ¥100,000.00");
  await expect(mine.getByTestId("behind")).toHaveCount(0);
  const first = page.getByTestId("board-row").first();
  await expect(first).toHaveAttribute("data-user", "rep_a");
  await expect(first.getByTestId("board-signed")).toHaveText("¥120,000.00");
  await expect(first.getByTestId("board-collected")).toHaveText("¥60,000.00");
  await page.screenshot({ path: "test-results/performance-desktop.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/performance-phone.png", fullPage: true });

  // The leaderboard as a file, as the page shows it.
  const csv = await page.request.get(`${server.url}/api/performance/board.csv?period=${month}`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain("1,销售甲,120000,60000");
});

test("the manager sees the team's progress and activity", async ({ page }) => {
  await signIn(page, server, "mgr_a");
  await openHydrated(page, `${server.url}/performance?period=${year}`);
  await expect(page.locator('[data-testid=progress-row][data-holder="region:华东"]')).toContainText("¥120,000.00 / ¥1,200,000.00");
  await expect(page.locator("[data-testid=board-row][data-user=rep_a]")).toBeVisible();
  await page.getByRole("link", { name: "活动" }).first().click();
  await expect(page).toHaveURL(/\/activity/);
  await expect(page.getByTestId("activity-page")).toBeVisible();
  await expect(page.getByTestId("heatmap")).toBeVisible();
  await expect(page.getByTestId("holder").first()).toBeVisible();
  await page.screenshot({ path: "test-results/activity-desktop.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await openHydrated(page, `${server.url}/targets?year=${year}&metric=signed`);
  await page.screenshot({ path: "test-results/targets-phone.png", fullPage: true });
});
