import type { Platform } from "../runtime/platform/index.ts";
import { LabError } from "./errors.ts";

// What each command that changes the host does as root, for the one line a non-root user gets before
// anything is touched (Containerlab refuses these commands without root the same way).
const WHY = {
  up: "it wires links into the nodes' network namespaces and writes /etc/hosts",
  down: "it removes the links, namespace names and /etc/hosts block lab made",
  lifecycle: "it moves link ends between the nodes' network namespaces",
} as const;

export function requireRoot(platform: Platform, command: string, what: keyof typeof WHY): void {
  if (platform.uid === 0) return;
  throw new LabError("unsupported", `lab ${command} needs root: ${WHY[what]}`, {
    hint: "Run it with sudo. With Podman that means its rootful socket (/run/podman/podman.sock): a rootless Podman's networks live in your own user namespace, out of lab's reach",
  });
}
