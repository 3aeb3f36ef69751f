#!/usr/bin/env bash
# Side by side from Python: opa_platform.validate (release wheel) against the Backstage reference
# (bench/reference/validate.js) on the same generated catalog, in the same run.
#
#   bindings-python/bench/side-by-side.sh [N] [RUNS]     N entities (default 20000), best of RUNS (3)
#
# Needs cargo, python3, node and npm. Builds a release wheel into a venv of its own.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-20000}"
RUNS="${2:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
VENV="${OPA_BENCH_VENV:-$PWD/.venv-bench}"

echo "==> building the release wheel and the catalog generator" >&2
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r bindings-python/requirements-dev.txt
rm -rf "$CARGO_TARGET_DIR/wheels-release"
"$VENV/bin/maturin" build -q --release -m bindings-python/Cargo.toml -o "$CARGO_TARGET_DIR/wheels-release"
"$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall "$CARGO_TARGET_DIR"/wheels-release/opa_platform-*.whl
cargo build --release --quiet -p opa-core --example generate_catalog
echo "==> installing the Backstage reference (npm ci)" >&2
(cd bench/reference && npm ci --no-audit --no-fund --silent >/dev/null)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$CARGO_TARGET_DIR/release/examples/generate_catalog" "$N" >"$work/catalog.yaml"
"$VENV/bin/python" bindings-python/bench/side_by_side.py "$work/catalog.yaml" --runs "$RUNS"
