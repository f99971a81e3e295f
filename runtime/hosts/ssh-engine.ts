import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type ssh2 from "ssh2";

/**
 * A remote engine's unix socket made local: each connection to a private socket here (in a 0700
 * temp dir) becomes an OpenSSH streamlocal channel to `remoteSocket` on the far host, so the engine
 * client speaks to it as to any unix socket and neither side needs the docker CLI.
 */
export async function forwardEngineSocket(
  client: ssh2.Client,
  remoteSocket: string,
): Promise<{ socketPath: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "lab-engine-"));
  const socketPath = join(dir, "engine.sock");
  const open = new Set<Socket>();
  const server: Server = createServer((local) => {
    open.add(local);
    local.on("close", () => open.delete(local));
    local.pause();
    client.openssh_forwardOutStreamLocal(remoteSocket, (err, channel) => {
      if (err) {
        local.destroy();
        return;
      }
      local.pipe(channel).pipe(local);
      local.resume();
      channel.on("close", () => local.destroy());
      local.on("close", () => channel.close());
      local.on("error", () => channel.close());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  // The engine's connections stay open between requests (keep-alive): they must not keep lab alive.
  server.unref();
  return {
    socketPath,
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
