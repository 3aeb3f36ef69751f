//! Times `read_entities` (parse, placeholders, validation) on a catalog file.
//!
//! `cargo run --release -p opa-core --example time_read_entities -- catalog.yaml`

use std::time::Instant;

use opa_core::entity::{LoadOptions, read_entities};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: time_read_entities FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).expect("readable file");
    let options = LoadOptions::default();
    for _ in 0..2 {
        let started = Instant::now();
        let docs = opa_core::yaml::parse_documents(&text, &options.limits);
        eprintln!(
            "parse only: {} documents in {:.3} s",
            docs.len(),
            started.elapsed().as_secs_f64()
        );
    }
    for _ in 0..3 {
        let started = Instant::now();
        let reports = read_entities(&text, None, None, &options);
        let secs = started.elapsed().as_secs_f64();
        let invalid = reports.iter().filter(|r| !r.is_valid()).count();
        eprintln!(
            "{} documents ({invalid} invalid) in {:.3} s: {:.0} entities/s",
            reports.len(),
            secs,
            reports.len() as f64 / secs
        );
    }
}
