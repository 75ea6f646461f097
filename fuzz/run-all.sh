#!/usr/bin/env bash
# Run every fuzz target for SECONDS_PER_TARGET (default 600) seconds, one after another, seeded from
# the repository's fixtures; prints libFuzzer's final stats line per target. Crashes land in
# fuzz/artifacts/<target>/; copy each into regressions/<target>-<what>.bin (tests/it/fuzz_regressions.rs
# replays them). Usage: fuzz/run-all.sh [TARGET...]
set -uo pipefail
cd "$(dirname "$0")"
secs="${SECONDS_PER_TARGET:-600}"
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(json yaml hcl sources condition account)
seeds() {
  local t="$1" dir="corpus/$t/seeds"
  mkdir -p "$dir"
  case "$t" in
    json | condition) find ../fixtures ../examples -name '*.json' -not -path '*/sources/*' ;;
    yaml) find ../fixtures ../examples -name '*.yaml' -o -name '*.yml' ;;
    hcl) find ../fixtures ../examples -name '*.tf' ;;
    sources) find ../fixtures/sources ../examples -type f ;;
    account) find ../fixtures/sources/account -type f ;;
  esac | while read -r f; do
    case "$t" in
      # `sources` reads its first byte as the front-end choice: seed every file under each name.
      sources) for i in 0 1 2 3 4 5; do { printf "\\x$(printf %02x "$i")"; cat "$f"; } >"$dir/$i-$(basename "$f")"; done ;;
      *) cp "$f" "$dir/$(echo "$f" | tr '/' '_')" ;;
    esac
  done
  echo "$dir"
}
cargo fuzz build -s none >/dev/null 2>&1
for t in "${targets[@]}"; do
  seed_dir="$(seeds "$t")"
  mkdir -p "corpus/$t/live"
  echo "== $t ($secs s) $(date -u +%H:%M:%S)"
  cargo fuzz run -s none "$t" "corpus/$t/live" "$seed_dir" -- -max_total_time="$secs" -rss_limit_mb=4096 \
    -timeout=10 2>&1 | grep -E "^#[0-9]+ +(DONE|pulse)|Done [0-9]+ runs|ERROR|SUMMARY|crash-|timeout-|oom-" | tail -4
  echo "exit ${PIPESTATUS[0]} $(date -u +%H:%M:%S)"
done
