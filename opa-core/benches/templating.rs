//! Templating benchmarks: one skeleton file of about 3 KB (substitutions, filters, `if` blocks
//! and `for` loops, as `bench/skeleton.js` generates), a plain file, and a step input.
//! `cargo bench -p opa-core --bench templating`

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use opa_core::scaffolder::templating::{FileRenderOptions, TemplateEngine};
use serde_json::json;
use std::hint::black_box;

fn skeleton_file() -> String {
    let mut lines = vec![
        "# a skeleton file for ${{ values.name }}".to_string(),
        "apiVersion: v1".into(),
        "kind: ConfigMap".into(),
        "metadata:".into(),
        "  name: ${{ values.name }}-config".into(),
        "  namespace: ${{ values.namespace | default('default') }}".into(),
        "  labels:".into(),
        "    app: ${{ values.name | lower }}".into(),
        "    owner: ${{ values.owner | replace('group:', '') }}".into(),
        "{%- if values.enableMonitoring %}".into(),
        "    monitoring: enabled".into(),
        "{%- else %}".into(),
        "    monitoring: disabled".into(),
        "{%- endif %}".into(),
        "  annotations:".into(),
        "    description: ${{ values.description | dump }}".into(),
        "data:".into(),
        "{%- for item in values.items %}".into(),
        "  key-${{ loop.index }}: \"${{ item.name }}-${{ item.value }}\"".into(),
        "{%- endfor %}".into(),
    ];
    for p in 0..6 {
        lines.push("  # lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore".into());
        lines.push("  # ullamco laboris nisi aliquip ex ea commodo consequat quis nostrud exercitation minim veniam".into());
        if p % 2 == 0 {
            lines.push("{%- if values.replicas > 1 %}".into());
            lines.push(format!("  replicas-{p}: \"${{{{ values.replicas }}}}\""));
            lines.push("{%- endif %}".into());
        } else {
            lines.push(format!(
                "  section-{p}: \"${{{{ values.name | upper }}}}/${{{{ values.environment }}}}\""
            ));
        }
        lines.push(format!("  text-{p}: \"dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea\""));
    }
    lines.push("{%- for env in values.environments %}".into());
    lines.push(
        "  env-${{ env.name }}: \"${{ env.region }}{% if env.prod %} (production){% endif %}\""
            .into(),
    );
    lines.push("{%- endfor %}".into());
    lines.push(String::new());
    lines.join("\n")
}

fn context() -> serde_json::Value {
    json!({"values": {
        "name": "payments-api",
        "namespace": "payments",
        "owner": "group:default/team-payments",
        "description": "Handles \"payments\" for the shop",
        "enableMonitoring": true,
        "replicas": 3,
        "environment": "prod",
        "items": (0..10).map(|i| json!({"name": format!("item{i}"), "value": i * 7})).collect::<Vec<_>>(),
        "environments": [
            {"name": "dev", "region": "eu-west-1", "prod": false},
            {"name": "qa", "region": "eu-west-1", "prod": false},
            {"name": "prod", "region": "us-east-1", "prod": true}
        ]
    }})
}

fn bench(c: &mut Criterion) {
    let engine = TemplateEngine::default();
    let ctx = context();
    let options = FileRenderOptions::default();
    let file = skeleton_file();
    let plain = "plain text without any template tag\n".repeat(80);

    let mut group = c.benchmark_group("render_file");
    group.throughput(Throughput::Bytes(file.len() as u64));
    group.bench_function("skeleton file (3 KB)", |b| {
        b.iter(|| {
            engine
                .render_file(black_box(&file), &ctx, &options)
                .unwrap()
        })
    });
    group.throughput(Throughput::Bytes(plain.len() as u64));
    group.bench_function("plain file (3 KB)", |b| {
        b.iter(|| {
            engine
                .render_file(black_box(&plain), &ctx, &options)
                .unwrap()
        })
    });
    group.finish();

    let params = json!({"parameters": {"name": "payments-api", "owner": "group:default/team-a",
        "repoUrl": "github.com?owner=acme&repo=payments-api", "tags": ["a", "b"]}});
    let input = json!({
        "url": "./skeleton",
        "values": {
            "name": "${{ parameters.name }}",
            "owner": "${{ parameters.owner | parseEntityRef | pick('name') }}",
            "repo": "${{ (parameters.repoUrl | parseRepoUrl).repo }}",
            "tags": "${{ parameters.tags }}",
            "description": "Service ${{ parameters.name }} owned by ${{ parameters.owner }}"
        }
    });
    c.bench_function("render_value (step input)", |b| {
        b.iter(|| engine.render_value(black_box(&input), &params).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
