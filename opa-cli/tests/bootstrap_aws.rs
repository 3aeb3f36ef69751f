//! `opa bootstrap aws` against the moto server `scripts/test.sh` starts (`AWS_ENDPOINT_URL`):
//! plan, apply, a second apply that changes nothing, JSON, the wrong account (exit 2), destroy.
//! Drift and `--force` are covered in opa-aws's tests.

use std::process::Command;

use serde_json::Value;

fn endpoint() -> Option<String> {
    match std::env::var("AWS_ENDPOINT_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if ["CI", "OPA_REQUIRE_MOTO"]
            .iter()
            .any(|v| std::env::var(v).is_ok_and(|x| !x.is_empty() && x != "0" && x != "false")) =>
        {
            panic!(
                "AWS_ENDPOINT_URL is not set, but CI/OPA_REQUIRE_MOTO requires the moto server: run scripts/test.sh"
            )
        }
        _ => {
            eprintln!("skipped: AWS_ENDPOINT_URL is not set (scripts/test.sh starts moto)");
            None
        }
    }
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
fn bootstrap_plan_apply_again_destroy() {
    let Some(url) = endpoint() else { return };
    let prefix = format!(
        "cli{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
            % 100_000_000
    );
    let base = [
        "bootstrap",
        "aws",
        "--account",
        "123456789012",
        "--region",
        "us-east-1",
        "--prefix",
        &prefix,
        "--env",
        "dev",
        "--gitlab-host",
        "gitlab.cli.example.com",
        "--gitlab-project",
        "acme/payments",
        "--endpoint-url",
        &url,
    ];
    let with = |extra: &[&str]| {
        let mut v: Vec<&str> = base.to_vec();
        v.extend_from_slice(extra);
        opa(&v)
    };
    let (code, out, err) = with(&[]);
    assert_eq!(code, 0, "plan: {out}{err}");
    assert!(
        out.contains(&format!("+ iam-role {prefix}-dev-provisioning-role")),
        "{out}"
    );
    assert!(out.contains("run with --apply"), "{out}");

    let (code, out, err) = with(&["--apply", "--format", "json"]);
    assert_eq!(code, 0, "apply: {out}{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["applied"], true);
    assert_eq!(
        v["resources"]["operationsRoleArn"],
        format!("arn:aws:iam::123456789012:role/{prefix}-dev-operations-role")
    );

    let (code, out, _) = with(&["--apply"]);
    assert_eq!(code, 0);
    assert!(
        !out.lines()
            .skip(1)
            .any(|l| l.starts_with('+') || l.starts_with('~')),
        "a second apply changes nothing: {out}"
    );
    let (_, out, _) = with(&["--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["plan"]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["action"] == "unchanged"),
        "{v}"
    );

    let mut other = base.to_vec();
    other[3] = "210987654321";
    let (code, _, err) = opa(&other);
    assert_eq!(code, 2, "another account is a usage error: {err}");
    assert!(err.contains("not 210987654321"), "{err}");

    let (code, out, err) = with(&["--destroy", "--apply"]);
    assert_eq!(code, 0, "destroy: {out}{err}");
    assert!(
        out.contains(&format!("- iam-role {prefix}-dev-operations-role")),
        "{out}"
    );
    let (_, out, _) = with(&[]);
    assert!(
        out.contains(&format!("+ iam-role {prefix}-dev-operations-role")),
        "{out}"
    );
}

#[test]
fn audit_list_reads_dynamodb_when_opa_yaml_says_so() {
    use opa_aws::aws::{AwsConfig, DynamoDbAuditLog};
    use opa_core::audit::{AuditLog, AuditRecord, AuditStatus, Timestamp};

    let Some(url) = endpoint() else { return };
    let table = format!(
        "opa-cli-audit-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
            % 1_000_000_000
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let config = AwsConfig::new().with_endpoint_url(Some(url.clone()));
        let log = DynamoDbAuditLog::default_chain(&config, "us-east-1", table.clone()).await;
        log.create_table().await.unwrap();
        for (i, app) in ["payments", "orders", "payments"].iter().enumerate() {
            let at = Timestamp::from_millis(Timestamp::now().as_millis() - 60_000 + i as i64);
            let user = "user:default/jane";
            log.append(&AuditRecord {
                id: AuditRecord::make_id(
                    "123456789012",
                    "us-east-1",
                    "opa",
                    "dev",
                    app,
                    user,
                    "restart",
                    &at,
                ),
                created_at: at,
                initiated_by: user.into(),
                owner: "group:default/team-a".into(),
                assumed_role: String::new(),
                target_account: "123456789012".into(),
                target_region: "us-east-1".into(),
                prefix: "opa".into(),
                provider_name: "dev".into(),
                env_name: "dev".into(),
                app_name: app.to_string(),
                action_type: "operation".into(),
                action_name: "restart".into(),
                request: serde_json::json!({}),
                status: AuditStatus::Success,
                message: format!("restart {i}"),
            })
            .await
            .unwrap();
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("opa.yaml");
    std::fs::write(
        &config,
        format!(
            "cloud:\n  kind: aws\n  region: us-east-1\n  endpointUrl: {url}\naudit:\n  kind: dynamodb\n  table: {table}\n"
        ),
    )
    .unwrap();
    let (code, out, err) = opa(&[
        "--config",
        config.to_str().unwrap(),
        "audit",
        "list",
        "--app",
        "payments",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let records: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2, "{out}");
    assert_eq!(records[0]["message"], "restart 0");
    assert_eq!(records[1]["message"], "restart 2");
    let (code, out, _) = opa(&["--config", config.to_str().unwrap(), "audit", "list"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 3, "every record, oldest first: {out}");
}
