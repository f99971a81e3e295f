import aristaCeos from "./arista-ceos.ts";
import aristaVeos from "./arista-veos.ts";
import arrcusArcos from "./arrcus-arcos.ts";
import arubaAoscx from "./aruba-aoscx.ts";
import bridge from "./bridge.ts";
import checkpointCloudguard from "./checkpoint-cloudguard.ts";
import cienaSaos from "./ciena-saos.ts";
import ciscoAsav from "./cisco-asav.ts";
import ciscoC8000 from "./cisco-c8000.ts";
import ciscoC8000v from "./cisco-c8000v.ts";
import ciscoCat9kv from "./cisco-cat9kv.ts";
import ciscoCsr1000v from "./cisco-csr1000v.ts";
import ciscoFtdv from "./cisco-ftdv.ts";
import ciscoIol from "./cisco-iol.ts";
import ciscoN9kv from "./cisco-n9kv.ts";
import ciscoSdwan from "./cisco-sdwan.ts";
import ciscoVios from "./cisco-vios.ts";
import ciscoXrd from "./cisco-xrd.ts";
import ciscoXrdVrouter from "./cisco-xrd-vrouter.ts";
import ciscoXrv from "./cisco-xrv.ts";
import ciscoXrv9k from "./cisco-xrv9k.ts";
import cumulusCvx from "./cumulus-cvx.ts";
import dellFtosv from "./dell-ftosv.ts";
import dellSonic from "./dell-sonic.ts";
import extContainer from "./ext-container.ts";
import f5BigipVe from "./f5-bigip-ve.ts";
import fdioVpp from "./fdio-vpp.ts";
import fortinetFortigate from "./fortinet-fortigate.ts";
import freebsd from "./freebsd.ts";
import genericVm from "./generic-vm.ts";
import host from "./host.ts";
import huaweiVrp from "./huawei-vrp.ts";
import ipinfusionOcnos from "./ipinfusion-ocnos.ts";
import juniperCjunosevolved from "./juniper-cjunosevolved.ts";
import juniperCrpd from "./juniper-crpd.ts";
import juniperCsrx from "./juniper-csrx.ts";
import juniperVjunosevolved from "./juniper-vjunosevolved.ts";
import juniperVjunosrouter from "./juniper-vjunosrouter.ts";
import juniperVjunosswitch from "./juniper-vjunosswitch.ts";
import juniperVmx from "./juniper-vmx.ts";
import juniperVqfx from "./juniper-vqfx.ts";
import juniperVsrx from "./juniper-vsrx.ts";
import k8sKind from "./k8s-kind.ts";
import keysightIxiaCOne from "./keysight-ixia-c-one.ts";
import linux from "./linux.ts";
import mikrotikRos from "./mikrotik-ros.ts";
import mysocketio from "./mysocketio.ts";
import nokiaSrlinux from "./nokia-srlinux.ts";
import nokiaSros from "./nokia-sros.ts";
import nokiaSrsim from "./nokia-srsim.ts";
import nvidiaCumulusvx from "./nvidia-cumulusvx.ts";
import openbsd from "./openbsd.ts";
import openwrt from "./openwrt.ts";
import ostinato from "./ostinato.ts";
import ovsBridge from "./ovs-bridge.ts";
import paloaltoPanos from "./paloalto-panos.ts";
import plvisionSonic from "./plvision-sonic.ts";
import rare from "./rare.ts";
import sixwindVsr from "./sixwind-vsr.ts";
import sonicVm from "./sonic-vm.ts";
import sonicVs from "./sonic-vs.ts";
import spirentStc from "./spirent-stc.ts";
import type { KindDef } from "./types.ts";
import veesixOsvbng from "./veesix-osvbng.ts";
import vyosnetworksVyos from "./vyosnetworks-vyos.ts";

export type {
  ComponentContainer,
  InterfaceRule,
  KindDef,
  KindFile,
  KindRole,
  NodeLayout,
  PostDeploy,
  PostDeployContext,
  RunningNode,
  TlsPlaces,
} from "./types.ts";

/** Every kind lab knows, one file each in this folder. */
export const KINDS: KindDef[] = [
  aristaCeos,
  aristaVeos,
  arrcusArcos,
  arubaAoscx,
  bridge,
  checkpointCloudguard,
  cienaSaos,
  ciscoAsav,
  ciscoC8000,
  ciscoC8000v,
  ciscoCat9kv,
  ciscoCsr1000v,
  ciscoFtdv,
  ciscoIol,
  ciscoN9kv,
  ciscoSdwan,
  ciscoVios,
  ciscoXrd,
  ciscoXrdVrouter,
  ciscoXrv,
  ciscoXrv9k,
  cumulusCvx,
  dellFtosv,
  dellSonic,
  extContainer,
  f5BigipVe,
  fdioVpp,
  fortinetFortigate,
  freebsd,
  genericVm,
  host,
  huaweiVrp,
  ipinfusionOcnos,
  juniperCjunosevolved,
  juniperCrpd,
  juniperCsrx,
  juniperVjunosevolved,
  juniperVjunosrouter,
  juniperVjunosswitch,
  juniperVmx,
  juniperVqfx,
  juniperVsrx,
  k8sKind,
  keysightIxiaCOne,
  linux,
  mikrotikRos,
  mysocketio,
  nokiaSrlinux,
  nokiaSros,
  nokiaSrsim,
  nvidiaCumulusvx,
  openbsd,
  openwrt,
  ostinato,
  ovsBridge,
  paloaltoPanos,
  plvisionSonic,
  rare,
  sixwindVsr,
  sonicVm,
  sonicVs,
  spirentStc,
  veesixOsvbng,
  vyosnetworksVyos,
];

const byName = new Map<string, KindDef>();
for (const k of KINDS) for (const n of [k.name, ...k.aliases]) byName.set(n, k);

export function findKind(name: string): KindDef | undefined {
  return byName.get(name);
}

export function kindNames(): string[] {
  return KINDS.map((k) => k.name).sort();
}

export function allKindNames(): string[] {
  return [...byName.keys()];
}
