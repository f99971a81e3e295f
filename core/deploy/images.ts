import type { DockerClient, PullEvent, RegistryAuth } from "../../runtime/docker/index.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import { lookupCredentials } from "../registry/credentials.ts";
import { parseReference } from "../registry/reference.ts";
import type { ImageStep } from "./plan.ts";
import { mapLimit } from "./pool.ts";
import type { Reporter } from "./reporter.ts";

async function registryAuth(image: string, platform: Platform): Promise<RegistryAuth | undefined> {
  const { registry } = parseReference(image);
  const creds = await lookupCredentials(registry, platform);
  if (!creds) return undefined;
  return creds.identityToken
    ? { identitytoken: creds.identityToken, serveraddress: registry }
    : { username: creds.username, password: creds.password, serveraddress: registry };
}

/** Sums layer progress from the engine's pull stream into one figure per image. */
function progressTracker(image: string, reporter: Reporter) {
  const layers = new Map<string, { current: number; total: number }>();
  return (e: PullEvent) => {
    if (!e.id || !e.progressDetail?.total) return;
    if (e.status === "Downloading")
      layers.set(e.id, { current: e.progressDetail.current ?? 0, total: e.progressDetail.total });
    else if (e.status === "Download complete" || e.status === "Pull complete") {
      const l = layers.get(e.id);
      if (l) l.current = l.total;
    }
    let current = 0;
    let total = 0;
    for (const l of layers.values()) {
      current += l.current;
      total += l.total;
    }
    reporter.progress?.(image, current, total, e.status ?? "");
  };
}

/**
 * Makes every image the lab needs present in the engine: inspected first, pulled when missing (or
 * always, per policy), each image once, in parallel, with credentials from the docker config.
 */
export async function ensureImages(
  steps: ImageStep[],
  docker: DockerClient,
  platform: Platform,
  reporter: Reporter,
  signal?: AbortSignal,
  /** The host whose engine this is, for messages (absent or "local": this machine). */
  host?: string,
): Promise<void> {
  const on = host && host !== "local" ? ` on ${host}` : "";
  await mapLimit(steps, 4, async (step) => {
    const present = await docker.images.find(step.image);
    if (present && step.policy !== "Always") return;
    if (!present && step.policy === "Never") {
      throw new LabError(
        "not-found",
        `image ${step.image} is not in the engine${on} and image-pull-policy is Never (node ${step.nodes.join(", ")})`,
        {
          hint: "Pull or build it first, or change image-pull-policy",
        },
      );
    }
    reporter.info(`pulling ${step.image}${on}`);
    const auth = await registryAuth(step.image, platform);
    try {
      await docker.images.pull(step.image, { auth, onEvent: progressTracker(step.image, reporter), signal });
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      const { registry } = parseReference(step.image);
      const authProblem = /unauthori[sz]ed|authentication required|no basic auth|denied|401/i.test(error.message);
      // Docker treats 127.0.0.0/8 registries as plain HTTP by itself; Podman asks over HTTPS unless told.
      const plainHttp = /server gave HTTP response to HTTPS client/i.test(error.message);
      throw new LabError(
        authProblem ? "auth" : error.code,
        `cannot pull ${step.image}${on}: ${error.message.replace(/^pull [^:]+: /, "")}`,
        {
          hint: authProblem
            ? `Check the credentials for ${registry} in ~/.docker/config.json (docker login ${registry})`
            : plainHttp
              ? `${registry} speaks plain HTTP: mark it insecure for the engine (Podman: a [[registry]] entry with insecure = true in /etc/containers/registries.conf; Docker: insecure-registries in daemon.json)`
              : "Check the image name and that the registry is reachable",
        },
      );
    }
    reporter.progressDone?.(step.image, "pulled");
  });
}
