import ssh2 from "ssh2";
import { LabError } from "../errors.ts";

// Just enough NETCONF (RFC 6241/6242) over SSH for what Containerlab does with it: a hello, one RPC,
// close-session. Base 1.1 chunked framing when the server offers it, else 1.0's end-of-message
// marker. Host keys are not checked, as Containerlab's netconf driver does not: lab nodes get a
// new key on every deploy.

const EOM = "]]>]]>";
const BASE = "urn:ietf:params:xml:ns:netconf:base:1.0";
const HELLO = `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${BASE}"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`;

export interface NetconfTarget {
  host: string;
  port?: number;
  username: string;
  password: string;
  timeoutMs?: number;
}

/**
 * Splits 1.1 chunked frames out of `buf` (one char per byte: latin1): the complete messages and
 * what is left from the first incomplete one.
 */
export function readChunked(buf: string): { messages: string[]; rest: string } {
  const messages: string[] = [];
  let msgStart = 0;
  let at = 0;
  let current = "";
  for (;;) {
    const m = /^\n#(\d+|#)\n/.exec(buf.slice(at, at + 16));
    if (!m) break;
    if (m[1] === "#") {
      messages.push(current);
      current = "";
      at += m[0].length;
      msgStart = at;
      continue;
    }
    const start = at + m[0].length;
    const len = Number(m[1]);
    if (start + len > buf.length) break;
    current += buf.slice(start, start + len);
    at = start + len;
  }
  return { messages, rest: buf.slice(msgStart) };
}

/** A password login to a lab node, its host key unchecked (new on every deploy). */
const loginConfig = (target: NetconfTarget, port: number): ssh2.ConnectConfig => ({
  host: target.host,
  port: target.port ?? port,
  username: target.username,
  password: target.password,
  readyTimeout: target.timeoutMs ?? 30_000,
  hostVerifier: () => true,
});

const frame = (xml: string, chunked: boolean) =>
  chunked ? `\n#${Buffer.byteLength(xml)}\n${xml}\n##\n` : `${xml}${EOM}`;

/** The first rpc-error's message in a reply, if any. */
export function rpcError(reply: string): string | undefined {
  if (!/<(\w+:)?rpc-error\b/.test(reply)) return undefined;
  const m = /<(?:\w+:)?error-message[^>]*>([\s\S]*?)<\/(?:\w+:)?error-message>/.exec(reply);
  return (m?.[1] ?? "rpc-error").trim();
}

/** How a session ends: with an error, or with its result. */
type Finish = (error: LabError | undefined, result?: string) => void;

/**
 * One password login to a lab node (`what` names the service in messages), handed to `run` once
 * ready; whatever ends first (run's finish, an error, the timeout) settles it and closes the client.
 */
function session(
  target: NetconfTarget,
  port: number,
  what: string,
  run: (client: ssh2.Client, finish: Finish, where: string) => void,
  timeoutMs = 30_000,
): Promise<string> {
  const where = `${target.host}:${target.port ?? port}`;
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let settled = false;
    const finish: Finish = (error, result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      if (error) reject(error);
      else resolve(result as string);
    };
    const limit = target.timeoutMs ?? timeoutMs;
    const timer = setTimeout(
      () => finish(new LabError("remote", `${what} at ${where} did not answer within ${limit / 1000}s`)),
      limit,
    );
    client.on("error", (err) => {
      const refused = /authentication methods failed/i.test(err.message);
      finish(
        new LabError(
          refused ? "auth" : "remote",
          refused
            ? `${what} at ${where} refused ${target.username}'s password`
            : `cannot reach ${what} at ${where}: ${err.message}`,
        ),
      );
    });
    client.on("ready", () => run(client, finish, where));
    client.connect(loginConfig(target, port));
  });
}

/**
 * Opens a NETCONF session, sends `rpc` (the inner XML of an <rpc>), and returns the reply. A
 * refused login, a server that never answers, or an rpc-error are LabErrors of one line.
 */
export const netconfRpc = (target: NetconfTarget, rpc: string): Promise<string> =>
  netconfSession(target, [rpc]).then((replies) => replies[0] as string);

