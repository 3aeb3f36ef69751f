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

step "rust tests"
cargo test --workspace --locked

step "doc tests and rustdoc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked >/dev/null

step "all tests passed"
