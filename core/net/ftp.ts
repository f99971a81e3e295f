import { connect, type Socket } from "node:net";
import { LabError } from "../errors.ts";

/**
 * Downloads one file over FTP in passive mode (USER, PASS, TYPE I, PASV, RETR), the way
 * Containerlab's ftp:// startup-configs and licences are fetched. Anonymous when the URL has no user.
 */
export async function ftpGet(url: URL, timeoutMs = 30_000): Promise<Uint8Array> {
  const control = await open(url.hostname, Number(url.port || 21), timeoutMs);
  const replies = lineReader(control);
  const expect = async (codes: number[]) => {
    const line = await replies.next(timeoutMs);
    const code = Number(line.slice(0, 3));
    if (!codes.includes(code)) throw new LabError("remote", `the FTP server said: ${line.trim()}`);
    return line;
  };
  const send = (cmd: string) => control.write(`${cmd}\r\n`);
  try {
    await expect([220]);
    send(`USER ${decodeURIComponent(url.username) || "anonymous"}`);
    const user = await expect([230, 331]);
    if (user.startsWith("331")) {
      send(`PASS ${decodeURIComponent(url.password) || "lab@"}`);
      await expect([230, 202]);
    }
    send("TYPE I");
    await expect([200]);
    send("PASV");
    const pasv = await expect([227]);
    const m = /(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(pasv);
    if (!m) throw new LabError("remote", `cannot read the passive address in "${pasv.trim()}"`);
    const port = Number(m[5]) * 256 + Number(m[6]);
    // Use the control connection's host: servers behind NAT announce addresses that do not work.
    const data = await open(url.hostname, port, timeoutMs);
    const chunks: Buffer[] = [];
    const received = new Promise<void>((resolve, reject) => {
      data.on("data", (c: Buffer) => chunks.push(c));
      data.on("end", () => resolve());
      data.on("error", reject);
    });
    send(`RETR ${decodeURIComponent(url.pathname)}`);
    await expect([125, 150]);
    await received;
    await expect([226, 250]);
    send("QUIT");
    return new Uint8Array(Buffer.concat(chunks));
  } finally {
    control.destroy();
  }
}

function open(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`timed out connecting to ${host}:${port}`));
    }, timeoutMs);
    s.once("connect", () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** FTP replies line by line; multi-line replies (`123-…` up to `123 …`) come back as their last line. */
function lineReader(s: Socket) {
  let buf = "";
  const waiting: ((line: string) => void)[] = [];
  const lines: string[] = [];
  let multi: string | undefined;
  s.on("data", (d: Buffer) => {
    buf += d.toString("utf8");
    for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
      const line = buf.slice(0, nl + 1);
      buf = buf.slice(nl + 1);
      if (multi) {
        if (line.startsWith(`${multi} `)) multi = undefined;
        else continue;
      } else if (/^\d{3}-/.test(line)) {
        multi = line.slice(0, 3);
        continue;
      }
      const w = waiting.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  return {
    next(timeoutMs: number): Promise<string> {
      const ready = lines.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the FTP server stopped answering")), timeoutMs);
        waiting.push((l) => {
          clearTimeout(timer);
          resolve(l);
        });
        s.once("close", () => reject(new Error("the FTP server closed the connection")));
      });
    },
  };
}
