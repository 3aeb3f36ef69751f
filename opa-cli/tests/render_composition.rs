//! `opa render composition` end to end, on the example in `examples/crossplane`.

use std::process::Command;

fn example(file: &str) -> String {
    format!(
        "{}/../examples/crossplane/{file}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn opa(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_opa"))
        .args(args)
        .output()
        .expect("run opa");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn renders_the_example_claim_as_a_yaml_stream() {
    let (code, stdout, stderr) = opa(&[
        "render",
        "composition",
        "--xrd",
        &example("xrd.yaml"),
        "--composition",
        &example("composition.yaml"),
        &example("claim.yaml"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let docs: Vec<&str> = stdout.split("---\n").filter(|d| !d.is_empty()).collect();
    assert_eq!(docs.len(), 3, "{stdout}");
    assert!(
        docs[0].starts_with("apiVersion: platform.example.org/v1alpha1\nkind: XDatabase\n"),
        "{stdout}"
    );
    assert!(
        docs[1].contains("crossplane.io/composition-resource-name: instance"),
        "{stdout}"
    );
    assert!(
        docs[2].contains("crossplane.io/composition-resource-name: security-group"),
        "{stdout}"
    );
    assert!(docs[1].contains("  generateName: orders-\n"), "{stdout}");
}

#[test]
fn json_output_is_one_object() {
    let (code, stdout, _) = opa(&[
        "render",
        "composition",
        "--format",
        "json",
        "--xrd",
        &example("xrd.yaml"),
        "--composition",
        &example("composition.yaml"),
        &example("claim.yaml"),
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["valid"], true);
    assert_eq!(v["resources"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        v["resources"][1]["spec"]["forProvider"]["instanceClass"],
        "db.t3.large"
    );
}

#[test]
fn invalid_claim_exits_1_and_names_the_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let claim = dir.path().join("claim.yaml");
    std::fs::write(
        &claim,
        "apiVersion: platform.example.org/v1alpha1\nkind: Database\nmetadata: {name: x}\nspec:\n  parameters: {team: a, size: huge}\n",
    )
    .expect("write");
    let (code, stdout, stderr) = opa(&[
        "render",
        "composition",
        "--xrd",
        &example("xrd.yaml"),
        "--composition",
        &example("composition.yaml"),
        claim.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("claim.yaml:5:31: error[invalid-value]: spec.parameters.size: Unsupported value: \"huge\""),
        "{stderr}"
    );
}

#[test]
fn missing_file_exits_2() {
    let (code, _, stderr) = opa(&[
        "render",
        "composition",
        "--xrd",
        "/nonexistent/xrd.yaml",
        "--composition",
        &example("composition.yaml"),
        &example("claim.yaml"),
    ]);
    assert_eq!(code, 2, "{stderr}");
}
