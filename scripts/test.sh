#!/usr/bin/env bash
# `make test`: prepares the machine, builds the binary, runs lint, the Bun suite (unit + e2e against
# the real servers) and the Deno suite, then prints every skipped test with its reason and one closing
# line `N passed, N failed, N skipped`.
set -uo pipefail
cd "$(dirname "$0")/.."

BUN=node_modules/.bin/bun
DENO=node_modules/.bin/deno
results=.test-results
rm -rf "$results" && mkdir -p "$results"

passed=0
failed=0
skipped=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + ${3:-0})); }
# Tests that skip say why here (test/helpers/skip.ts); printed above the closing line.
export LAB_SKIP_LOG=$PWD/$results/skips.txt
: >"$LAB_SKIP_LOG"

step() { printf '\n=== %s\n' "$*" >&2; }

step "test machine"
bash scripts/test-env.sh || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

step "build"
$BUN scripts/build.ts || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
export LAB_BIN=$PWD/dist/lab

step "lint (biome + tsc + oracles)"
if $BUN x biome check . && $BUN x tsc --noEmit -p . && $BUN scripts/check-oracles.ts; then count 1 0; else count 0 1; fi

step "bun test"
$BUN test --timeout 120000 "$@" 2>&1 | tee "$results/bun.txt"
bun_pass=$(grep -Eo '^ *[0-9]+ pass$' "$results/bun.txt" | tail -1 | grep -Eo '[0-9]+' || echo 0)
bun_fail=$(grep -Eo '^ *[0-9]+ fail$' "$results/bun.txt" | tail -1 | grep -Eo '[0-9]+' || echo 0)
bun_skip=$(grep -Eo '^ *[0-9]+ skip$' "$results/bun.txt" | tail -1 | grep -Eo '[0-9]+' || echo 0)
# A crash before the summary must not look like success.
if ! grep -Eq '^ *[0-9]+ pass$' "$results/bun.txt"; then bun_fail=$((bun_fail + 1)); fi
count "$bun_pass" "$bun_fail" "$bun_skip"

step "deno test"
NO_COLOR=1 $DENO test -A --no-check test/deno/*.deno.ts 2>&1 | tee "$results/deno.txt"
deno_line=$(grep -E '^(ok|FAILED) \| [0-9]+ passed' "$results/deno.txt" | tail -1)
if [[ -n "$deno_line" ]]; then
  count "$(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<<"$deno_line")" "$(sed -E 's/.*\| ([0-9]+) failed.*/\1/' <<<"$deno_line")" \
    "$(sed -nE 's/.*\| ([0-9]+) ignored.*/\1/p' <<<"$deno_line")"
else
  count 0 1
fi

echo
# Every skip by name: Bun's own "(skip)" lines, with the reason each test recorded.
if ((skipped)); then
  sort -u "$LAB_SKIP_LOG"
  recorded=$(sort -u "$LAB_SKIP_LOG" | wc -l)
  if ((recorded < skipped)); then
    echo "$((skipped - recorded)) skipped without a recorded reason:"
    grep -E '^\(skip\)' "$results/bun.txt" || true
  fi
fi
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
