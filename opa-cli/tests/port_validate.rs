//! `opa port validate` end to end.

use std::process::Command;

fn opa(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_opa"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn entities_and_backstage_entities_against_a_blueprint_directory() {
    let dir = tempfile::tempdir().unwrap();
    let bp = dir.path().join("blueprints");
    std::fs::create_dir(&bp).unwrap();
    std::fs::write(
        bp.join("component.json"),
        r#"{"identifier": "component", "title": "Component",
            "schema": {"properties": {"lifecycle": {"type": "string", "enum": ["production", "experimental"]}}},
            "relations": {"owningGroup": {"target": "group"}}}"#,
    )
    .unwrap();
    std::fs::write(bp.join("group.yaml"), "identifier: group\ntitle: Group\n").unwrap();
    let good = dir.path().join("good.yaml");
    std::fs::write(
        &good,
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: checkout\nspec:\n  lifecycle: production\n  owner: payments\n",
    )
    .unwrap();
    let (code, out) = opa(&[
        "port",
        "validate",
        "--blueprints",
        bp.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!((code, out.as_str()), (0, ""));
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: legacy\nspec:\n  lifecycle: deprecated\n  owner: payments\n---\nidentifier: x\nblueprint: component\nproperties:\n  colour: red\n",
    )
    .unwrap();
    let (code, out) = opa(&[
        "port",
        "validate",
        "--blueprints",
        bp.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].ends_with("bad.yaml:4:3: error[invalid-value]: legacy (component): properties.lifecycle: properties.lifecycle must be one of \"production\", \"experimental\"; found \"deprecated\""), "{}", lines[0]);
    assert!(
        lines[1].contains("bad.yaml:12:3: error[unknown-field]: x (component): properties.colour"),
        "{}",
        lines[1]
    );
    let (_, json) = opa(&[
        "port",
        "validate",
        "--blueprints",
        bp.to_str().unwrap(),
        bad.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(first["fromBackstage"], true);
    assert_eq!(first["errors"][0]["path"], "properties.lifecycle");
}
