//! `opa app` and `opa audit list` on the embedded backends: a local cloud bootstrapped for the
//! example platform's dev provider, the app deployed there, and opa.yaml pointing at the
//! example catalog.

use std::path::Path;
use std::process::{Command, Output};

use opa_aws::local::LocalCloud;
use opa_core::cloud::{AppTarget, BootstrapRequest, Bootstrapper};
use opa_core::platform::RuntimeType;

fn opa(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opa"))
        .args(args)
        .current_dir(dir)
        .env_remove("OPA_USER")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let catalog = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/platform");
    std::fs::write(
        dir.path().join("opa.yaml"),
        format!("platform:\n  adminGroup: platform-admins\n  catalog: [\"{catalog}\"]\n"),
    )
    .unwrap();
    let cloud = LocalCloud::open(dir.path().join(".opa/cloud.json"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let admin = cloud.admin_session("111111111111", "us-east-1");
    rt.block_on(cloud.apply(
        &admin,
        &BootstrapRequest {
            account: "111111111111".into(),
            region: "us-east-1".into(),
            prefix: "opa".into(),
            env_name: "dev".into(),
            ..Default::default()
        },
    ))
    .unwrap();
    cloud
        .deploy_app(
            &admin,
            &AppTarget {
                app: "payments-api".into(),
                env: "dev".into(),
                provider: "dev-use1".into(),
                prefix: "opa".into(),
                account: "111111111111".into(),
                region: "us-east-1".into(),
                runtime: RuntimeType::Ecs,
                cluster: None,
                outputs: Default::default(),
            },
            "1.0.0",
        )
        .unwrap();
    dir
}

#[test]
fn permitted_and_refused_operations_leave_an_audit_trail() {
    let dir = site();
    let d = dir.path();
    let ok = opa(
        d,
        &[
            "app",
            "set-env",
            "LOG_LEVEL=debug",
            "DB_PASSWORD=hunter2",
            "payments-api",
            "--env",
            "dev",
            "--as",
            "dev-dana",
        ],
    );
    assert!(
        ok.status.success(),
        "{}{}",
        text(&ok.stdout),
        text(&ok.stderr)
    );
    assert!(
        text(&ok.stdout).starts_with("SUCCESS set-env dev/dev-use1: set DB_PASSWORD, LOG_LEVEL")
    );

    let refused = opa(
        d,
        &[
            "app",
            "stop",
            "payments-api",
            "--env",
            "dev",
            "--as",
            "guest-gus",
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr)
            .contains("REFUSED stop dev/dev-use1: user:default/guest-gus may not operate this app"),
        "{}",
        text(&refused.stderr)
    );

    // OPA_USER names the user when --as is absent; admins may operate every app.
    let admin = Command::new(env!("CARGO_BIN_EXE_opa"))
        .args([
            "app",
            "release",
            "1.1.0",
            "payments-api",
            "--env",
            "dev",
            "--format",
            "json",
        ])
        .current_dir(d)
        .env("OPA_USER", "user:default/admin-alice")
        .output()
        .unwrap();
    assert!(admin.status.success(), "{}", text(&admin.stderr));
    let report: serde_json::Value = serde_json::from_slice(&admin.stdout).unwrap();
    assert_eq!(report["outcomes"][0]["appStatus"]["version"], "1.1.0");

    let list = opa(d, &["audit", "list", "--format", "json"]);
    assert!(list.status.success());
    let records: Vec<serde_json::Value> = text(&list.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["status"], "SUCCESS");
    assert_eq!(records[0]["request"]["vars"]["DB_PASSWORD"], "***");
    assert_eq!(records[1]["status"], "REFUSED");
    assert_eq!(records[2]["initiatedBy"], "user:default/admin-alice");
    assert!(!text(&list.stdout).contains("hunter2"));
    let created = records[0]["createdAt"].as_str().unwrap();
    assert!(created.ends_with('Z') && created.len() == 24, "{created}");

    let gus = opa(
        d,
        &["audit", "list", "--user", "guest-gus", "--since", "1h"],
    );
    let lines: Vec<String> = text(&gus.stdout).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("REFUSED") && lines[0].contains("payments-api dev/dev-use1"));
    let future = opa(d, &["audit", "list", "--since", "2999-01-01"]);
    assert_eq!(text(&future.stdout), "no audit records\n");
}

#[test]
fn usage_problems() {
    let dir = site();
    let d = dir.path();
    let anonymous = opa(d, &["app", "start", "payments-api", "--env", "dev"]);
    assert_eq!(anonymous.status.code(), Some(2));
    assert!(text(&anonymous.stderr).contains("--as USER_REF or set OPA_USER"));
    let bad = opa(
        d,
        &[
            "app",
            "set-env",
            "1BAD=x",
            "payments-api",
            "--env",
            "dev",
            "--as",
            "dev-dana",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("not an environment variable name"));
    let unknown = opa(
        d,
        &["app", "start", "nope", "--env", "dev", "--as", "dev-dana"],
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(text(&unknown.stderr).contains("component:default/nope is not in the catalog"));
    let since = opa(d, &["audit", "list", "--since", "yesterday"]);
    assert_eq!(since.status.code(), Some(2));
}

#[test]
fn pipeline_generate_writes_both_files() {
    let dir = site();
    let d = dir.path();
    let out = opa(
        d,
        &["pipeline", "generate", "payments-api", "--out", "repo"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let gitlab = std::fs::read_to_string(d.join("repo/.gitlab-ci.yml")).unwrap();
    let github = std::fs::read_to_string(d.join("repo/.github/workflows/deploy.yml")).unwrap();
    assert!(gitlab.contains("- deploy-prod") && gitlab.contains("when: manual"));
    assert!(github.contains("aws-actions/configure-aws-credentials@v4"));
    let json = opa(
        d,
        &[
            "pipeline",
            "generate",
            "payments-api",
            "--env",
            "dev",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["plan"]["stages"].as_array().unwrap().len(), 1);
    let sandbox = opa(
        d,
        &["pipeline", "generate", "payments-api", "--env", "sandbox"],
    );
    assert_eq!(sandbox.status.code(), Some(1));
    assert!(text(&sandbox.stderr).contains("is not provisioned"));
}

#[test]
fn listing_a_missing_audit_log_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = opa(dir.path(), &["audit", "list"]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "no audit records\n");
    assert!(!dir.path().join(".opa").exists());
}

#[test]
fn config_check() {
    let dir = site();
    let d = dir.path();
    let ok = opa(d, &["config", "check"]);
    assert!(ok.status.success(), "{}", text(&ok.stdout));
    std::fs::write(d.join("bad.yaml"), "audit:\n  kind: dynamo\n").unwrap();
    let bad = opa(d, &["config", "check", "bad.yaml"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stdout).starts_with(
            "bad.yaml:2:9: error[invalid-value]: audit.kind: unknown variant `dynamo`"
        ),
        "{}",
        text(&bad.stdout)
    );
    // Every command reads the file the same way: the same problem, at the same place.
    let listed = opa(d, &["--config", "bad.yaml", "audit", "list"]);
    assert_eq!(listed.status.code(), Some(2));
    assert!(
        text(&listed.stderr).contains("bad.yaml:2:9: audit.kind: unknown variant `dynamo`"),
        "{}",
        text(&listed.stderr)
    );
    assert_eq!(
        opa(d, &["config", "check", "missing.yaml"]).status.code(),
        Some(2)
    );
}

#[test]
fn operating_apps_on_an_unreachable_aws_fails_and_is_audited() {
    let dir = site();
    let d = dir.path();
    let catalog = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/platform");
    // Nothing listens on port 9: assuming the operations role fails, without any network.
    std::fs::write(
        d.join("aws.yaml"),
        format!(
            "cloud:\n  kind: aws\n  region: us-east-1\n  endpointUrl: http://127.0.0.1:9\nplatform:\n  catalog: [\"{catalog}\"]\n"
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_opa"))
        .args([
            "--config",
            "aws.yaml",
            "app",
            "start",
            "payments-api",
            "--env",
            "dev",
            "--as",
            "dev-dana",
        ])
        .current_dir(d)
        .env_remove("OPA_USER")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("FAILED start dev/dev-use1: cannot assume the operations role"),
        "{}",
        text(&out.stderr)
    );
    // The audit log stays the embedded one: the failure is there.
    let listed = opa(
        d,
        &["--config", "aws.yaml", "audit", "list", "--format", "json"],
    );
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    assert!(
        text(&listed.stdout).contains("\"FAILED\""),
        "{}",
        text(&listed.stdout)
    );
}

#[test]
fn template_run_has_the_platform_actions_and_catalog() {
    let dir = site();
    let d = dir.path();
    std::fs::write(
        d.join("template.yaml"),
        r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: platform-info}
spec:
  owner: group:platform-admins
  type: service
  steps:
    - id: info
      action: opa:get-component-info
      input: {componentName: PaymentsAPI}
    - id: env
      action: opa:get-env-providers
      input: {environmentRef: dev}
    - id: entity
      action: catalog:fetch
      input: {entityRef: awsenvironment:default/dev}
  output:
    kebab: ${{ steps.info.output.kebabCaseComponentName }}
    account: ${{ steps.env.output.envProviders[0].accountId }}
    envKind: ${{ steps.entity.output.entity.kind }}
"#,
    )
    .unwrap();
    let out = opa(d, &["template", "run", "template.yaml", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let last = text(&out.stdout)
        .lines()
        .last()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .unwrap();
    assert_eq!(last["output"]["kebab"], "payments-api");
    assert_eq!(last["output"]["account"], "111111111111");
    assert_eq!(last["output"]["envKind"], "AWSEnvironment");
}
