// vrnetlab's pre-stop step (Containerlab's VRNode.PreStop): some images rename their versioned qcow
// disk after the first boot and cannot find it when started again. Before a stop, the one disk in /
// (not an overlay) gets a hard link named after the image's tag, /clab-<tag>.qcow2, unless one is
// there; /sros.qcow2 is taken as is. Nothing to do when the tag cannot be told.

const TAG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The image's tag (repo:tag, digest dropped), when it has a usable one. */
export function imageTag(image: string): string | undefined {
  const name = image.split("@")[0] as string;
  const colon = name.lastIndexOf(":");
  if (colon === -1 || colon < name.lastIndexOf("/")) return undefined;
  const tag = name.slice(colon + 1);
  return TAG.test(tag) ? tag : undefined;
}

/** The command run in the container before it stops, or undefined when the image has no tag. */
export function qcowAliasCommand(image: string): string[] | undefined {
  const tag = imageTag(image);
  if (!tag) return undefined;
  const script = [
    `alias="/clab-${tag}.qcow2"`,
    '[ -e "$alias" ] && exit 0',
    'src=""',
    'if [ -f /sros.qcow2 ] && [ /sros.qcow2 != "$alias" ]; then src=/sros.qcow2; else',
    "  for f in /*.qcow2; do",
    '    [ -e "$f" ] || continue',
    '    [ "$f" = "$alias" ] && continue',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, not a template
    '    case "${f##*/}" in *overlay*.qcow2) continue ;; esac',
    // More than one candidate: not ours to choose.
    '    if [ -n "$src" ]; then src=""; break; fi',
    '    src="$f"',
    "  done",
    "fi",
    '[ -n "$src" ] || exit 0',
    'ln "$src" "$alias"',
  ].join("\n");
  return ["sh", "-lc", script];
}
