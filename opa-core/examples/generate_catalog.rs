//! Prints a synthetic catalog of N entities (default 20,000) for benchmarks:
//! `cargo run --release -p opa-core --example generate_catalog -- 20000 > catalog.yaml`.

#[path = "../benches/support/generate.rs"]
mod generate;

use std::io::Write;

fn main() {
    let n = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("N must be a number"))
        .unwrap_or(20_000);
    let text = generate::catalog(n);
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .expect("write to stdout");
}
