#!/usr/bin/env bash
# Side by side: OPA-rs against nunjucks rendering the same generated fetch:template skeleton
# (1,000 files of about 3 KB with substitutions, filters, `if` blocks and `for` loops) with the
# same context, in the same run, reads and writes included. Prints both times and the ratio.
#
#   bench/side-by-side-render.sh [RUNS]     (default 5; the best run of each side is compared)
#
# OPA-rs: the release build of examples/render_skeleton.rs (SkeletonRenderer, files on every
# core). nunjucks: bench/render-nunjucks.js, configured as Backstage's SecureTemplater, in one
# Node process. Each run writes to a fresh folder (deleting thousands of files just before
# creating thousands more makes ext4's inode allocation the thing measured).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

cargo build --quiet --release -p opa-examples --example render_skeleton
BIN="$CARGO_TARGET_DIR/release/examples/render_skeleton"
(cd bench && npm ci --no-audit --no-fund --silent)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
node bench/skeleton.js "$WORK"

best() { sort -n | head -1; }
rs_times=() nj_times=()
for i in $(seq 1 "$RUNS"); do
  rs_times+=("$("$BIN" "$WORK/skeleton" "$WORK/context.json" "$WORK/out-rs-$i")")
  nj_times+=("$(node bench/render-nunjucks.js "$WORK/skeleton" "$WORK/context.json" "$WORK/out-nj-$i")")
done
diff -r "$WORK/out-rs-1" "$WORK/out-nj-1" >/dev/null || {
  echo "side-by-side: OPA-rs and nunjucks outputs differ" >&2
  diff -r "$WORK/out-rs-1" "$WORK/out-nj-1" | head -20 >&2
  exit 1
}
rs="$(printf '%s\n' "${rs_times[@]}" | best)"
nj="$(printf '%s\n' "${nj_times[@]}" | best)"
echo "outputs identical (1,000 files)"
echo "OPA-rs   runs (ms): ${rs_times[*]}"
echo "nunjucks runs (ms): ${nj_times[*]}"
awk -v rs="$rs" -v nj="$nj" 'BEGIN {
  printf "best: OPA-rs %.1f ms, nunjucks %.1f ms: OPA-rs is %.1fx faster\n", rs, nj, nj / rs
}'
