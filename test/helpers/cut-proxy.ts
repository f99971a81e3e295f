import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface CutProxy {
  address: string;
  /** How many connections were cut so far. */
  cuts(): number;
  stop(): Promise<void>;
}

/**
 * A TCP proxy to `target` that, once, cuts the connection after `afterBytes` bytes went upstream in
 * one connection: a registry upload dropped in the middle of a layer.
 */
export async function startCutProxy(target: { host: string; port: number }, afterBytes: number): Promise<CutProxy> {
  let cut = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client).add(upstream);
    let sent = 0;
    client.on("data", (data: Buffer) => {
      sent += data.length;
      if (cut === 0 && sent > afterBytes) {
        cut++;
        upstream.write(data.subarray(0, data.length - (sent - afterBytes)));
        // Let the partial bytes land, then drop both sides.
        setTimeout(() => {
          client.destroy();
          upstream.destroy();
        }, 50);
        return;
      }
      upstream.write(data);
    });
    upstream.on("data", (data) => client.write(data));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    cuts: () => cut,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
