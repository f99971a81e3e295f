import { out } from "../out.ts";

export function printJson(value: unknown): void {
  out(`${JSON.stringify(value, null, 2)}\n`);
}
