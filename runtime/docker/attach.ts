import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { LabError } from "../errors.ts";
import type { EngineHost } from "./host.ts";

// Typing into a container's console (its stdin) as `docker attach` does: the attach endpoint
// upgrades the HTTP connection to a raw stream, which fetch cannot hand over, so this speaks HTTP/1.1
// on a socket of its own (node:net and node:tls, the same under Bun and Deno). Used for consoles
// that are the NOS's only way in before its management address is right (Cisco IOL).

function open(host: EngineHost): Socket {
  if (host.kind === "unix") return netConnect({ path: host.socketPath });
  const url = new URL(host.baseUrl);
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  if (!host.tls) return netConnect({ host: url.hostname, port });
  return tlsConnect({
    host: url.hostname,
    port,
    ca: host.tls.ca,
    cert: host.tls.cert,
    key: host.tls.key,
    rejectUnauthorized: !host.tls.insecure,
  });
}

/**
 * Attaches to the container's stdin, writes `data`, and detaches (Containerlab's
 * WriteToStdinNoWait). The engine's refusal, or no upgrade within `timeoutMs`, is a LabError.
 */
export function writeToStdin(
  host: EngineHost,
  apiVersion: string,
  id: string,
  data: Uint8Array,
  timeoutMs = 10_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = open(host);
    let head = "";
    let upgraded = false;
    let settled = false;
    const finish = (error?: LabError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        socket.destroy();
        reject(error);
      } else resolve();
    };
    const timer = setTimeout(
      () => finish(new LabError("engine", `attaching to container ${id} got no answer within ${timeoutMs / 1000}s`)),
      timeoutMs,
    );
    socket.once("error", (error) =>
      finish(new LabError("engine", `cannot attach to container ${id}: ${error.message}`)),
    );
    socket.once(host.kind === "tcp" && host.tls ? "secureConnect" : "connect", () => {
      const path = `/v${apiVersion}/containers/${encodeURIComponent(id)}/attach?stream=1&stdin=1&stdout=1&stderr=1`;
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: docker\r\nUpgrade: tcp\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n`,
      );
    });
    socket.on("data", (chunk: Buffer) => {
      // What the console prints back is not needed; only the answer to the upgrade is read.
      if (upgraded) return;
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
      if (status !== 101 && status !== 200) {
        const body = head.slice(end + 4).trim();
        return finish(
          new LabError(
            "engine",
            `cannot attach to container ${id}: HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ""}`,
          ),
        );
      }
      upgraded = true;
      // Half-close after the bytes: the engine copies them to the console, then ends the stream.
      socket.end(data, () => {
        socket.destroy();
        finish();
      });
    });
    socket.once("close", () => {
      if (!upgraded) finish(new LabError("engine", `attaching to container ${id}: the engine closed the connection`));
    });
  });
}
