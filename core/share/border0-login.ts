import { LabError } from "../errors.ts";
import { BORDER0_PORTAL, Border0Api } from "./border0-api.ts";
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

function claim(token: string, name: string): string | undefined {
  try {
    const part = token.split(".")[1] ?? "";
    return (JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, string>)[name];
  } catch {
    return undefined;
  }
}

export async function border0DeviceLogin(o: DeviceLoginOptions): Promise<string> {
  const api = new Border0Api(o.api, "");
  const sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const now = o.now ?? Date.now;
  const started = await api.call<{ token?: string }>("POST", "/device_authorizations");
  const device = started.data?.token;
  const identifier = device ? claim(device, "identifier") : undefined;
  if (!device || !identifier) throw new LabError("remote", "the Border0 API started no device authorization");
  o.tell(`${o.portal ?? BORDER0_PORTAL}/login?device_identifier=${encodeURIComponent(identifier)}`);
  const deadline = now() + (o.timeoutMs ?? 180_000);
  let wait = 1000;
  while (now() < deadline) {
    await sleep(wait);
    wait = Math.min(5000, wait * 1.3);
    let polled: { status: number; data: { token?: string; state?: string } | undefined };
    try {
      polled = await api.call("GET", "/device_authorizations", undefined, device);
    } catch (error) {
      if (error instanceof LabError && error.code === "auth")
        throw new LabError("auth", "the Border0 device authorization expired before it was approved", {
          hint: "Run lab login border0 again and approve it in the portal",
        });
      throw error;
    }
    const { token, state } = polled.data ?? {};
    if (token && state !== "not_authorized") {
      await saveToken(o.file, token);
      return token;
    }
  }
  throw new LabError("auth", "nobody approved the Border0 login within 3 minutes", {
    hint: "Run lab login border0 again and open the link it prints",
  });
}
