import { container } from "./vrnetlab.ts";

/** Cumulus VX in a container (Containerlab: nodes/cvx). */
export default container({
  name: "cumulus_cvx",
  aliases: ["cvx"],
});
