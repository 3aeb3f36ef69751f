//! The relation graph: loading a synthetic catalog into a `Catalog` (parse, emit, intern, link)
//! and querying it: `cargo bench -p opa-core --bench relation_graph`.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

#[path = "support/generate.rs"]
mod generate;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use opa_core::catalog::{Catalog, CatalogBuilder, LoadOptions};

// As in the `opa` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ENTITIES: usize = 20_000;

fn bench(c: &mut Criterion) {
    let text = generate::catalog(ENTITIES);
    let mut group = c.benchmark_group("catalog-20k");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ENTITIES as u64));
    group.bench_function("load+relations", |b| {
        b.iter(|| {
            let mut builder = CatalogBuilder::new(LoadOptions {
                keep_sources: false,
                ..LoadOptions::default()
            });
            builder.add_text("catalog.yaml", &text);
            builder.build().relation_count()
        });
    });
    let catalog = Catalog::from_text("catalog.yaml", &text);
    group.bench_function("relations-of-every-entity", |b| {
        b.iter(|| {
            catalog
                .entities()
                .map(|e| e.relations().len())
                .sum::<usize>()
        });
    });
    group.bench_function("check", |b| {
        b.iter(|| catalog.dangling().count() + catalog.duplicates().len());
    });
    group.finish();

    let mut queries = c.benchmark_group("catalog-20k-queries");
    queries.bench_function("entity-by-ref", |b| {
        b.iter(|| catalog.entity("component:default/service-12340").is_some());
    });
    queries.bench_function("owned-by-group", |b| {
        b.iter(|| catalog.owned_by("team-18").len());
    });
    queries.bench_function("transitive-dependents", |b| {
        b.iter(|| catalog.dependents("resource:default/db-14").len());
    });
    queries.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
