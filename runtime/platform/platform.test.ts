import { describe, expect, test } from "bun:test";
import { getPlatform, getRuntimeKey } from "./index.ts";
import { platformCases } from "./platform.cases.ts";

describe("bun platform adapter", async () => {
  const platform = await getPlatform();
  test("is picked on Bun", () => {
    expect(getRuntimeKey()).toBe("bun");
    expect(platform.name).toBe("bun");
  });
  for (const c of platformCases) test(c.name, () => c.fn(platform));
});
