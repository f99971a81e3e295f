import { expect, test } from "bun:test";
import { execJson } from "./exec.ts";

const result = (container: string, stdout: string) => ({
  node: container.split("-").at(-1) as string,
  container,
  command: "cat /test.json",
  argv: ["cat", "/test.json"],
  exitCode: 0,
  stdout,
  stderr: "",
});

// Containerlab's 01-basic-flow "Exec command with filtering and json output" pipes the output to
// jq '.[][0].stdout.containerlab' and expects the value from /test.json (01-test.json).
test("stdout that is JSON is embedded as JSON, keyed by container", () => {
  const json = execJson([result("clab-2-linux-nodes-l1", '{\n  "containerlab": "is cool"\n}\n')]);
  expect(json).toEqual({
    "clab-2-linux-nodes-l1": [
      { cmd: ["cat", "/test.json"], "return-code": 0, stdout: { containerlab: "is cool" }, stderr: "" },
    ],
  });
});

test("other stdout stays a string; empty output is an empty string (Go's json.Valid rejects it)", () => {
  const json = execJson([result("clab-x-a", "l1\n"), result("clab-x-a", "")]);
  expect((json["clab-x-a"] as { stdout: unknown }[]).map((r) => r.stdout)).toEqual(["l1\n", ""]);
});
