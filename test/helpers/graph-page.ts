// `lab graph --srv` as tests and benchmarks drive it: started on a free loopback port, its URL read
// from what it says once it listens, and a headless Chromium (Debian's, through puppeteer-core).
import puppeteer, { type Browser, type Page } from "puppeteer-core";

export interface GraphServer {
  url: string;
  port: number;
  proc: ReturnType<typeof Bun.spawn>;
  stop(): Promise<void>;
}

/** Starts `lab graph -t FILE --srv 127.0.0.1:PORT [extra…]` and waits (bounded) until it serves. */
export async function startGraph(
  argv: string[],
  file: string,
  port: number,
  options: { extra?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<GraphServer> {
  const proc = Bun.spawn([...argv, "graph", "-t", file, "--srv", `127.0.0.1:${port}`, ...(options.extra ?? [])], {
    stdout: "ignore",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
  });
  const stop = async () => {
    proc.kill("SIGINT");
    await proc.exited;
  };
  const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader();
  let said = "";
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (!said.includes("serving") && Date.now() < deadline) {
    const next = await Promise.race([reader.read(), Bun.sleep(deadline - Date.now()).then(() => undefined)]);
    if (!next || next.done) break;
    said += new TextDecoder().decode(next.value);
  }
  reader.releaseLock();
  const url = /http:\/\/\S+/.exec(said)?.[0] ?? "";
  if (!url) {
    await stop();
    throw new Error(`lab graph did not start: ${said}`);
  }
  return { url, port, proc, stop };
}

export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}

/**
 * A page of the served graph, once it says it is ready; console errors and page errors are
 * collected into `errors` (a test asserts there are none).
 */
export async function openGraphPage(browser: Browser, url: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => document.documentElement.dataset.ready === "true", { timeout: 15_000 });
  return page;
}
