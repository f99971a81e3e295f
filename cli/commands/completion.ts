import { defineCommand } from "citty";
import { shells } from "../completion.ts";

// Answered by cli/fast.ts from the command tree before any module loads; this definition puts the
// command in that tree (help, completion of its own argument).
export default defineCommand({
  meta: { name: "completion", description: "Print the shell completion script: source <(lab completion bash)" },
  args: { shell: { type: "positional", description: shells.join(", "), required: false } },
});
