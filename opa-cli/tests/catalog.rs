//! `opa catalog check` and `opa catalog graph`, run as a user runs them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn opa(args: &[&str], dir: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_opa"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("opa runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

const CATALOG: &str = "\
kind: Group
metadata: {name: team-a}
spec: {type: team, children: []}
---
kind: Component
metadata: {name: web}
spec: {type: service, lifecycle: production, owner: team-a, system: shop, dependsOn: ['resource:db']}
---
kind: Resource
metadata: {name: db}
spec: {type: database, owner: team-a}
";

#[test]
fn check_reports_dangling_refs_with_positions_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("catalog-info.yaml"), CATALOG).unwrap();
    let (code, out) = opa(&["catalog", "check", "."], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("catalog-info.yaml:7:69: error[dangling-ref]: component:default/web spec.system refers to system:default/shop"),
        "{out}"
    );
    let (code, out) = opa(&["catalog", "check", ".", "--format", "json"], dir.path());
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["entities"], 3);
    assert_eq!(report["dangling"][0]["field"], "spec.system");
    assert_eq!(report["dangling"][0]["target"], "system:default/shop");
    assert_eq!(report["dangling"][0]["source"], "component:default/web");
    assert_eq!(report["dangling"][0]["line"], 7);
}

#[test]
fn check_passes_on_a_sound_catalog_and_fails_on_io() {
    let dir = tempfile::tempdir().unwrap();
    let sound = CATALOG.replace("system: shop, ", "");
    std::fs::write(dir.path().join("c.yml"), sound).unwrap();
    let (code, out) = opa(&["catalog", "check", "c.yml"], dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("3 entities, 6 relations"), "{out}");
    let (code, _) = opa(&["catalog", "check", "missing.yaml"], dir.path());
    assert_eq!(code, 2);
}

#[test]
fn graph_formats() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yaml"), CATALOG).unwrap();
    let (code, out) = opa(&["catalog", "graph", "c.yaml"], dir.path());
    assert_eq!(code, 0);
    assert!(
        out.contains("resource:default/db\n  dependencyOf component:default/web\n  ownedBy group:default/team-a\n"),
        "{out}"
    );
    let (_, out) = opa(
        &["catalog", "graph", "c.yaml", "--format", "json"],
        dir.path(),
    );
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["ref"], "component:default/web");
    assert_eq!(lines[1]["relations"][0]["type"], "dependsOn");
    assert_eq!(lines[1]["relations"][0]["targetRef"], "resource:default/db");
    let (_, out) = opa(
        &["catalog", "graph", "c.yaml", "--format", "dot"],
        dir.path(),
    );
    assert!(out.starts_with("digraph catalog {"), "{out}");
    assert!(
        out.contains("\"component:default/web\" -> \"system:default/shop\" [label=\"partOf\"];"),
        "{out}"
    );
    assert!(
        out.contains("\"system:default/shop\" [style=dashed"),
        "{out}"
    );
    assert!(
        !out.contains("ownerOf"),
        "only one direction is drawn: {out}"
    );
}

fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: the shared corpus ({}) is absent", p.display());
        None
    }
}

#[test]
fn roadie_sample_is_reported_as_a_duplicate() {
    let Some(corpus) = corpus() else { return };
    let sample = corpus.join("roadie-entity-validator/sample");
    let (code, out) = opa(&["catalog", "check", "catalog-info.yml"], &sample);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("catalog-info.yml:29:1: error[duplicate-entity]: component:default/sample-service-5 is defined 2 times"),
        "{out}"
    );
    let (_, out) = opa(
        &["catalog", "check", "catalog-info.yml", "--format", "json"],
        &sample,
    );
    let report: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        report["duplicates"][0]["ref"],
        "component:default/sample-service-5"
    );
    assert_eq!(
        report["duplicates"][0]["locations"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
