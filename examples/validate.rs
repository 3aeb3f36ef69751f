//! Parses a catalog file and prints each document's problems.
//!
//! `cargo run -p opa-examples --example validate -- examples/catalog/catalog-info.yaml`

use opa_core::yaml::{Limits, parse_documents};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/catalog/catalog-info.yaml".into());
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    for doc in parse_documents(&text, &Limits::default()) {
        match doc.error {
            Some(d) => eprintln!("{path}:{}:{}: {}", d.line, d.column, d.message),
            None => eprintln!("{path}: document {} parsed", doc.index),
        }
    }
}
