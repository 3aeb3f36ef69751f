//! `opa policy apply` end to end: files in, YAML or JSON out, exit codes.

use std::path::Path;
use std::process::Command;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const POLICY: &str = r#"apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: default-deny
spec:
  rules:
  - name: deny-all
    match:
      any:
      - resources:
          kinds: [Namespace]
          names: ["team-*"]
    generate:
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      name: default-deny
      namespace: "{{request.object.metadata.name}}"
      synchronize: true
      data:
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
"#;

const NAMESPACES: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n";

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
fn yaml_output_lists_the_matches_and_the_generated_resources() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "p.yaml", POLICY);
    let r = write(dir.path(), "ns.yaml", NAMESPACES);
    let (code, out, err) = opa(&["policy", "apply", "--policy", &p, "--resource", &r]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(
        "# default-deny/deny-all on Namespace/team-a: pass: generated NetworkPolicy/team-a/default-deny\n---\n"
    ), "{out}");
    assert!(!out.contains("other"));
    assert!(
        out.contains("kind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: team-a\n"),
        "{out}"
    );
}

#[test]
fn json_output_has_results_and_generated_resources() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "p.yaml", POLICY);
    let r = write(dir.path(), "ns.yaml", NAMESPACES);
    let (code, out, _) = opa(&["policy", "apply", "-p", &p, "-r", &r, "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["results"][0]["status"], "pass");
    assert_eq!(v["results"][0]["synchronize"], true);
    assert_eq!(v["results"][0]["resource"]["name"], "team-a");
    assert_eq!(v["generated"][0]["spec"]["policyTypes"][1], "Egress");
}

#[test]
fn an_invalid_policy_is_reported_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "p.yaml", &POLICY.replace("names:", "namez:"));
    let r = write(dir.path(), "ns.yaml", NAMESPACES);
    let (code, _, err) = opa(&["policy", "apply", "-p", &p, "-r", &r]);
    assert_eq!(code, 1);
    assert!(err.contains("p.yaml:8:5: error[invalid-value]"), "{err}");
    let (code, _, _) = opa(&["policy", "apply", "-p", "/nonexistent.yaml", "-r", &r]);
    assert_eq!(code, 2);
}
