// Starts and stops a real `kehu serve` for the browser tests, each on its own data directory
// and port, and can restart it on the same data to prove that nothing lives only in memory.
import { spawn, spawnSync, ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import net from "node:net";
import { expect, Page } from "@playwright/test";

const BIN = process.env.KEHU_BIN ?? path.resolve(__dirname, "../../target/debug/kehu");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) {
      throw new Error(`kehu exited with ${proc.exitCode}:\n${log()}`);
    }
    try {
      const res = await fetch(url + "/healthz");
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`kehu did not become healthy at ${url}:\n${log()}`);
}

/// A user made on the command line before the server starts.
export interface Person {
  username: string;
  name: string;
  role: "admin" | "manager" | "rep" | "service";
  team?: string;
  region?: string;
}

export const PASSWORD = "a long e2e password";

/// The fixture company: an admin, and two teams with a manager and a rep each.
export const PEOPLE: Person[] = [
  { username: "admin", name: "管理员", role: "admin" },
  { username: "mgr_a", name: "经理甲", role: "manager", team: "华东组", region: "华东" },
  { username: "rep_a", name: "销售甲", role: "rep", team: "华东组" },
  { username: "rep_c", name: "销售丙", role: "rep", team: "华东组" },
  { username: "mgr_b", name: "经理乙", role: "manager", team: "华南组", region: "华南" },
  { username: "rep_b", name: "销售乙", role: "rep", team: "华南组" },
];

function addUser(dataDir: string, p: Person): void {
  const args = ["user", "add", "--data", `surrealkv://${dataDir}`, "--username", p.username, "--display-name", p.name, "--role", p.role];
  if (p.team) args.push("--team", p.team);
  if (p.region) args.push("--region", p.region);
  const result = spawnSync(BIN, args, { input: PASSWORD + "\n", encoding: "utf8", env: { ...process.env, KEHU_LOG: "warn" } });
  if (result.status !== 0) {
    throw new Error(`kehu user add ${p.username} failed: ${result.stderr}${result.stdout}`);
  }
}

export class KehuServer {
  private proc?: ChildProcess;
  private output = "";

  private constructor(readonly dataDir: string, readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /// A server on a fresh store with `people` in it (none: a first start, setup pending).
  static async start(people: Person[] = PEOPLE): Promise<KehuServer> {
    const dataDir = mkdtempSync(path.join(tmpdir(), "kehu-e2e-"));
    for (const p of people) addUser(dataDir, p);
    const server = new KehuServer(dataDir, await freePort());
    await server.launch();
    return server;
  }

  /// The running process's id.
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /// What the server printed so far (the setup link, say).
  get log(): string {
    return this.output;
  }

  private async launch(): Promise<void> {
    this.output = "";
    this.proc = spawn(
      BIN,
      ["serve", "--listen", `127.0.0.1:${this.port}`, "--data", `surrealkv://${this.dataDir}`, "--lang", "zh-CN"],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, KEHU_LOG: "warn" } },
    );
    this.proc.stdout?.on("data", (d) => (this.output += d));
    this.proc.stderr?.on("data", (d) => (this.output += d));
    await waitHealthy(this.url, this.proc, () => this.output);
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  }

  /// Stops the process and starts a new one on the same data and port.
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/// Opens a page and waits until the wasm has taken it over.
export async function openHydrated(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 30_000 });
}

/// Signs in through the sign-in page and waits for the signed-in header (its bell shows at
/// every width; the name is only on wide screens).
export async function signIn(page: Page, server: KehuServer, username: string, password = PASSWORD): Promise<void> {
  await openHydrated(page, server.url + "/login");
  await page.fill("[name=username]", username);
  await page.fill("[name=password]", password);
  await page.click("[data-testid=login-form] button[type=submit]");
  await expect(page.getByTestId("notifications")).toBeVisible();
}

/** Waits until the service worker is active and controls this page. The worker's
 *  `clients.claim()` takes only documents that exist when it runs: a page whose navigation
 *  was in flight at that moment stays uncontrolled for its whole life (a CI run waited 90 s on
 *  one), while the next load of it is controlled, as a person's next page would be. */
export async function controlled(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (await page.evaluate(() => !!navigator.serviceWorker.controller)) return;
  const claimed = await page
    .waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 10_000 })
    .then(() => true, () => false);
  if (claimed) return;
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
}
