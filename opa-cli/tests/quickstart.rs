//! `opa quickstart`: the whole flow on the embedded backends, checked from outside — the
//! repositories with plain `git`, the catalog with `opa validate`/`opa catalog check`, the
//! pipelines parsed back, the audit trail — and a second run that creates nothing.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn opa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opa"))
        .args(args)
        .output()
        .expect("opa runs")
}

fn quickstart_json(dir: &Path) -> Value {
    let out = opa(&["quickstart", dir.to_str().unwrap(), "--format", "json"]);
    assert!(
        out.status.success(),
        "quickstart failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn quickstart_leaves_a_working_platform_and_is_idempotent() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("platform");
    let first = quickstart_json(&dir);

    let created = strings(&first["created"]);
    assert_eq!(
        created,
        [
            "platform/org",
            "platform/ecs-provider",
            "platform/env-dev",
            "platform/env-qa",
            "platform/env-prod",
            "apps/payments-api"
        ]
    );
    let entities = strings(&first["entities"]);
    for e in [
        "awsenvironmentprovider:default/ecs-provider",
        "awsenvironment:default/dev",
        "awsenvironment:default/qa",
        "awsenvironment:default/prod",
        "component:default/payments-api",
        "group:default/team-payments",
    ] {
        assert!(
            entities.contains(&e.to_string()),
            "{e} missing from {entities:?}"
        );
    }
    assert!(first["dangling"].as_array().unwrap().is_empty());
    assert!(first["duplicates"].as_array().unwrap().is_empty());
    let ops = first["operations"].as_array().unwrap();
    assert_eq!(ops[0]["user"], "user:default/alice");
    assert!(
        ops[0]["status"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("success")
    );
    assert_eq!(ops[1]["user"], "user:default/bob");
    assert!(
        ops[1]["status"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("refused")
    );
    assert_eq!(first["audit"].as_array().unwrap().len(), 2);

    // The app's repository, cloned with plain git, holds its code, entity and both pipelines.
    let clone = tmp.path().join("clone");
    let status = Command::new("git")
        .args(["clone", "-q"])
        .arg(dir.join("git/apps/payments-api.git"))
        .arg(&clone)
        .status()
        .expect("git runs");
    assert!(status.success());
    for f in [
        "src/index.js",
        "package.json",
        ".backstage/catalog-info.yaml",
    ] {
        assert!(
            clone.join(f).is_file(),
            "{f} missing from the app repository"
        );
    }
    let gitlab = std::fs::read_to_string(clone.join(".gitlab-ci.yml")).unwrap();
    let stages: Vec<&str> = ["deploy-dev", "deploy-qa", "deploy-prod"]
        .into_iter()
        .filter(|s| gitlab.contains(s))
        .collect();
    assert_eq!(stages.len(), 3, "{gitlab}");
    assert!(
        gitlab.find("deploy-dev").unwrap() < gitlab.find("deploy-qa").unwrap()
            && gitlab.find("deploy-qa").unwrap() < gitlab.find("deploy-prod").unwrap()
    );
    assert!(
        gitlab.contains("when: manual"),
        "prod requires approval: {gitlab}"
    );
    let github = std::fs::read_to_string(clone.join(".github/workflows/deploy.yml")).unwrap();
    assert!(github.contains("role-to-assume"), "{github}");

    // The provider was provisioned and its entity records the roles.
    let provider = std::fs::read_dir(dir.join("catalog"))
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
        .find(|t| t.contains("AWSEnvironmentProvider"))
        .expect("the provider's entity is in the catalog snapshot");
    assert!(
        provider.contains("provisioningRole: arn:aws:iam::111111111111:role/"),
        "{provider}"
    );

    // The catalog it leaves validates and checks clean.
    let catalog = dir.join("catalog");
    assert!(
        opa(&["validate", catalog.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        opa(&["catalog", "check", catalog.to_str().unwrap()])
            .status
            .success()
    );

    // A second run creates nothing and audits its two operations again.
    let second = quickstart_json(&dir);
    assert!(second["created"].as_array().unwrap().is_empty());
    assert_eq!(second["entities"], first["entities"]);
    assert_eq!(second["repos"], first["repos"]);
    assert_eq!(second["audit"].as_array().unwrap().len(), 4);
}
