// Run with: deno test -A test/deno/platform.deno.ts (make test does).
import { getPlatform, getRuntimeKey } from "../../runtime/platform/index.ts";
import { platformCases } from "../../runtime/platform/platform.cases.ts";

const platform = await getPlatform();

Deno.test("deno platform adapter is picked on Deno", () => {
  if (getRuntimeKey() !== "deno" || platform.name !== "deno") throw new Error("wrong adapter");
});

for (const c of platformCases) Deno.test(c.name, () => c.fn(platform));