/**
 * Several RPCs in one session, in order, as Containerlab's MultiExec (an edit to the candidate and
 * its commit must share a session); the first rpc-error ends it. The replies, in order.
 */
export function netconfSession(target: NetconfTarget, rpcs: string[]): Promise<string[]> {
  const replies: string[] = [];
  return session(target, 830, "NETCONF", (client, finish, where) => {
    client.subsys("netconf", (err, stream) => {
      if (err) return finish(new LabError("remote", `${where} has no NETCONF subsystem: ${err.message}`));
      let buf = "";
      let chunked = false;
      let helloDone = false;
      const send = () => {
        const i = replies.length;
        const rpc = i < rpcs.length ? rpcs[i] : "<close-session/>";
        stream.write(frame(`<rpc message-id="${101 + i}" xmlns="${BASE}">${rpc}</rpc>`, chunked));
      };
      stream.on("data", (data: Buffer) => {
        buf += data.toString("latin1");
        if (!helloDone) {
          const end = buf.indexOf(EOM);
          if (end < 0) return;
          const hello = buf.slice(0, end);
          buf = buf.slice(end + EOM.length);
          helloDone = true;
          chunked = hello.includes("urn:ietf:params:netconf:base:1.1");
          stream.write(`${HELLO}${EOM}`);
          send();
          return;
        }
        const messages: string[] = [];
        if (chunked) {
          const read = readChunked(buf);
          buf = read.rest;
          messages.push(...read.messages);
        } else
          for (let end = buf.indexOf(EOM); end >= 0; end = buf.indexOf(EOM)) {
            messages.push(buf.slice(0, end));
            buf = buf.slice(end + EOM.length);
          }
        for (const message of messages) {
          if (replies.length >= rpcs.length) return;
          const reply = Buffer.from(message, "latin1").toString("utf8");
          const error = rpcError(reply);
          if (error) return finish(new LabError("remote", `NETCONF at ${where}: ${error}`));
          replies.push(reply);
          send();
          if (replies.length === rpcs.length) return finish(undefined, "");
        }
      });
      stream.on("close", () =>
        finish(new LabError("remote", `NETCONF at ${where} closed the session without a reply`)),
      );
    });
  }).then(() => replies);
}

/** Containerlab's SaveRunningConfig: copy-config running → startup. */
export const saveRunningConfig = (target: NetconfTarget) =>
  netconfRpc(target, "<copy-config><target><startup/></target><source><running/></source></copy-config>");

/**
 * One CLI command over SSH (an exec channel, password login, host key unchecked as for NETCONF):
 * its output, as Containerlab's GetConfig reads a vrnetlab node's running configuration.
 */
export function sshCliCommand(target: NetconfTarget, command: string): Promise<string> {
  return session(target, 22, "SSH", (client, finish, where) => {
    client.exec(command, (err, stream) => {
      if (err) return finish(new LabError("remote", `${where} refused to run "${command}": ${err.message}`));
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      stream.on("data", (d: Buffer) => out.push(d));
      stream.stderr.on("data", (d: Buffer) => errOut.push(d));
      stream.on("close", (code: number | null) => {
        if (!code) return finish(undefined, Buffer.concat(out).toString("utf8"));
        const why = Buffer.concat(errOut).toString("utf8").trim().split("\n")[0] || `exit code ${code}`;
        finish(new LabError("remote", `"${command}" failed on ${where}: ${why}`));
      });
    });
  });
}

/**
 * An interactive CLI session over SSH (a shell channel, as scrapli drives NOS CLIs): each line is
 * typed in turn, then `logout`; the session's whole output comes back for the caller to check.
 */
export function sshCliSession(target: NetconfTarget, lines: string[]): Promise<string> {
  return session(
    target,
    22,
    "SSH",
    (client, finish, where) => {
      client.shell({ term: "vt100", cols: 512, rows: 24 }, (err, stream) => {
        if (err) return finish(new LabError("remote", `${where} refused a CLI session: ${err.message}`));
        const out: Buffer[] = [];
        stream.on("data", (d: Buffer) => out.push(d));
        stream.on("close", () => finish(undefined, Buffer.concat(out).toString("utf8")));
        stream.end(`${[...lines, "logout"].join("\n")}\n`);
      });
    },
    60_000,
  );
}
