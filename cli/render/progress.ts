import type { Reporter } from "../../core/deploy/reporter.ts";
import { logger } from "../logger.ts";
import { err } from "../out.ts";

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/**
 * A Reporter for the terminal: log lines through consola on stderr and, when stderr is a TTY, one
 * live progress bar per item redrawn in place; plain lines otherwise.
 */
export function terminalReporter(): Reporter {
  const tty = !!process.stderr.isTTY && !process.env.CI;
  const bars = new Map<string, string>();
  let drawn = 0;
  const redraw = () => {
    if (!tty) return;
    if (drawn) err(`\x1b[${drawn}A`);
    for (const line of bars.values()) err(`\x1b[2K${line}\n`);
    drawn = bars.size;
  };
  const clearBars = () => {
    if (!tty || !drawn) return;
    err(`\x1b[${drawn}A`);
    for (let i = 0; i < drawn; i++) err("\x1b[2K\n");
    err(`\x1b[${drawn}A`);
    drawn = 0;
  };
  const log = (fn: (m: string) => void) => (message: string) => {
    clearBars();
    fn(message);
    redraw();
  };
  const lastPlain = new Map<string, number>();
  const started = new Map<string, number>();
  let lastDraw = 0;
  return {
    info: log((m) => logger.info(m)),
    warn: log((m) => logger.warn(m)),
    error: log((m) => logger.error(m)),
    debug: log((m) => logger.debug(m)),
    success: log((m) => logger.success(m)),
    progress(id, current, total, status) {
      if (!started.has(id)) started.set(id, performance.now());
      const seconds = (performance.now() - (started.get(id) as number)) / 1000;
      const speed = seconds > 0.2 ? `  ${(current / 1e6 / seconds).toFixed(0)} MB/s` : "";
      if (tty) {
        const width = 30;
        const filled = total ? Math.min(width, Math.round((current / total) * width)) : 0;
        bars.set(
          id,
          `  ${id}  [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${mb(current)} / ${mb(total)}${speed}  ${status}`,
        );
        // At most ten redraws a second: a fast copy would otherwise spend its time painting.
        const now = performance.now();
        if (now - lastDraw >= 100) {
          lastDraw = now;
          redraw();
        }
        return;
      }
      // Plain output: a line every 25%.
      const step = total ? Math.floor((current / total) * 4) : 0;
      if (step > (lastPlain.get(id) ?? -1)) {
        lastPlain.set(id, step);
        logger.info(`${id}: ${mb(current)} / ${mb(total)}${speed}`);
      }
    },
    progressDone(id, status) {
      bars.delete(id);
      clearBars();
      logger.success(`${id}: ${status}`);
      redraw();
    },
  };
}
