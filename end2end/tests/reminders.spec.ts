// Live reminders in a real browser: two pages of the same rep are open; a reminder that
// becomes due (a follow-up's planned step, a snooze running out) or is handled in one page
// changes the header badge in the other within a second, also after the server restarted.
// The reminder center, the calendar feed and the admin's rule settings are used as a person
// would.
import { test, expect, Page, BrowserContext } from "@playwright/test";
import { KehuServer, openHydrated, signIn } from "./server";

let server: KehuServer;

test.beforeAll(async () => {
  server = await KehuServer.start();
});

test.afterAll(async () => {
  await server?.dispose();
});

test.describe.configure({ mode: "serial" });

const badge = (page: Page) => page.getByTestId("reminders-count");
/// How long a change may take to reach the other page.
const LIVE = { timeout: 1_000 };

/// A local date-time in the server's zone (+08:00, the default), as a datetime-local input
/// takes it, `seconds` from now.
function beijing(seconds: number): string {
  const at = new Date(Date.now() + seconds * 1000 + 8 * 3600 * 1000);
  // Chromium normalises a datetime-local value, dropping ":00" seconds; Playwright's fill
  // refuses a value that comes back changed, so write it the normalised way.
  return at.toISOString().slice(0, 19).replace(/:00$/, "");
}

function yesterday(): string {
  return new Date(Date.now() + 8 * 3600 * 1000 - 86_400_000).toISOString().slice(0, 10);
}

async function followUpWithStepDue(page: Page, profileUrl: string, step: string) {
  await openHydrated(page, profileUrl);
  const form = page.getByTestId("follow-up-form");
  await form.locator("textarea[name=summary]").fill("电话沟通需求");
  await form.locator("input[name=next_step]").fill(step);
  await form.locator("input[name=next_step_on]").fill(yesterday());
  await form.locator("button[type=submit]").click();
  await expect(page.locator("[data-testid=timeline] li.event").first()).toContainText("电话沟通需求");
}

async function twoPages(context: BrowserContext): Promise<[Page, Page]> {
  const one = await context.newPage();
  await signIn(one, server, "rep_a");
  const two = await context.newPage();
  await openHydrated(two, server.url + "/customers");
  return [one, two];
}

test("a reminder becoming due or handled in one page changes the badge in the other", async ({ context }) => {
  const [one, two] = await twoPages(context);
  await expect(badge(two)).toHaveCount(0);

  await openHydrated(one, server.url + "/customers/new");
  await one.fill("[name=name]", "提醒测试有限公司");
  await one.click("[data-testid=save]");
  await expect(one.getByTestId("customer-name")).toHaveText("提醒测试有限公司");
  const profileUrl = one.url();

  // A follow-up planning a step for yesterday: due at once, and the other page hears it.
  await followUpWithStepDue(one, profileUrl, "发送报价单");
  await expect(badge(two)).toHaveText("1", LIVE);

  // The reminder center lists it under today's date… and by kind, linked to the customer.
  await openHydrated(one, server.url + "/reminders");
  const item = one.getByTestId("due-list").getByTestId("reminder");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("提醒测试有限公司");
  await expect(item).toContainText("发送报价单");
  await expect(one.locator("[data-testid=due-list] .reminder-kind[data-kind=next_step] h4")).toContainText("下一步计划");
  await expect(badge(one)).toHaveText("1");

  // Done in one page: gone from both badges within a second.
  await item.getByTestId("reminder-done").click();
  await expect(one.getByTestId("due-list")).toContainText("没有待办提醒");
  await expect(badge(two)).toHaveCount(0, LIVE);
  await expect(badge(one)).toHaveCount(0, LIVE);

  // Another planned step, then a snooze: a past time is refused by the field; a time a few
  // seconds ahead takes it off the badge until then, and it comes back by itself.
  await followUpWithStepDue(one, profileUrl, "确认合同条款");
  await expect(badge(two)).toHaveText("1", LIVE);
  await openHydrated(one, server.url + "/reminders");
  const next = one.getByTestId("due-list").getByTestId("reminder");
  await next.getByTestId("snooze-until").fill(beijing(-3600));
  await next.getByTestId("reminder-snooze").click();
  await expect(next.locator(".field-error")).toContainText("请选择将来的时间");
  await expect(badge(two)).toHaveText("1");
  await next.getByTestId("snooze-until").fill(beijing(6));
  await next.getByTestId("reminder-snooze").click();
  await expect(one.getByTestId("upcoming-list").getByTestId("reminder")).toContainText("已推迟");
  await expect(badge(two)).toHaveCount(0, LIVE);
  await expect(badge(two)).toHaveText("1", { timeout: 10_000 });
  // The open reminder center follows too: the reminder is back among the due ones.
  await expect(one.getByTestId("due-list").getByTestId("reminder")).toContainText("确认合同条款", LIVE);

  // The server restarts; the open page reconnects by itself and still follows changes.
  await server.restart();
  await openHydrated(one, server.url + "/reminders");
  await expect(badge(one)).toHaveText("1");
  // Wait until the other page has reconnected: its stream resends the count on connect.
  await two.waitForTimeout(2_500);
  await one.getByTestId("due-list").getByTestId("reminder").getByTestId("reminder-dismiss").click();
  await expect(one.getByTestId("due-list")).toContainText("没有待办提醒");
  await expect(badge(two)).toHaveCount(0, LIVE);
});

