import { container } from "./vrnetlab.ts";

/**
 * SONiC virtual switch (Containerlab: nodes/sonic): bash as the entrypoint (the image's own would
 * take the management network over), a certificate, and once it runs supervisord with bgpd started,
 * both without waiting, as Containerlab's RunExecNotWait.
 */
export default container({
  name: "sonic-vs",
  aliases: [],
  entrypoint: "/bin/bash",
  postDeploy: {
    what: "supervisord and bgpd",
    detached: [["supervisord"], ["supervisorctl", "start", "bgpd"]],
  },
  platform: { scrapli: "sonic" },
});
