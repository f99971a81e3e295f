import { createHmac } from "node:crypto";

// HS256 JWTs for the fake APIs (their clients read the claims and never verify the signature).

const b64url = (s: string | Buffer) => Buffer.from(s).toString("base64url");

export function jwt(secret: string) {
  const mac = (data: string) => b64url(createHmac("sha256", secret).update(data).digest());
  return {
    sign(claims: Record<string, unknown>): string {
      const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
      const body = b64url(JSON.stringify(claims));
      return `${head}.${body}.${mac(`${head}.${body}`)}`;
    },
    /** The claims of a token this secret signed and that has not expired. */
    verify(token: string): Record<string, unknown> | undefined {
      const [head, body, sig] = token.trim().split(".");
      if (!head || !body || !sig || mac(`${head}.${body}`) !== sig) return undefined;
      const claims = JSON.parse(Buffer.from(body, "base64url").toString());
      return typeof claims.exp === "number" && claims.exp * 1000 > Date.now() ? claims : undefined;
    },
  };
}
