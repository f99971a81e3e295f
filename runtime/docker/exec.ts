import { type Hijacked, hijack } from "./hijack.ts";
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

export interface InteractiveOptions {
  /** A terminal (raw bytes both ways), else stdout and stderr multiplexed as the engine frames them. */
  tty?: boolean;
  env?: string[];
  user?: string;
  workingDir?: string;
  /** The terminal's size to start with. */
  size?: { rows: number; cols: number };
}

/** A process inside a container with its stdin open, as `docker exec -it` runs it. */
export interface InteractiveExec extends Hijacked {
  /** Follows the user's window: the process sees SIGWINCH and the new `stty size`. */
  resize(rows: number, cols: number): Promise<void>;
  /** The exit code, once the stream has ended (-1 when the engine does not know it). */
  exitCode(): Promise<number>;
}

export function execApi(t: EngineTransport) {
  const resize = (id: string, rows: number, cols: number) =>
    t.json("POST", `/exec/${id}/resize`, { query: { h: rows, w: cols }, what: "resize the terminal" });
  return {
    /**
     * Starts `cmd` in a running container with stdin attached over the engine's hijacked stream.
     * The socket carries no error listener: the caller adds one.
     */
    async interactive(container: string, cmd: string[], options: InteractiveOptions = {}): Promise<InteractiveExec> {
      const what = `exec in ${container}`;
      const tty = options.tty ?? true;
      const { Id } = await t.json<{ Id: string }>("POST", `/containers/${encodeURIComponent(container)}/exec`, {
        body: {
          AttachStdin: true,
          AttachStdout: true,
          AttachStderr: true,
          Tty: tty,
          Cmd: cmd,
          Env: options.env,
          User: options.user,
          WorkingDir: options.workingDir,
          // The size from the start where the engine takes it (API 1.42 on; Podman): an older
          // Docker ignores it and gets a resize right after the start.
          ...(tty && options.size ? { ConsoleSize: [options.size.rows, options.size.cols] } : {}),
        },
        what,
      });
      const stream = await hijack(
        t.host,
        `/v${await t.apiVersion()}/exec/${Id}/start`,
        { Detach: false, Tty: tty },
        what,
      );
      // As the docker CLI does on an older Docker: the size right after the start. Podman resets a
      // session resized while its attach is still being set up: there, once the process has written.
      if (tty && options.size) {
        const size = options.size;
        const apply = () => void resize(Id, size.rows, size.cols).catch(() => {});
        if (!(await t.podman()) || stream.head.length) apply();
        else stream.socket.once("data", apply);
      }
      return {
        ...stream,
        resize: (rows, cols) => resize(Id, rows, cols).then(() => {}),
        async exitCode() {
          // The engine records the code a moment after the stream ends: asked a few times.
          for (let i = 0; i < 50; i++) {
            const state = await t.json<{ ExitCode: number | null; Running: boolean }>("GET", `/exec/${Id}/json`, {
              what,
            });
            if (!state.Running && state.ExitCode !== null) return state.ExitCode;
            await new Promise((r) => setTimeout(r, 20));
          }
          return -1;
        },
      };
    },
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
