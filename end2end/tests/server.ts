// Starts and stops a real `kehu serve` for the browser tests, each on its own data directory
// and port, and can restart it on the same data to prove that nothing lives only in memory.
import { spawn, ChildProcess } from "node:child_process";
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

export class KehuServer {
  private proc?: ChildProcess;
  private output = "";

  private constructor(readonly dataDir: string, readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<KehuServer> {
    const dataDir = mkdtempSync(path.join(tmpdir(), "kehu-e2e-"));
    const server = new KehuServer(dataDir, await freePort());
    await server.launch();
    return server;
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
