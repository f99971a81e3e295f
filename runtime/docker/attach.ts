import { hijack } from "./hijack.ts";
import type { EngineHost } from "./host.ts";

// Typing into a container's console (its stdin) as `docker attach` does, over the hijacked stream.
// Used for consoles that are the NOS's only way in before its management address is right (Cisco IOL).

/**
 * Attaches to the container's stdin, writes `data`, and detaches (Containerlab's
 * WriteToStdinNoWait). The engine's refusal, or no upgrade within `timeoutMs`, is a LabError.
 */
export async function writeToStdin(
  host: EngineHost,
  apiVersion: string,
  id: string,
  data: Uint8Array,
  timeoutMs = 10_000,
): Promise<void> {
  const path = `/v${apiVersion}/containers/${encodeURIComponent(id)}/attach?stream=1&stdin=1&stdout=1&stderr=1`;
  const { socket } = await hijack(host, path, undefined, `attaching to container ${id}`, timeoutMs);
  // What the console prints back is not needed. Half-close after the bytes: the engine copies them
  // to the console, then ends the stream.
  socket.resume();
  await new Promise<void>((resolve) => socket.end(data, () => resolve()));
  socket.destroy();
}
