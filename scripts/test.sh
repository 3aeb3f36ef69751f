#!/usr/bin/env bash
# Sets up and runs every test of OPA-rs. This is what CI runs (.ci/run) and what the README says.
# Installs what the tests need (Rust deps from crates.io, later npm and PyPI packages) by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "tools the rust tests call (check-jsonschema, for the published GitLab CI / GitHub workflow schemas)"
SCHEMA_VENV="${OPA_SCHEMA_VENV:-$PWD/.venv-schemas}"
[ -x "$SCHEMA_VENV/bin/python" ] || python3 -m venv "$SCHEMA_VENV"
"$SCHEMA_VENV/bin/pip" install -q --disable-pip-version-check -r scripts/requirements-schemas.txt
export OPA_CHECK_JSONSCHEMA="$SCHEMA_VENV/bin/check-jsonschema"

step "moto, the AWS API server the opa-aws tests call (same venv; two servers on free ports)"
MOTO_VENV="$SCHEMA_VENV"
"$MOTO_VENV/bin/pip" install -q --disable-pip-version-check -r scripts/requirements-moto.txt
# shellcheck source=scripts/moto.sh
. scripts/moto.sh
start_moto AWS_ENDPOINT_URL
# IAM enforced from the first call; the AccessDenied test opens a set-up window itself.
start_moto OPA_MOTO_AUTH_ENDPOINT_URL INITIAL_NO_AUTH_ACTION_COUNT=0
# Dummy credentials and region, and nothing read from this machine's AWS profiles.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
  AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null OPA_REQUIRE_MOTO=1
unset AWS_PROFILE AWS_SESSION_TOKEN

step "rust tests"
cargo test --workspace --locked
stop_moto

step "doc tests and rustdoc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked >/dev/null

step "differential test: opa validate against Backstage's catalog-model (npm)"
cargo build -p opa-cli --locked
(
  cd conformance/backstage-catalog
  npm ci --no-audit --no-fund
  # Real catalog files are compared too when the shared corpus is next to the clone.
  if [ -d ../../../shared/corpus ]; then export OPA_CORPUS="$PWD/../../../shared/corpus"; fi
  OPA_BIN="$CARGO_TARGET_DIR/debug/opa" node differential.js
)

step "node bindings (build in the test profile, check the committed index.d.ts/index.js, node --test, tsc)"
(
  cd bindings-node
  # npm 11 leaves the other platforms' optional packages of @napi-rs/cli's dependencies out of
  # the lockfile and then refuses it in `npm ci`; `npm install` keeps to the same lockfile.
  npm ci --no-audit --no-fund 2>/dev/null || npm install --no-audit --no-fund
  npx napi build --platform
  git diff --exit-code -- index.d.ts index.js || {
    echo "bindings-node: index.d.ts or index.js changed when built; commit the generated files" >&2
    exit 1
  }
  npm test
)

step "Backstage scaffolder module example (npm ci, its actions' handlers under node --test on the addon)"
(
  cd examples/backstage-scaffolder-module
  npm ci --no-audit --no-fund
  npm test
)

step "python bindings (wheel in a fresh venv, pytest, stubtest)"
VENV="${OPA_VENV:-$PWD/.venv}"
python3 -m venv --clear "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r bindings-python/requirements-dev.txt
rm -rf "$CARGO_TARGET_DIR/wheels"
"$VENV/bin/maturin" build -q --profile dev -m bindings-python/Cargo.toml -o "$CARGO_TARGET_DIR/wheels"
"$VENV/bin/pip" install -q --disable-pip-version-check "$CARGO_TARGET_DIR"/wheels/opa_platform-*.whl
# pytest exits 5 when it collects no test: that fails here like any other non-zero exit.
(cd bindings-python && "$VENV/bin/python" -m pytest -q tests)
"$VENV/bin/python" -m mypy.stubtest opa_platform._native

step "examples/python/lint_catalog.py: the example catalog has no problems, a broken one exits 1"
"$VENV/bin/python" examples/python/lint_catalog.py --relations examples/catalog
lint_rc=0
"$VENV/bin/python" examples/python/lint_catalog.py examples/python/bad-catalog || lint_rc=$?
[ "$lint_rc" -eq 1 ] || { echo "lint_catalog.py on examples/python/bad-catalog: expected exit 1, got $lint_rc" >&2; exit 1; }

step "templating conformance: OPA-rs against nunjucks configured as Backstage's SecureTemplater"
(
  cd conformance/nunjucks
  npm ci --no-audit --no-fund
  node run.js
)

step "all tests passed"
