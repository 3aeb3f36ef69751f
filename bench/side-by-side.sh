#!/usr/bin/env bash
# Side by side: `opa validate` (release build) and the Backstage reference (the `yaml` package's
# parseAllDocuments + @backstage/catalog-model's policies and kind validators, bench/reference/)
# on the same generated catalog, in the same run, on the whole machine and on one core.
#
#   bench/side-by-side.sh [N] [RUNS]     N entities (default 20000), best of RUNS (default 3)
#
# Needs cargo, node and npm. Prints both throughputs (entities per second) and their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
RUNS="${2:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

echo "==> building opa (release) and the catalog generator" >&2
cargo build --release --quiet -p opa-cli
cargo build --release --quiet -p opa-core --example generate_catalog
echo "==> installing the Backstage reference (npm ci)" >&2
(cd bench/reference && npm ci --no-audit --no-fund --silent >/dev/null)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
catalog="$work/catalog.yaml"
"$CARGO_TARGET_DIR/release/examples/generate_catalog" "$N" >"$catalog"
bytes=$(wc -c <"$catalog")

opa="$CARGO_TARGET_DIR/release/opa"
reference=(node bench/reference/validate.js "$catalog")

# Both must call every entity valid, or the comparison is meaningless.
"$opa" validate "$catalog" >/dev/null || { echo "opa validate rejected the generated catalog" >&2; exit 1; }
verdict=$("${reference[@]}")
case "$verdict" in
  *"\"valid\":$N,"*) ;;
  *) echo "the reference did not accept all $N entities: $verdict" >&2; exit 1 ;;
esac

# Best wall time in milliseconds of RUNS runs of a command (whole process, output discarded).
best_ms() {
  local best="" start end ms
  for _ in $(seq "$RUNS"); do
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}

rate() { echo $(( N * 1000 / ($1 > 0 ? $1 : 1) )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b / (a > 0 ? a : 1) }'; }

cores=$(nproc)
echo "==> timing, best of $RUNS (machine: $cores cores; load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
opa_all=$(best_ms "$opa" validate "$catalog")
ref_all=$(best_ms "${reference[@]}")
opa_one=$(best_ms taskset -c 0 "$opa" validate "$catalog")
ref_one=$(best_ms taskset -c 0 "${reference[@]}")

printf '\n%s entities, %s bytes (%s bytes each)\n\n' "$N" "$bytes" $(( bytes / N ))
printf '%-22s %28s %28s\n' "" "whole machine ($cores cores)" "one core (taskset -c 0)"
printf '%-22s %12s ms %9s /s   %12s ms %9s /s\n' "opa validate" "$opa_all" "$(rate "$opa_all")" "$opa_one" "$(rate "$opa_one")"
printf '%-22s %12s ms %9s /s   %12s ms %9s /s\n' "Backstage reference" "$ref_all" "$(rate "$ref_all")" "$ref_one" "$(rate "$ref_one")"
printf '%-22s %27sx %27sx\n' "ratio" "$(ratio "$opa_all" "$ref_all")" "$(ratio "$opa_one" "$ref_one")"
printf '%-22s %28s %28s\n' "target" "50x" "20x"
