import { LabError } from "../errors.ts";
import { sleep } from "../sleep.ts";
import { BORDER0_PORTAL, Border0Api } from "./border0-api.ts";
import { jwtClaims, stringClaim } from "./jwt.ts";
import { saveToken } from "./token.ts";

// Border0's device authorization (border0-api.md §1): ask for a device token, send the user to the
// portal with its identifier, poll until they approve it (backoff ×1.3 from 1 s to 5 s, 3 minutes at
// most), and keep the token where Border0's CLI keeps it, mode 0600.

export interface DeviceLoginOptions {
  api: string;
  portal?: string;
  file: string;
  tell(url: string): void;
  sleep?(ms: number): Promise<void>;
  now?(): number;
  timeoutMs?: number;
}

export async function border0DeviceLogin(o: DeviceLoginOptions): Promise<string> {
  const api = new Border0Api(o.api, "");
  const wait = o.sleep ?? sleep;
  const now = o.now ?? Date.now;
  const started = await api.call<{ token?: string }>("POST", "/device_authorizations", undefined, null);
  const device = started.data?.token;
  const identifier = device ? stringClaim(jwtClaims(device), "identifier") : undefined;
  if (!device || !identifier) throw new LabError("remote", "the Border0 API started no device authorization");
  o.tell(`${o.portal ?? BORDER0_PORTAL}/login?device_identifier=${encodeURIComponent(identifier)}`);
  // As the SDK's pollForToken: backoff 1 s ×1.3, capped at 5 s, for at most 3 minutes; a failed
  // poll (a 401 while the user has not approved yet, a network hiccup) is polled again.
  const deadline = now() + (o.timeoutMs ?? 180_000);
  let pause = 1000;
  let lastProblem = "";
  while (now() < deadline) {
    await wait(pause);
    pause = Math.min(5000, pause * 1.3);
    let polled: { token?: string; state?: string } | undefined;
    try {
      polled = (await api.call<{ token?: string; state?: string }>("GET", "/device_authorizations", undefined, device))
        .data;
    } catch (error) {
      lastProblem = (error as Error).message;
      continue;
    }
    const { token, state } = polled ?? {};
    if (state === "denied" || state === "rejected")
      throw new LabError("auth", "the Border0 login was denied in the portal", {
        hint: "Run lab login border0 again and approve it, or log in to the organisation you meant",
      });
    if (token && state !== "not_authorized") {
      await saveToken(o.file, token);
      return token;
    }
  }
  throw new LabError(
    "auth",
    `nobody approved the Border0 login within ${Math.round((o.timeoutMs ?? 180_000) / 1000)} s${lastProblem ? ` (last poll: ${lastProblem})` : ""}`,
    { hint: "Run lab login border0 again and open the link it prints" },
  );
}
