import type { Demuxed } from "./streams.ts";
import { demuxStream } from "./streams.ts";
import type { EngineTransport } from "./transport.ts";

export interface ExecOptions {
  env?: string[];
  user?: string;
  workingDir?: string;
  /** Called as output arrives, for live display. */
  onOutput?: (stream: "stdout" | "stderr", data: Uint8Array) => void;
  signal?: AbortSignal;
}

export interface ExecResult extends Demuxed {
  exitCode: number;
}

export function execApi(t: EngineTransport) {
  return {
    /** Starts `cmd` inside a running container and returns at once (Containerlab's RunExecNotWait). */
    async detach(container: string, cmd: string[]): Promise<void> {
      const what = `exec in ${container}`;
      const { Id } = await t.json<{ Id: string }>("POST", `/containers/${encodeURIComponent(container)}/exec`, {
        body: { AttachStdout: false, AttachStderr: false, Tty: false, Cmd: cmd },
        what,
      });
      await t.json("POST", `/exec/${Id}/start`, { body: { Detach: true, Tty: false }, what });
    },
    /** Runs `cmd` inside a running container and waits for it, output demultiplexed. */
    async run(container: string, cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
      const what = `exec in ${container}`;
      const { Id } = await t.json<{ Id: string }>("POST", `/containers/${encodeURIComponent(container)}/exec`, {
        body: {
          AttachStdout: true,
          AttachStderr: true,
          Tty: false,
          Cmd: cmd,
          Env: options.env,
          User: options.user,
          WorkingDir: options.workingDir,
        },
        what,
      });
      const response = await t.stream("POST", `/exec/${Id}/start`, {
        body: { Detach: false, Tty: false },
        signal: options.signal,
        what,
      });
      const output = response.body
        ? await demuxStream(response.body, options.onOutput)
        : { stdout: new Uint8Array(), stderr: new Uint8Array() };
      const state = await t.json<{ ExitCode: number | null; Running: boolean }>("GET", `/exec/${Id}/json`, { what });
      return { ...output, exitCode: state.ExitCode ?? -1 };
    },
  };
}
