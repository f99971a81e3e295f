import { describe, expect, test } from "bun:test";
import { execLogLine } from "./exec-log.ts";

// Expected text from Containerlab's smoke tests (tests/01-smoke/01-basic-flow.robot,
// 18-stages.robot), which grep charmbracelet/log's output of exec.ExecCollection.Log.
describe("exec results logged as Containerlab logs them", () => {
  test("01-basic-flow: Exec command with no filtering", () => {
    const line = execLogLine({
      node: "clab-2-linux-nodes-l1",
      argv: ["uname", "-n"],
      exitCode: 0,
      stdout: "l1\n",
      stderr: "",
    });
    expect(line.level).toBe("info");
    expect(line.text).toBe('Executed command node=clab-2-linux-nodes-l1 command="uname -n"\n  stdout=\n  │ l1');
  });

  test("18-stages: the healthy stage's on-exit output", () => {
    const line = execLogLine({
      node: "node4",
      argv: ["echo", "hey I am exiting healthy stage"],
      exitCode: 0,
      stdout: "hey I am exiting healthy stage\n",
      stderr: "",
    });
    expect(line.text).toContain(
      'Executed command node=node4 command="echo hey I am exiting healthy stage"\n  stdout=\n  │ hey I am exiting healthy stage',
    );
  });

  test("a value without spaces is not quoted; host targets read 'host via <node>'", () => {
    expect(execLogLine({ node: "host via node1", argv: ["true"], exitCode: 0, stdout: "", stderr: "" }).text).toBe(
      'Executed command node="host via node1" command=true stdout=',
    );
  });

  test("a failing command is an error with rc, stdout and stderr, in Containerlab's key order", () => {
    const line = execLogLine({
      node: "n1",
      argv: ["ls", "/x"],
      exitCode: 2,
      stdout: "",
      stderr: "ls: /x: No such file\n",
    });
    expect(line.level).toBe("error");
    expect(line.text).toBe(
      'Failed to execute command command="ls /x" node=n1 rc=2 stdout=\n  stderr=\n  │ ls: /x: No such file',
    );
  });
});
