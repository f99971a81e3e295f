// An SSH/NETCONF stand-in for NOS kinds: an SSH server (ssh2) with password auth and the netconf
// subsystem (base 1.1 offered). Every RPC it receives is appended to a log file, one per line, and
// answered <ok/>; an exec request (a CLI command) is logged as "exec: <command>" and answered with
// a small running config. Run inside a node's network namespace (nsenter --net=…) to answer on
// its address. Usage: bun netconf-server.ts <port> <log> <user> <password> <host key> <ready file>
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import ssh2 from "ssh2";
import { readChunked } from "../../core/ssh/netconf.ts";

const [port, log, user, password, hostKey, ready] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const EOM = "]]>]]>";
const HELLO = `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities><session-id>7</session-id></hello>${EOM}`;
const frame = (xml: string) => `\n#${Buffer.byteLength(xml)}\n${xml}\n##\n`;

const server = new ssh2.Server({ hostKeys: [readFileSync(hostKey)] }, (client) => {
  client.on("authentication", (ctx) => {
    if (ctx.method === "password" && ctx.username === user && ctx.password === password) ctx.accept();
    else ctx.reject(["password"]);
  });
  client.on("ready", () => {
    client.on("session", (accept) => {
      const session = accept();
      session.on("pty", (acceptPty) => acceptPty?.());
      // A CLI session: everything typed until "logout" is logged as one "shell:" entry.
      session.on("shell", (acceptShell) => {
        const stream = acceptShell();
        let typed = "";
        const done = () => {
          appendFileSync(log, `shell: ${JSON.stringify(typed.replace(/\nlogout\n?$/, ""))}\n`);
          stream.exit(0);
          stream.end();
        };
        stream.on("data", (d: Buffer) => {
          typed += d.toString("utf8");
          if (/(^|\n)logout\n/.test(typed)) done();
        });
        stream.write("A:admin@standin# ");
      });
      session.on("exec", (acceptExec, _reject, info) => {
        const stream = acceptExec();
        appendFileSync(log, `exec: ${info.command}\n`);
        stream.write(`! running config of the stand-in\nhostname standin\n! end\n`);
        stream.exit(0);
        stream.end();
      });
      session.on("subsystem", (acceptSub, reject, info) => {
        if (info.name !== "netconf") return reject();
        const stream = acceptSub();
        stream.write(HELLO);
        let buf = "";
        let hello = false;
        stream.on("data", (data: Buffer) => {
          buf += data.toString("latin1");
          if (!hello) {
            const end = buf.indexOf(EOM);
            if (end < 0) return;
            buf = buf.slice(end + EOM.length);
            hello = true;
          }
          const { messages, rest } = readChunked(buf);
          buf = rest;
          for (const m of messages) {
            appendFileSync(log, `${m.replace(/\s*\n\s*/g, "")}\n`);
            const id = /message-id="([^"]+)"/.exec(m)?.[1] ?? "0";
            stream.write(
              frame(`<rpc-reply message-id="${id}" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><ok/></rpc-reply>`),
            );
            if (m.includes("<close-session")) stream.end();
          }
        });
      });
    });
  });
  client.on("error", () => {});
});
server.listen(Number(port), "0.0.0.0", () => writeFileSync(ready, "ok"));
