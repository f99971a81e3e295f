import { LabError } from "../errors.ts";
import type { PostDeployContext } from "./types.ts";
import { container } from "./vrnetlab.ts";

/** ixia-c-one marks its start-up done with this file. */
const READY = "/home/keysight/ixia-c-one/init-done";

/** Containerlab's post-deploy: the lab is up once ixia-c-one's own start-up has finished. */
async function ixiaReady(ctx: PostDeployContext): Promise<void> {
  const ready = await ctx.waitUntil(async () => (await ctx.exec(["bash", "-c", `ls ${READY}`])).code === 0);
  if (!ready) throw new LabError("remote", `${READY} never appeared`);
}

/** Keysight Ixia-c-one (Containerlab: nodes/keysight_ixiacone). */
export default container({
  name: "keysight_ixia-c-one",
  aliases: [],
  postDeploy: { what: "its start-up", run: ixiaReady },
});
