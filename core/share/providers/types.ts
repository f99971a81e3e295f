import type { Reporter } from "../../deploy/reporter.ts";
import type { ShareEntry } from "../plan.ts";
import type { TunnelOptions } from "../tunnel.ts";

// A sharing service, as one table entry: mysocket (the API lab always spoke), Border0 (its
// successor), or an SSH host the user controls. The supervisor does the rest the same way for all.

export type ProviderId = "mysocket" | "border0" | "ssh";

/** What a provider made for one publish entry, and how to hold its tunnel. */
export interface OpenedSocket {
  /** The name lab gave it (unique per lab). */
  name: string;
  /** The service's id (mysocket, Border0), for deletion. */
  socketId: string;
  dnsname: string;
  type: string;
  ports: number[];
  /** How to reach it, for people: https://…, host:port, ssh user@… */
  address: string;
  /** Who may connect, in words. */
  who: string;
  /** A policy lab made for it (Border0), deleted with it. */
  policyId?: string;
  tunnel: Omit<TunnelOptions, "target" | "log" | "onStatus">;
  /** The public address known only once the edge says it (sish, own edge with a picked port). */
  addressFor?(edgePort: number | undefined, output: string): string | undefined;
  /** Legacy mysocket fields. */
  tunnelId?: string;
  localPort?: number;
  cloudAuth?: boolean;
}

export interface ShareProvider {
  id: ProviderId;
  /** The name of an entry's socket at this service (unique per lab where the service is shared). */
  nameFor(lab: string, node: string, type: string, port: number): string;
  /** "border0 (API https://…, edge tunnel.border0.com:22)", said once. */
  describe(): string;
  /** Refuses entries this service cannot publish as written (an allow-list an own edge cannot enforce). */
  checkEntries?(entries: ShareEntry[]): void;
  /** Everything checked before anything is created (token, reachability, host key). */
  prepare(reporter: Reporter): Promise<void>;
  /** Deletes what this lab left at the service (sockets, policies by name); returns their names. */
  removeStale(names: Set<string>, reporter: Reporter): Promise<string[]>;
  open(entry: ShareEntry, lab: string, reporter: Reporter): Promise<OpenedSocket>;
  close(socket: { name: string; socketId: string; policyId?: string }): Promise<void>;
  /** Once every tunnel is up (the own edge's bind check); warnings go to the reporter. */
  whileUp?(sockets: { name: string; edgePort?: number }[], reporter: Reporter): Promise<void>;
  /** Per-service limits on published ports, checked before anything is created. */
  limits?: { tcp: number; http: number };
  /** Periodic upkeep (token refresh): when it is next due, and the work. */
  refresh?: { nextInMs(): number; run(reporter: Reporter): Promise<void> };
  /** What `lab share _run` needs to rebuild this provider in the background. */
  args: string[];
}
