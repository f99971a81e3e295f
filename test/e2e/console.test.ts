// A terminal on a node (lab shell): the engine's hijacked exec stream under a real pseudo-terminal
// (`script` gives lab one), on Docker and on Podman; without a terminal, stdin piped in and the
// output split as the node wrote it. The exit code is the node's.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ENGINES, type TestEngine } from "../helpers/engines.ts";
import { LAB, lab, sh } from "../helpers/env.ts";
import { freeSubnet, labDir } from "../helpers/lab.ts";

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

function consoleSuite(engine: TestEngine) {
  describe(`lab shell on ${engine.name}`, () => {
    const t = labDir(`e2e-shell-${engine.name}`, engine);
    const subnet = freeSubnet();
    const file = t.write(
      "shell.clab.yml",
      `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  nodes:
    n1: { kind: linux, image: lab-test/linux:1 }
    n2: { kind: linux, image: lab-test/linux:1 }
`,
    );
    const env = engine.env;
    /** lab shell under a pseudo-terminal of `rows` x `cols`, as a user's terminal runs it. */
    const inTerminal = (args: string[], rows = 30, cols = 100) => {
      const cmd = [...LAB, ...args].map(quote).join(" ");
      return sh(`script -qec ${quote(`stty rows ${rows} cols ${cols}; ${cmd}`)} /dev/null`, { env });
    };
    beforeAll(() => {
      const up = lab(["up", "-t", file], { env });
      if (up.code !== 0) throw new Error(up.stderr);
    });
    afterAll(() => t.cleanup());

    test("in a terminal: the node's name, the terminal's size, the command's exit code", () => {
      // The engine gives the terminal its size just after the process starts (as for docker exec -it
      // on API 1.41): the command asks until the terminal answers (bounded).
      const stty =
        'for i in $(seq 1 50); do s=$(stty size 2>/dev/null); [ -n "$s" ] && break; sleep 0.1; done; echo "size $s"';
      const r = inTerminal(["shell", "-t", file, "n2", "--cmd", `uname -n; ${stty}; exit 3`], 33, 111);
      expect(r.code).toBe(3);
      expect(r.stdout).toContain("n2");
      expect(r.stdout).toContain("size 33 111");
    });

    test("the kind's shell by default: typed input runs in the node", () => {
      const r = sh(`printf 'uname -n\\nexit 5\\n' | ${[...LAB].map(quote).join(" ")} shell --name ${t.name} n1`, {
        env,
      });
      expect(r.code).toBe(5);
      expect(r.stdout).toContain("n1");
      expect(r.stderr).toContain("no terminal");
    });

    test("without a terminal stdout and stderr stay apart", () => {
      const r = lab(["shell", "--name", t.name, "n1", "--cmd", "echo to-out; echo to-err >&2"], { env, input: "" });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("to-out");
      expect(r.stdout).not.toContain("to-err");
      expect(r.stderr).toContain("to-err");
    });

    test("a node that is not there, or stopped, is one line", () => {
      const missing = lab(["shell", "--name", t.name, "nope", "--cmd", "true"], { env, input: "" });
      expect(missing.code).toBe(5);
      expect(missing.stderr).toContain(`lab ${t.name} has no node nope`);
      expect(lab(["stop", "--name", t.name, "-n", "n2"], { env }).code).toBe(0);
      const stopped = lab(["shell", "--name", t.name, "n2", "--cmd", "true"], { env, input: "" });
      expect(stopped.code).toBe(6);
      expect(stopped.stderr).toContain("node n2 is exited");
      expect(lab(["start", "--name", t.name, "-n", "n2"], { env }).code).toBe(0);
    });
  });
}

consoleSuite(ENGINES.docker);
consoleSuite(ENGINES.podman);
