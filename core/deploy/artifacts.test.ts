import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test/helpers/temp.ts";
import { removeHostsBlock, writeHostsBlock } from "./artifacts.ts";
import type { LabContainer } from "./inspect.ts";

const temp = tempDirs();
afterAll(temp.cleanup);

const container = (lab: string): LabContainer =>
  ({ name: `clab-${lab}-a`, id: "0123456789abcdef", kind: "linux", ipv4: "172.20.20.2/24", ipv6: "" }) as LabContainer;

describe("hosts file blocks", () => {
  test("labs writing and removing at the same time keep each other's blocks", async () => {
    const file = join(temp.make("lab-hosts-"), "hosts");
    writeFileSync(file, "127.0.0.1\tlocalhost\n");
    const labs = Array.from({ length: 12 }, (_, i) => `l${i}`);
    await Promise.all(labs.map((l) => writeHostsBlock(l, [container(l)], file)));
    const text = readFileSync(file, "utf8");
    for (const l of labs) expect(text).toContain(`###### CLAB-${l}-START ######\n172.20.20.2\tclab-${l}-a`);
    await Promise.all(labs.slice(0, 6).map((l) => removeHostsBlock(l, file)));
    const after = readFileSync(file, "utf8");
    expect(labs.filter((l) => after.includes(`CLAB-${l}-START`))).toEqual(labs.slice(6));
    expect(after.startsWith("127.0.0.1\tlocalhost\n")).toBe(true);
    expect(existsSync(`${file}.lab-lock`)).toBe(false);
  });

  test("a lock left by a process that died is taken over", async () => {
    const file = join(temp.make("lab-hosts-"), "hosts");
    writeFileSync(`${file}.lab-lock`, "999999");
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lab-lock`, old, old);
    await writeHostsBlock("x", [container("x")], file);
    expect(readFileSync(file, "utf8")).toContain("CLAB-x-START");
  });
});
