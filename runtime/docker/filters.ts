/** Builds the engine's `filters` query value: `{"label": ["a=b", "c"]}` as JSON. */
export function labelFilters(labels: Record<string, string | true>, extra: Record<string, string[]> = {}): string {
  const label = Object.entries(labels).map(([k, v]) => (v === true ? k : `${k}=${v}`));
  return JSON.stringify({ ...(label.length ? { label } : {}), ...extra });
}

/** Image references go into URL paths as-is except characters that would break the path. */
export function imagePath(name: string): string {
  return name
    .split("/")
    .map((part) => encodeURIComponent(part).replace(/%3A/gi, ":").replace(/%40/g, "@"))
    .join("/");
}
