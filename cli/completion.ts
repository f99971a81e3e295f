import { type CommandNode, findCommand, takesValue } from "./tree.ts";

// Shell completion from the command tree: `lab completion bash|zsh|fish` prints a script that asks
// `lab __complete <words…>` for the candidates, so what it offers follows the commands as built.

/** Candidates for the last word (the one being typed), given the words before it. */
export function complete(root: CommandNode, words: string[]): string[] {
  const current = words[words.length - 1] ?? "";
  const before = words.slice(0, -1);
  const { path, rest } = findCommand(root, before);
  const node = path[path.length - 1] as CommandNode;
  const previous = rest[rest.length - 1];
  if (previous?.startsWith("-") && takesValue(node, previous)) {
    const bare = previous.replace(/^-{1,2}/, "");
    const arg = node.args.find((a) => a.name === bare || a.alias?.includes(bare));
    // A free value (a file, a name): the shell's own completion takes over.
    return (arg?.options ?? []).filter((o) => o.startsWith(current));
  }
  if (current.startsWith("-"))
    return node.args
      .filter((a) => a.type !== "positional")
      .flatMap((a) => [`--${a.name}`, ...(a.alias ?? []).map((x) => (x.length === 1 ? `-${x}` : `--${x}`))])
      .filter((f) => f.startsWith(current));
  return node.subcommands.filter((s) => !s.hidden && s.name.startsWith(current)).map((s) => s.name);
}

const scripts = {
  bash: `# lab completion for bash: source <(lab completion bash), or save it to
# /etc/bash_completion.d/lab
_lab_complete() {
  local IFS=$'\\n'
  COMPREPLY=($("\${COMP_WORDS[0]}" __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _lab_complete lab
`,
  zsh: `#compdef lab
# lab completion for zsh: source <(lab completion zsh), or save it as _lab in your $fpath
_lab() {
  local -a candidates
  candidates=("\${(@f)$("\${words[1]}" __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ -n "\${candidates[1]}" ]]; then compadd -a candidates; else _files; fi
}
compdef _lab lab
`,
  fish: `# lab completion for fish: lab completion fish > ~/.config/fish/completions/lab.fish
function __lab_complete
  set -l words (commandline -opc) (commandline -ct)
  $words[1] __complete $words[2..-1] 2>/dev/null
end
complete -c lab -f -a '(__lab_complete)'
`,
} as const;

export const shells = Object.keys(scripts) as (keyof typeof scripts)[];

export function completionScript(shell: string): string | undefined {
  return scripts[shell as keyof typeof scripts];
}
