// After-sales in a real browser: a rep hands a customer's complaint to service from the
// profile (a complaint without its category is refused by its field and writes nothing);
// the manager it was given to finds it in their queue and works it on the profile: a reply
// told to the customer, then solved with a resolution; the SLA shows as met, the queue is
// empty again, and the rep sees it solved. Solving sent a satisfaction survey: the customer
// answers its link without signing in (a low score with its reason), which opens a complaint
// ticket for the rep and leads the manager's complaint analysis.
import { test, expect, Page } from "@playwright/test";
import { KehuServer, PEOPLE, openHydrated, signIn } from "./server";

let server: KehuServer;

test.beforeAll(async () => {
  server = await KehuServer.start();
});

test.afterAll(async () => {
  await server?.dispose();
});

const form = (page: Page) => page.getByTestId("ticket-form");
const fieldError = (page: Page, name: string) => form(page).locator(`label.field:has([name="${name}"]) .field-error`);

test("a rep hands a complaint to service; the manager solves it", async ({ page }) => {
  await signIn(page, server, "rep_a");
  await openHydrated(page, server.url + "/customers/new");
  await page.selectOption("select[name=kind]", "company");
  await page.fill('[name="name"]', "售后测试有限公司");
  await page.click("[data-testid=save]");
  await expect(page.getByTestId("customer-name")).toHaveText("售后测试有限公司");
  const profileUrl = page.url();
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1);
  await expect(page.getByTestId("tickets-none")).toBeVisible();

  // A complaint needs its category: refused by the field, nothing written.
  await page.getByTestId("open-ticket").click();
  await form(page).locator("[name=title]").fill("发货延迟两周");
  await form(page).locator("select[name=kind]").selectOption("complaint");
  await form(page).locator("select[name=priority]").selectOption("high");
  await form(page).locator("select[name=assignee]").selectOption("mgr_a");
  await form(page).locator("button[type=submit]").click();
  await expect(fieldError(page, "category")).toBeVisible();
  await expect(page.getByTestId("ticket")).toHaveCount(0);

  await form(page).locator("select[name=category]").selectOption("物流");
  await form(page).locator("button[type=submit]").click();
  const ticket = page.getByTestId("ticket").first();
  await expect(ticket).toContainText("发货延迟两周");
  await expect(ticket.getByTestId("ticket-status")).toHaveText("新建");
  await expect(ticket).toContainText("经理甲");
  await expect(ticket.getByTestId("sla").first()).toContainText("首次响应");

  // The manager it was given to finds it in their queue and opens it.
  await page.context().clearCookies();
  await signIn(page, server, "mgr_a");
  await openHydrated(page, server.url + "/tickets");
  const row = page.getByTestId("queue-row").first();
  await expect(row).toContainText("发货延迟两周");
  await expect(row).toContainText("售后测试有限公司");
  await row.locator("a").first().click();
  await expect(page.getByTestId("customer-name")).toHaveText("售后测试有限公司");
  await openHydrated(page, profileUrl);
  const theirs = page.getByTestId("ticket").first();
  await theirs.locator("summary").click();
  await theirs.locator("textarea[name=body]").fill("已联系物流，明天送达");
  await theirs.locator("input[name=to_customer]").check();
  await theirs.getByTestId("ticket-note-form").locator("button[type=submit]").click();
  await expect(theirs.getByTestId("ticket-note")).toContainText("已联系物流，明天送达");
  await expect(theirs.getByTestId("sla").first()).toContainText("达标");

  // Solving needs a resolution.
  await theirs.getByTestId("move-solved").click();
  await expect(theirs.locator("label.field:has([name=resolution]) .field-error")).toBeVisible();
  await theirs.locator("textarea[name=resolution]").fill("补发，客户已签收");
  await theirs.getByTestId("move-solved").click();
  await expect(theirs.getByTestId("ticket-status")).toHaveText("已解决");
  await expect(theirs).toContainText("补发，客户已签收");

  // Solving sent a CSAT survey: its link is on the profile to copy into WeChat, or to scan.
  const survey = page.getByTestId("survey").first();
  await expect(survey).toContainText("CSAT");
  await expect(survey).toContainText("待回答");
  await expect(survey.locator(".qr svg")).toBeVisible();
  const link = await survey.getByTestId("survey-url").inputValue();
  expect(link).toMatch(/\/s\/[0-9a-f]{64}$/);

  // The customer opens it (no sign-in) with a score chosen by the link; a low score needs a
  // reason, then it is answered once.
  const customerContext = await page.context().browser()!.newContext();
  const customer = await customerContext.newPage();
  await openHydrated(customer, link + "?score=2");
  await expect(customer.locator(".score.chosen")).toHaveText("2");
  await expect(customer.getByTestId("survey-thanks")).toHaveCount(0);
  await customer.getByTestId("survey-submit").click();
  await expect(customer.locator(".survey-reasons .field-error")).toBeVisible();
  await customer.locator(".survey-reasons .chip", { hasText: "物流" }).click();
  await customer.locator("textarea[name=comment]").fill("快递又丢件了");
  await customer.getByTestId("survey-submit").click();
  await expect(customer.getByTestId("survey-thanks")).toContainText("转给负责人");
  await openHydrated(customer, link);
  await expect(customer.getByTestId("survey-closed")).toContainText("已经回答过");
  // A wrong token: the last character changed (to one it is not).
  await openHydrated(customer, link.slice(0, -1) + (link.endsWith("0") ? "1" : "0"));
  await expect(customer.getByRole("alert")).toContainText("找不到这份调查");
  await customerContext.close();

  // Back on the profile: the answer, and a complaint ticket for the owner (the rep).
  await openHydrated(page, profileUrl);
  await expect(page.getByTestId("latest-csat")).toContainText("2（物流）");
  await expect(page.getByTestId("survey-answer").first()).toContainText("快递又丢件了");
  const complaint = page.getByTestId("ticket").filter({ has: page.locator("summary strong", { hasText: "CSAT 2 · 物流" }) });
  await expect(complaint).toContainText("销售甲");
  await expect(complaint.getByTestId("ticket-status")).toHaveText("新建");
  await expect(page.getByTestId("signal-complaint")).toContainText("CSAT 2 · 物流");
  await expect(page.getByTestId("signal-low-score")).toContainText("CSAT 2（物流）");
  // The timeline tells the story too: the ticket opened and solved, the complaint opened.
  await expect(page.getByTestId("timeline-ticket-solved")).toContainText("发货延迟两周：补发，客户已签收");
  await expect(page.getByTestId("timeline-ticket")).toHaveCount(2);

  // The manager's after-sales report: the reason leads the complaint analysis, with its ticket.
  await page.getByTestId("nav-service-report").click();
  const reason = page.getByTestId("pareto-row").first();
  await expect(reason).toContainText("物流");
  await expect(reason).toContainText("100.0%");
  await reason.locator("summary").click();
  await expect(reason.locator(".pareto-tickets")).toContainText("CSAT 2 · 物流");
  // Joined to orders: the customer has none, so both complaints name no product or carrier.
  await expect(reason.getByTestId("pareto-origin")).toContainText("涉及产品：— 2 · 承运商：— 2");
  await expect(page.getByTestId("kpi-csat")).toContainText("0.0%");
  await expect(page.getByTestId("agents")).toContainText("经理甲");
  await openHydrated(page, server.url + "/tickets");
  await expect(page.getByTestId("queue-empty")).toBeVisible();

  // The rep sees it solved, with the reply, after signing in again.
  await page.context().clearCookies();
  await signIn(page, server, "rep_a");
  await openHydrated(page, profileUrl);
  // (The complaint the survey opened is the newest; the handed-over one is found by title.)
  const solved = page.getByTestId("ticket").filter({ has: page.locator("summary strong", { hasText: "发货延迟两周" }) });
  await expect(solved.getByTestId("ticket-status")).toHaveText("已解决");
  await solved.locator("summary").click();
  await expect(solved.getByTestId("ticket-note")).toContainText("已告知客户");
});

