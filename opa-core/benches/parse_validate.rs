//! Parse + validate throughput on a synthetic catalog (the shape `bench/side-by-side.sh` uses):
//! `cargo bench -p opa-core --bench parse_validate`.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

#[path = "support/generate.rs"]
mod generate;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use opa_core::entity::{ValidateOptions, validate_entity};
use opa_core::yaml::{Limits, map_documents, parse_documents};

// As in the `opa` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ENTITIES: usize = 20_000;

fn bench(c: &mut Criterion) {
    let text = generate::catalog(ENTITIES);
    let limits = Limits::default();
    let options = ValidateOptions::default();
    let mut group = c.benchmark_group("catalog-20k");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ENTITIES as u64));
    group.bench_function("parse", |b| {
        b.iter(|| parse_documents(&text, &limits).len());
    });
    group.bench_function("parse+validate", |b| {
        b.iter(|| {
            map_documents(&text, &limits, |doc| {
                doc.root
                    .as_ref()
                    .is_some_and(|root| validate_entity(root, &options).is_valid())
            })
            .into_iter()
            .filter(|valid| *valid)
            .count()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