/// A birthday (in 1990) that falls `days` from today in Beijing.
function birthdayIn(days: number): string {
  return "1990" + new Date(Date.now() + 8 * 3600 * 1000 + days * 86_400_000).toISOString().slice(4, 10);
}

test("the reminder center counts by kind and narrows the lists to one kind", async ({ context }) => {
  const [one] = await twoPages(context);
  await openHydrated(one, server.url + "/customers/new");
  await one.fill("[name=name]", "筛选测试有限公司");
  await one.click("[data-testid=save]");
  await expect(one.getByTestId("customer-name")).toHaveText("筛选测试有限公司");
  const profileUrl = one.url();
  // A step due now, and a contact whose birthday is in five days: two kinds.
  await followUpWithStepDue(one, profileUrl, "上门演示");
  const contacts = one.getByTestId("contacts");
  await contacts.getByRole("button", { name: "添加联系人" }).click();
  const form = one.getByTestId("contact-form");
  await form.locator("[name=name]").fill("周敏");
  await form.locator("[name=birthday]").fill(birthdayIn(5));
  await form.locator("button[type=submit]").click();
  await expect(contacts.locator("li.contact")).toContainText("周敏");

  await openHydrated(one, server.url + "/reminders");
  const filter = one.getByTestId("kind-filter");
  await expect(filter.locator("button[data-kind=all]")).toContainText("全部 2");
  await expect(filter.locator("button[data-kind=all]")).toHaveAttribute("aria-pressed", "true");
  await expect(one.getByTestId("due-count")).toHaveText("1");
  await expect(one.getByTestId("upcoming-count")).toHaveText("1");

  // Birthdays only: nothing due, the birthday coming.
  await filter.locator("button[data-kind=birthday]").click();
  await expect(filter.locator("button[data-kind=birthday]")).toHaveAttribute("aria-pressed", "true");
  await expect(one.getByTestId("due-list")).toContainText("没有待办提醒");
  await expect(one.getByTestId("due-count")).toHaveText("0");
  await expect(one.getByTestId("upcoming-list").getByTestId("reminder")).toContainText("周敏");

  // Handled while narrowed: the list stays narrowed, and says so, with none of that kind left.
  await one.getByTestId("upcoming-list").getByTestId("reminder").getByTestId("reminder-dismiss").click();
  await expect(one.getByTestId("upcoming-list")).toContainText("30 天内没有新的提醒");
  await expect(filter.locator("button[data-kind=birthday]")).toContainText("生日 0");
  await expect(filter.locator("button[data-kind=birthday]")).toHaveAttribute("aria-pressed", "true");
  await expect(one.getByTestId("due-count")).toHaveText("0");

  // Back to everything: the step is still due.
  await filter.locator("button[data-kind=all]").click();
  await expect(filter).toHaveCount(0); // one kind left: nothing to choose between
  await expect(one.getByTestId("due-list").getByTestId("reminder")).toContainText("上门演示");
  await one.getByTestId("due-list").getByTestId("reminder").getByTestId("reminder-done").click();
  await expect(one.getByTestId("due-list")).toContainText("没有待办提醒");
});

