//! `opa rbac namespace` end to end.

use std::process::Command;

fn opa(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_opa"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn prints_the_team_namespace_as_yaml_or_json() {
    let (code, out, err) = opa(&[
        "rbac",
        "namespace",
        "--team",
        "payments",
        "--env",
        "staging",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("---\n").count(), 7);
    assert!(
        out.starts_with(
            "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments-staging\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("    requests.cpu: '4'\n"),
        "quantities stay strings: {out}"
    );
    let (code, out, _) = opa(&[
        "rbac",
        "namespace",
        "--team",
        "payments",
        "--env",
        "dev",
        "--cpu",
        "2",
        "--memory",
        "4Gi",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["namespace"], "payments-dev");
    assert_eq!(v["resources"][1]["spec"]["hard"]["limits.memory"], "4Gi");
}

#[test]
fn an_invalid_request_exits_1_with_its_problems() {
    let (code, out, _) = opa(&[
        "rbac",
        "namespace",
        "--team",
        "Pay",
        "--env",
        "qa",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["path"], "teamName");
    assert_eq!(v["errors"][1]["path"], "environment");
}
