#!/usr/bin/env bash
# Runs `lab validate` on every topology in a Containerlab checkout (lab-examples/ and tests/) and
# prints one line per file: ok, or the first error line. Not part of `make test`: Containerlab's
# repository is not in this one. Usage: scripts/check-clab-examples.sh PATH-TO-CONTAINERLAB [LAB-BINARY]
set -uo pipefail
clab=${1:?path to a containerlab checkout}
lab=$(realpath "${2:-$(dirname "$0")/../dist/lab}")
ok=0
bad=0
while IFS= read -r f; do
  dir=$(dirname "$f")
  out=$(cd "$dir" && NO_COLOR=1 "$lab" validate -t "$(basename "$f")" 2>&1 >/dev/null)
  if [[ $? -eq 0 ]]; then
    ok=$((ok + 1))
    echo "ok    ${f#"$clab"/}"
  else
    bad=$((bad + 1))
    echo "FAIL  ${f#"$clab"/}: $(grep -v '^\s*$' <<<"$out" | head -1 | sed 's/^ *ERROR *//')"
  fi
done < <(find "$clab/lab-examples" "$clab/tests" -type f \( -name '*.clab.yml' -o -name '*.clab.yaml' -o -name '*.clab.gotmpl' \) | sort)
echo "$ok valid, $bad refused"
