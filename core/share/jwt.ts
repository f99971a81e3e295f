// The one JWT reader: a token's claims (user, organisation, expiry), read without verifying its
// signature. lab only reads tokens the user's own login produced; the services verify them.

/** The payload of a JWT, or undefined when `token` is not one. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const part = token.trim().split(".")[1];
  if (!part) return undefined;
  try {
    // base64url, padding optional (atob's forgiving decode takes it without).
    const bytes = Uint8Array.from(atob(part.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === "object" && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A string claim, or undefined. */
export const stringClaim = (claims: Record<string, unknown> | undefined, name: string) =>
  typeof claims?.[name] === "string" ? (claims[name] as string) : undefined;

/** The `exp` claim as ms since the epoch, or undefined. */
export const expiryOf = (claims: Record<string, unknown> | undefined) =>
  typeof claims?.exp === "number" ? claims.exp * 1000 : undefined;
