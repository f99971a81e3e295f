// lab capture: a node interface's packets as pcapng, read back by Debian's tshark: to a file and
// through stdout, with a BPF filter, two interfaces merged (one interface block each), Ctrl-C leaving
// a valid file, on Docker and on Podman.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENGINES, type TestEngine } from "../helpers/engines.ts";
import { LAB, lab, sh, waitFor } from "../helpers/env.ts";
import { freeSubnet, labDir } from "../helpers/lab.ts";

/** tshark's reading of a capture: one line of fields per packet (its stderr apart); exit code too. */
const tshark = (file: string, fields: string[]) =>
  sh(`tshark -r ${file} -T fields ${fields.map((f) => `-e ${f}`).join(" ")}`);

function captureSuite(engine: TestEngine) {
  describe(`lab capture on ${engine.name}`, () => {
    const t = labDir(`e2e-cap-${engine.name}`, engine);
    const subnet = freeSubnet();
    const out = mkdtempSync(join(tmpdir(), "lab-capture-"));
    const env = engine.env;
    const file = t.write(
      "cap.clab.yml",
      `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  nodes:
    a: { kind: linux, image: lab-test/linux:1, exec: ["ip addr add 10.77.0.1/30 dev eth1"] }
    b: { kind: linux, image: lab-test/linux:1, exec: ["ip addr add 10.77.0.2/30 dev eth1"] }
  links:
    - endpoints: ["a:eth1", "b:eth1"]
`,
    );
    const ping = (n = 3) => sh(`${engine.cli} exec clab-${t.name}-a ping -c ${n} -W 1 10.77.0.2`);
    /** lab capture in the background; resolves once it says it listens (bounded). */
    async function start(args: string[], stdoutFile?: string) {
      const [bin, ...pre] = LAB;
      const proc = Bun.spawn([bin as string, ...pre, "capture", "-t", file, ...args], {
        stdout: stdoutFile ? Bun.file(stdoutFile) : "ignore",
        stderr: "pipe",
        env: { ...process.env, ...env, NO_COLOR: "1" },
      });
      let said = "";
      void (async () => {
        for await (const c of proc.stderr as ReadableStream<Uint8Array>) said += new TextDecoder().decode(c);
      })();
      await waitFor(() => said.includes("capturing on") || proc.exitCode !== null, 20_000, "capture listening");
      if (!said.includes("capturing on")) throw new Error(`lab capture did not start: ${said}`);
      return { proc, said: () => said };
    }
    beforeAll(() => {
      const up = lab(["up", "-t", file], { env });
      if (up.code !== 0) throw new Error(up.stderr);
    });
    afterAll(() => {
      t.cleanup();
      rmSync(out, { recursive: true, force: true });
    });

    test("to a file while a ping crosses: tshark reads the echo requests and replies", async () => {
      const f = join(out, "a.pcapng");
      const c = await start(["a:eth1", "-w", f, "-f", "icmp", "-c", "4"]);
      ping(2);
      expect(await c.proc.exited).toBe(0);
      const r = tshark(f, ["icmp.type"]);
      expect(r.code).toBe(0);
      expect(r.stdout.split("\n").filter((l) => l === "8")).toHaveLength(2);
      expect(r.stdout.split("\n").filter((l) => l === "0")).toHaveLength(2);
    });

    test("through stdout, a BPF filter keeping only what it names", async () => {
      const f = join(out, "stdout.pcapng");
      const c = await start(["b:eth1", "-f", "icmp[icmptype] = icmp-echoreply", "-c", "2"], f);
      ping(2);
      expect(await c.proc.exited).toBe(0);
      const r = tshark(f, ["icmp.type", "ip.src"]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split("\n")).toEqual(["0\t10.77.0.2", "0\t10.77.0.2"]);
    });

    test("two interfaces merged, one interface block each; Ctrl-C leaves a valid file", async () => {
      const f = join(out, "both.pcapng");
      const c = await start(["a:eth1,b:eth1", "-w", f, "-f", "icmp"]);
      ping(1);
      // Ctrl-C once the four packets are in the file (each is written whole as it comes).
      await waitFor(() => tshark(f, ["icmp.type"]).stdout.trim().split("\n").length >= 4, 10_000, "four packets");
      c.proc.kill("SIGINT");
      expect(await c.proc.exited).toBe(0);
      const r = tshark(f, ["frame.interface_name", "icmp.type"]);
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines).toContain("a:eth1\t8");
      expect(lines).toContain("b:eth1\t8");
      expect(lines).toContain("a:eth1\t0");
      expect(lines).toContain("b:eth1\t0");
    });

    test("an interface the node lacks, and no -w onto a terminal: one line each", () => {
      const r = lab(["capture", "-t", file, "a:eth9", "-c", "1"], { env });
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain("capture on a:eth9");
      const tty = sh(`script -qec ${JSON.stringify(`${LAB.join(" ")} capture -t ${file} a:eth1`)} /dev/null`, { env });
      expect(tty.stdout).toContain("pcapng is binary: not onto a terminal");
    });
  });
}

captureSuite(ENGINES.docker);
captureSuite(ENGINES.podman);
