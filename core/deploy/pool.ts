import { LabError } from "../errors.ts";

export interface PoolOptions {
  maxWorkers: number;
  signal?: AbortSignal;
  /**
   * Items in different lanes (a lab's hosts) do not compete: `maxWorkers` applies to each lane.
   * Without lanes every item is in one.
   */
  lane?: (id: string) => string;
}

/**
 * Runs `task` for every item once all of its dependencies finished, at most `maxWorkers` at a time.
 * The first failure (or an abort) stops new tasks from starting; running ones finish; all failures
 * are reported together.
 */
export async function runWithDependencies<T>(
  items: { id: string; deps: string[]; value: T }[],
  task: (value: T, signal: AbortSignal) => Promise<void>,
  options: PoolOptions,
): Promise<void> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) controller.abort(options.signal.reason);

  const done = new Set<string>();
  const started = new Set<string>();
  const failures: { id: string; error: unknown }[] = [];
  let running = 0;
  const perLane = new Map<string, number>();
  const laneOf = (id: string) => options.lane?.(id) ?? "";

  await new Promise<void>((resolve) => {
    const pump = () => {
      if (!controller.signal.aborted) {
        for (const item of items) {
          const lane = laneOf(item.id);
          if ((perLane.get(lane) ?? 0) >= Math.max(1, options.maxWorkers)) continue;
          if (started.has(item.id) || !item.deps.every((d) => done.has(d))) continue;
          started.add(item.id);
          running++;
          perLane.set(lane, (perLane.get(lane) ?? 0) + 1);
          task(item.value, controller.signal)
            .then(() => done.add(item.id))
            .catch((error) => {
              failures.push({ id: item.id, error });
              controller.abort(error);
            })
            .finally(() => {
              running--;
              perLane.set(lane, (perLane.get(lane) ?? 1) - 1);
              pump();
            });
        }
      }
      if (running === 0) resolve();
    };
    pump();
  });
  options.signal?.removeEventListener("abort", onAbort);

  if (failures.length === 1) throw failures[0]?.error;
  if (failures.length > 1) {
    const lines = failures.map(
      (f) =>
        `${f.id}: ${f.error instanceof LabError ? f.error.toLine() : String((f.error as Error)?.message ?? f.error)}`,
    );
    const first = failures[0]?.error;
    throw new LabError(first instanceof LabError ? first.code : "internal", lines.join("\n"));
  }
  if (options.signal?.aborted) throw new LabError("interrupted", "interrupted");
  const stuck = items.filter((i) => !done.has(i.id)).map((i) => i.id);
  if (stuck.length) throw new LabError("internal", `never started: ${stuck.join(", ")} (unsatisfiable dependencies)`);
}

/** Maps with at most `limit` promises in flight; the first error rejects after the in-flight ones settle. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < items.length && failed === undefined) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failed !== undefined) throw failed;
  return results;
}
