import pkg from "../package.json" with { type: "json" };

// Replaced at compile time by `bun build --define` (scripts/build.ts); absent when run from source.
declare const LAB_COMMIT: string | undefined;
declare const LAB_BUILD_DATE: string | undefined;

export const buildInfo = {
  version: pkg.version,
  commit: typeof LAB_COMMIT === "string" ? LAB_COMMIT : "source",
  date: typeof LAB_BUILD_DATE === "string" ? LAB_BUILD_DATE : undefined,
};