test("the calendar feed is a secret address that can be revoked", async ({ context, request }) => {
  const [one] = await twoPages(context);
  await openHydrated(one, server.url + "/reminders");
  const panel = one.getByTestId("calendar-feed");
  await expect(panel.getByTestId("calendar-none")).toBeVisible();
  await panel.getByTestId("calendar-new").click();
  const address = await panel.getByTestId("calendar-address").inputValue();
  expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/calendar\/[0-9a-f]{64}\.ics$/);
  await expect(panel.getByTestId("calendar-active")).toBeVisible();
  const feed = await request.get(address);
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toContain("text/calendar");
  expect(await feed.text()).toContain("BEGIN:VCALENDAR");
  // Reloading never shows the secret again; revoking makes the address dead.
  await one.reload();
  await expect(panel.getByTestId("calendar-active")).toBeVisible();
  await expect(panel.getByTestId("calendar-address")).toHaveCount(0);
  await panel.getByTestId("calendar-revoke").click();
  await expect(panel.getByTestId("calendar-none")).toBeVisible();
  expect((await request.get(address)).status()).toBe(404);
});

test("an admin tunes the rules; a bad number is refused by its field", async ({ page }) => {
  await signIn(page, server, "admin");
  await page.getByTestId("nav-reminder-rules").click();
  const form = page.getByTestId("rules-form");
  await expect(form.locator("[name=renewal_days]")).toHaveValue("30");
  await form.locator("[name=renewal_days]").fill("0");
  await form.getByTestId("rules-save").click();
  await expect(form.locator("label.field:has([name=renewal_days]) .field-error")).toContainText("1 到 365");
  await form.locator("[name=renewal_days]").fill("45");
  await form.getByTestId("rules-save").click();
  await expect(page.getByTestId("rules-saved")).toBeVisible();
  await page.reload();
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 30_000 });
  await expect(form.locator("[name=renewal_days]")).toHaveValue("45");
  // A rep does not get the page.
  await page.getByTestId("sign-out").click();
  await signIn(page, server, "rep_b");
  await expect(page.getByTestId("nav-reminder-rules")).toHaveCount(0);
});

test("care dates are added on the profile, checked by field, and kept", async ({ page }) => {
  await signIn(page, server, "rep_a");
  await openHydrated(page, server.url + "/customers/new");
  await page.fill("[name=name]", "关怀日测试有限公司");
  await page.click("[data-testid=save]");
  await expect(page.getByTestId("customer-name")).toHaveText("关怀日测试有限公司");
  const panel = page.getByTestId("care-dates");
  await expect(panel).toContainText("还没有关怀日");
  const form = page.getByTestId("care-form");
  await form.locator("[name=label]").fill("司庆");
  await form.locator("[name=date]").fill("02-30");
  await form.locator("button[type=submit]").click();
  await expect(form.locator("label.field:has([name=date]) .field-error")).toBeVisible();
  await expect(panel.getByTestId("care-date")).toHaveCount(0);
  await form.locator("[name=date]").fill("9月10日");
  await form.locator("button[type=submit]").click();
  await expect(panel.getByTestId("care-date")).toHaveText(/09-10 · 司庆/);
  await page.reload();
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId("care-date")).toHaveText(/09-10 · 司庆/);
});
