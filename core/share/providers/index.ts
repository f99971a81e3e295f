import { LabError } from "../../errors.ts";
import { parseSshUrl } from "../../ssh/connect.ts";
import { labKnownHosts } from "../../ssh/tofu.ts";
import { parseEdge } from "../api.ts";
import { BORDER0_API, BORDER0_TUNNEL } from "../border0-api.ts";
import { findBorder0Token } from "../border0-token.ts";
import { endpoints } from "../control.ts";
import { findToken, mysocketTokenPlaces } from "../token.ts";
import { type TopologyPlace, tokenFiles } from "../token-lookup.ts";
import { border0Provider } from "./border0.ts";
import { mysocketProvider } from "./mysocket.ts";
import { parsePortRange, sshProvider } from "./ssh.ts";
import type { ProviderId, ShareProvider } from "./types.ts";

// Which service lab share uses, and building it: --provider; else ssh with --via; else
// LAB_SHARE_PROVIDER; else mysocket when it was set up (so existing setups keep working); else Border0.

export interface ProviderChoice {
  provider?: string;
  via?: string;
  api?: string;
  identity?: string;
  acceptNewHostKey?: boolean;
  remotePorts?: string;
  edge?: string;
  /** --public: share entries with an allow-list through an edge that cannot enforce it. */
  public?: boolean;
}

export const PROVIDERS: ProviderId[] = ["border0", "ssh", "mysocket"];

export function pickProviderId(
  c: ProviderChoice,
  env: (name: string) => string | undefined,
  topology?: TopologyPlace,
): ProviderId {
  const named = c.provider ?? (c.via ? "ssh" : env("LAB_SHARE_PROVIDER"));
  if (named) {
    if (!(PROVIDERS as string[]).includes(named))
      throw new LabError("usage", `there is no sharing provider ${named}`, {
        hint: `Use one of ${PROVIDERS.join(", ")}`,
      });
    return named as ProviderId;
  }
  // A token file counts only where it would be used (the user's own, private; see token-lookup.ts).
  const mysocketSetUp =
    !!env("MYSOCKET_API") ||
    !!env("MYSOCKET_TOKEN") ||
    tokenFiles(mysocketTokenPlaces(env), topology, () => {}).length > 0;
  return mysocketSetUp ? "mysocket" : "border0";
}

type Build = (
  c: ProviderChoice,
  env: (name: string) => string | undefined,
  topology: TopologyPlace | undefined,
  warn: (message: string) => void,
) => Promise<ShareProvider>;

const builders: Record<ProviderId, Build> = {
  async mysocket(c, env, topology, warn) {
    const ep = endpoints(env, c.api);
    return mysocketProvider({
      api: ep.api,
      edge: ep.edge,
      token: await findToken(env, topology, warn),
      knownHosts: labKnownHosts({ XDG_CONFIG_HOME: env("XDG_CONFIG_HOME"), HOME: env("HOME") }),
    });
  },
  async border0(c, env, topology, warn) {
    const edge = parseEdge(env("BORDER0_TUNNEL") ?? env("BORDER0_TUNNEL_SERVER") ?? BORDER0_TUNNEL);
    return border0Provider({
      api: c.api ?? env("BORDER0_API") ?? BORDER0_API,
      edge,
      token: await findBorder0Token(env, topology, warn),
    });
  },
  async ssh(c, env) {
    if (!c.via) throw new LabError("usage", "the ssh provider needs the host: --via ssh://user@host[:port]");
    if (!c.via.startsWith("ssh://")) throw new LabError("usage", `--via ${c.via} is not ssh://user@host[:port]`);
    if (c.edge && c.edge !== "openssh" && c.edge !== "sish")
      throw new LabError("usage", `--edge ${c.edge} is not openssh or sish`);
    const record: Record<string, string | undefined> = {
      HOME: env("HOME"),
      USER: env("USER"),
      SSH_AUTH_SOCK: env("SSH_AUTH_SOCK"),
    };
    const target = parseSshUrl(c.via, record);
    return sshProvider({
      target: { user: target.user, host: target.host, port: target.port },
      env: record,
      identity: c.identity,
      acceptNewHostKey: !!c.acceptNewHostKey,
      remotePorts: c.remotePorts ? parsePortRange(c.remotePorts) : undefined,
      edge: c.edge === "sish" ? "sish" : "openssh",
      public: !!c.public,
    });
  },
};

export async function buildProvider(
  c: ProviderChoice,
  env: (name: string) => string | undefined,
  topology?: TopologyPlace,
  warn: (message: string) => void = () => {},
): Promise<ShareProvider> {
  return builders[pickProviderId(c, env, topology)](c, env, topology, warn);
}

/** The choice a provider's `args` (as recorded in the share state) stand for. */
export function choiceFromArgs(args: string[]): ProviderChoice {
  const c: ProviderChoice = {};
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = [args[i], args[i + 1]];
    if (flag === "--provider") c.provider = value;
    else if (flag === "--via") c.via = value;
    else if (flag === "--api") c.api = value;
    else if (flag === "--identity") c.identity = value;
    else if (flag === "--remote-ports") c.remotePorts = value;
    else if (flag === "--edge") c.edge = value;
    else {
      if (flag === "--accept-new-host-key") c.acceptNewHostKey = true;
      if (flag === "--public") c.public = true;
      continue;
    }
    i++;
  }
  return c;
}