test("the admin sets holidays, a make-up Saturday, a VIP policy and an after-sales survey step", async ({ page }) => {
  await signIn(page, server, "admin");
  await openHydrated(page, server.url + "/admin/service");
  const settings = page.getByTestId("service-settings-form");
  await expect(settings.locator("input[name=mon]")).toHaveValue("09:00-12:00, 13:30-18:00");

  // A line that is not a date is named by its number; nothing is saved.
  await settings.locator("textarea[name=holidays]").fill("2026-10-01~2026-10-07 国庆节\n十月八日");
  await settings.getByTestId("service-settings-save").click();
  await expect(settings.locator("label.field:has([name=holidays]) .field-error")).toContainText("第 2 行");

  await settings.locator("textarea[name=holidays]").fill("2026-10-01~2026-10-07 国庆节");
  await settings.locator("textarea[name=make_up_days]").fill("2026-10-10");
  await settings.getByTestId("add-policy").click();
  const vip = settings.getByTestId("sla-policy").last();
  await vip.locator("input[name=name]").fill("VIP");
  await vip.locator("input[name=tag]").fill("VIP");
  await vip.locator("input[name=first_response_hours]").fill("0.5");
  await vip.locator("input[name=resolution_hours]").fill("2");
  // An after-sales plan step: a CSAT survey three months after the win. Typed days that are
  // not a number are refused by the cell.
  await settings.getByTestId("add-care-step").click();
  const step = settings.getByTestId("care-step").last();
  await step.locator("select[name=kind]").selectOption("csat");
  await step.locator("input[name=days]").fill("九十");
  await settings.getByTestId("service-settings-save").click();
  await expect(step.locator("td:has([name=days]) .field-error")).toContainText("730");
  await step.locator("input[name=days]").fill("90");
  await settings.getByTestId("service-settings-save").click();
  await expect(page.getByTestId("service-settings-saved")).toBeVisible();

  await page.reload();
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1);
  await expect(settings.locator("textarea[name=holidays]")).toHaveValue("2026-10-01~2026-10-07");
  await expect(settings.locator("textarea[name=make_up_days]")).toHaveValue("2026-10-10");
  await expect(settings.getByTestId("sla-policy").last().locator("input[name=first_response_hours]")).toHaveValue("0.5");
  await expect(settings.getByTestId("care-step")).toHaveCount(2);
  await expect(settings.getByTestId("care-step").last().locator("select[name=kind]")).toHaveValue("csat");
  await expect(settings.getByTestId("care-step").last().locator("input[name=days]")).toHaveValue("90");
});

