//! Reads a catalog file as `opa validate` does and prints each entity's verdict.
//!
//! `cargo run -p opa-examples --example validate -- examples/catalog/catalog-info.yaml`

use std::path::Path;

use opa_core::entity::{LoadOptions, read_file};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/catalog/catalog-info.yaml".into());
    let reports = match read_file(Path::new(&path), None, &LoadOptions::default()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut invalid = false;
    for report in reports {
        let name = report
            .entity_ref
            .as_ref()
            .map_or_else(|| format!("document {}", report.index), ToString::to_string);
        if report.is_valid() {
            eprintln!("{name}: valid");
        }
        for d in &report.diagnostics {
            invalid = true;
            eprintln!(
                "{path}:{}:{}: {name}: {} [{}]",
                d.line, d.column, d.message, d.code
            );
        }
    }
    std::process::exit(i32::from(invalid));
}
