import { createHash } from "node:crypto";
import { container } from "./vrnetlab.ts";

/**
 * Runs before a NOS's init: waits (up to 300 s) until the CLAB_INTFS links lab adds after the
 * container starts are all there, because cEOS only takes the interfaces present at boot.
 */
const IF_WAIT = `#!/bin/sh
# Written by lab. Waits for the data interfaces lab creates right after the container starts.
want=\${CLAB_INTFS:-0}
count() {
  n=0
  for dev in /sys/class/net/*; do
    case \${dev##*/} in eth0) ;; eth[0-9]* | et[0-9]* | e[0-9]*) n=$((n + 1)) ;; esac
  done
  echo "$n"
}
waited=0
while [ "$(count)" -lt "$want" ] && [ "$waited" -lt 300 ]; do
  sleep 1
  waited=$((waited + 1))
done
echo "if-wait: $(count) of $want interfaces after \${waited}s"
`;

/** cEOS takes its system MAC from flash; each node needs its own, or LLDP and MLAG see one switch. */
function aristaSystemMac(lab: string, name: string): string {
  const h = createHash("sha1").update(`${lab}\0${name}\0system-mac`).digest();
  return ["00", "1c", "73", ...[...h.subarray(0, 3)].map((b) => b.toString(16).padStart(2, "0"))].join(":");
}

/** Arista cEOS (Containerlab: nodes/ceos). */
export default container({
  name: "arista_ceos",
  aliases: ["ceos"],
  env: {
    CEOS: "1",
    EOS_PLATFORM: "ceoslab",
    container: "docker",
    ETBA: "1",
    SKIP_ZEROTOUCH_BARRIER_IN_SYSDBINIT: "1",
    INTFTYPE: "eth",
    MAPETH0: "1",
    MGMT_INTF: "eth0",
  },
  cmd: "bash -c '/mnt/flash/if-wait.sh ; exec /sbin/init systemd.setenv=INTFTYPE=eth systemd.setenv=ETBA=1 systemd.setenv=SKIP_ZEROTOUCH_BARRIER_IN_SYSDBINIT=1 systemd.setenv=CEOS=1 systemd.setenv=EOS_PLATFORM=ceoslab systemd.setenv=container=docker systemd.setenv=MAPETH0=1 systemd.setenv=MGMT_INTF=eth0'",
  binds: ["__clabNodeDir__/flash:/mnt/flash/"],
  files: ({ lab, name }) => [
    { path: "flash/if-wait.sh", text: IF_WAIT, mode: 0o755 },
    { path: "flash/system_mac_address", text: aristaSystemMac(lab, name), keep: true },
  ],
  startupConfig: "flash/startup-config",
  saveCommand: ["Cli", "-p", "15", "-c", "wr"],
  stopSignal: "SIGRTMIN+3",
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "arista_eos", napalm: "eos" },
});
