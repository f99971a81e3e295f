#!/usr/bin/env bash
# An OCI runtime wrapper for test machines whose capability bounding set is incomplete, such as a
# sandbox without CAP_SYS_RESOURCE. Docker gives a privileged container every capability it knows;
# runc then fails ("unable to apply caps: operation not permitted") because no process here can hold
# one the bounding set lacks. This wrapper removes exactly those capabilities from the container's
# OCI spec (the bundle's config.json on create/run, the --process file on exec) and hands everything
# to the real runtime unchanged. scripts/test-env.sh installs it, with the missing names filled in,
# only where the bounding set is incomplete; on a normal host it is never installed.
set -euo pipefail

REAL_RUNTIME=@REAL_RUNTIME@
# JSON array of capability names the bounding set lacks, e.g. ["CAP_SYS_RESOURCE"].
MISSING_CAPS='@MISSING_CAPS@'

# trim FILE JQ_PATH: drops the missing capabilities from every set under JQ_PATH, in place. The file
# is the runtime's own (written by containerd or the engine a moment ago), so a plain rewrite is safe.
trim() {
  local file=$1 path=$2 tmp
  [[ -f "$file" ]] || return 0
  tmp="$file.captrim.$$"
  jq --argjson missing "$MISSING_CAPS" \
    "if $path then $path |= with_entries(.value |= (. // [] | map(select(. as \$c | \$missing | index(\$c) | not)))) else . end" \
    "$file" >"$tmp"
  mv -f "$tmp" "$file"
}

subcommand="" bundle="" process=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  a=${args[i]}
  next=${args[i + 1]:-}
  case "$a" in
    --bundle | -b) bundle=$next ;;
    --bundle=*) bundle=${a#--bundle=} ;;
    --process | -p) process=$next ;;
    --process=*) process=${a#--process=} ;;
    create | run | exec) [[ -z "$subcommand" ]] && subcommand=$a ;;
  esac
done

case "$subcommand" in
  create | run) trim "${bundle:-.}/config.json" ".process.capabilities" ;;
  exec) [[ -n "$process" ]] && trim "$process" ".capabilities" ;;
esac

exec "$REAL_RUNTIME" "$@"
