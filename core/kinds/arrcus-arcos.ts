import { container } from "./vrnetlab.ts";

/** The configuration ArcOS boots with when the topology gives none (lab's text; the keys are ArcOS'). */
const DEFAULT_CONFIG = `! Written by lab for {{ .ShortName }}: SSH and NETCONF, users admin and clab (clab@123).
system hostname {{ .ShortName }}
system ssh-server enable true
system ssh-server permit-root-login true
system ssh-server sftp enable true
system netconf-server enable true
system netconf-server transport ssh enable true
system netconf-server transport ssh port 830
system aaa authentication admin-user admin-password $6$labarcos1$WZMkETxO3YebmQme.XuHo5s502.aQilBBM8A3KTYy0CKRCT2bZ7OLTiQnPzmdOuSKP4Hw20Tg8dD4t0b86J5l1
system aaa authentication user clab
 password $6$labarcos1$WZMkETxO3YebmQme.XuHo5s502.aQilBBM8A3KTYy0CKRCT2bZ7OLTiQnPzmdOuSKP4Hw20Tg8dD4t0b86J5l1
 role     SYSTEM_ROLE_ADMIN
!
interface eth0
 type    ethernetCsmacd
 mtu     1500
 enabled true
 subinterface 0
 exit
!
network-instance default
!
network-instance management
!
lldp interface eth0
`;

/** Arrcus ArcOS (Containerlab: nodes/arrcus_arcos): startup.cfg from the node dir, read-only, named by STARTUP_CFG. */
export default container({
  name: "arrcus_arcos",
  aliases: [],
  env: { STARTUP_CFG: "/config/startup.cfg" },
  binds: ["__clabNodeDir__/startup.cfg:/config/startup.cfg:ro"],
  startupConfig: "startup.cfg",
  defaultConfig: DEFAULT_CONFIG,
  credentials: { username: "clab", password: "clab@123" },
  interfaces: {
    help: "swpX (X >= 0), optionally with .subif",
    map: (name) =>
      /^swp[\d.]+$/.test(name)
        ? name
        : {
            error: `interface name "${name}" doesn't match the required pattern. It should be named as swpX (X >= 0), optionally with .subif`,
          },
  },
});
