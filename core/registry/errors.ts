import { LabError } from "../errors.ts";

interface RegistryErrorBody {
  errors?: { code?: string; message?: string; detail?: unknown }[];
}

function detailText(detail: unknown): string {
  if (!detail) return "";
  if (Array.isArray(detail)) {
    const parts = detail
      .map((d) =>
        d && typeof d === "object" && "Name" in d
          ? `${(d as { Type?: string }).Type ?? ""} ${(d as { Name: string }).Name} ${(d as { Action?: string }).Action ?? ""}`.trim()
          : "",
      )
      .filter(Boolean);
    return parts.length ? ` (${parts.join(", ")})` : "";
  }
  return "";
}

/** `CODE: message` from the registry's error body, as the spec defines it; text otherwise. */
export function registryErrorText(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as RegistryErrorBody;
    const first = parsed.errors?.[0];
    if (first?.code) return `${first.code}: ${first.message ?? ""}${detailText(first.detail)}`.trim();
  } catch {
    // not JSON
  }
  const text = body.trim().split("\n")[0]?.slice(0, 200);
  return text ? `HTTP ${status}: ${text}` : `HTTP ${status}`;
}

export function registryError(status: number, body: string, what: string, registry: string): LabError {
  const text = registryErrorText(status, body);
  if (status === 401 || /^UNAUTHORIZED/.test(text)) {
    return new LabError("auth", `${what}: ${text}`, {
      hint: `Check the credentials for ${registry} (--creds, or lab images login ${registry})`,
    });
  }
  if (status === 403 || /^DENIED/.test(text)) {
    return new LabError("auth", `${what}: ${text}`, {
      hint: "This account may not push to that repository or project",
    });
  }
  if (status === 404) return new LabError("not-found", `${what}: ${text}`);
  return new LabError("remote", `${what}: ${text}`);
}