test("a service agent takes a ticket from the desk and works it beside the customer's profile", async ({ browser }) => {
  const desk = await KehuServer.start([...PEOPLE, { username: "svc_a", name: "客服甲", role: "service", team: "华东组" }]);
  try {
    const page = await browser.newPage();
    await signIn(page, desk, "rep_a");
    await openHydrated(page, desk.url + "/customers/new");
    await page.selectOption("select[name=kind]", "company");
    await page.fill('[name="name"]', "客服测试有限公司");
    await page.click("[data-testid=save]");
    await expect(page.getByTestId("customer-name")).toHaveText("客服测试有限公司");
    await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1);
    await page.getByTestId("open-ticket").click();
    await form(page).locator("[name=title]").fill("安装后无法联网");
    await form(page).locator("select[name=kind]").selectOption("installation");
    await form(page).locator("button[type=submit]").click();
    await expect(page.getByTestId("ticket").first()).toContainText("待分配");

    // The agent finds it on the desk (given to nobody), opens the customer read only.
    await page.context().clearCookies();
    await signIn(page, desk, "svc_a");
    await expect(page.getByTestId("nav-pipeline")).toHaveCount(0);
    await openHydrated(page, desk.url + "/tickets?scope=unassigned");
    const row = page.getByTestId("queue-row").first();
    await expect(row).toContainText("安装后无法联网");
    await row.locator("a").first().click();
    await expect(page.getByTestId("customer-name")).toHaveText("客服测试有限公司");
    await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1);
    await expect(page.getByTestId("customer-deals")).toHaveCount(0);

    // Takes it, and replies to the customer.
    const ticket = page.getByTestId("ticket").first();
    await ticket.locator("summary").click();
    await ticket.locator("select[name=assignee]").selectOption("svc_a");
    await expect(ticket.locator("summary")).toContainText("客服甲");
    await ticket.locator("textarea[name=body]").fill("明天上门调试");
    await ticket.locator("input[name=to_customer]").check();
    await ticket.getByTestId("ticket-note-form").locator("button[type=submit]").click();
    await expect(ticket.getByTestId("ticket-note")).toContainText("明天上门调试");
    await openHydrated(page, desk.url + "/tickets");
    await expect(page.getByTestId("queue-row").first()).toContainText("安装后无法联网");
  } finally {
    await desk.dispose();
  }
});
