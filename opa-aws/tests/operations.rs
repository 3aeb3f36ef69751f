//! Operations end to end on the embedded backends: the example platform catalog, a local cloud
//! bootstrapped for its providers' accounts, and an SQLite audit log.

use std::collections::BTreeMap;

use opa_aws::local::{LocalCloud, SqliteAuditLog};
use opa_core::audit::{AuditLog, AuditQuery, AuditStatus, REDACTED};
use opa_core::cloud::{AppRuntime, AppTarget, BootstrapRequest, Bootstrapper, CloudSession};
use opa_core::operations::{OperationKind, OperationRequest, Operations};
use opa_core::platform::{EntityIndex, RuntimeType};

struct Platform {
    _dir: tempfile::TempDir,
    index: EntityIndex,
    cloud: LocalCloud,
    audit: SqliteAuditLog,
}

const PROVIDERS: [(&str, &str, &str, &str); 3] = [
    ("111111111111", "us-east-1", "dev", "dev-use1"),
    ("222222222222", "us-east-1", "qa", "qa-use1"),
    ("333333333333", "eu-west-1", "qa", "qa-euw1"),
];

fn target(account: &str, region: &str, env: &str, provider: &str) -> AppTarget {
    AppTarget {
        app: "payments-api".into(),
        env: env.into(),
        provider: provider.into(),
        prefix: "opa".into(),
        account: account.into(),
        region: region.into(),
        runtime: RuntimeType::Ecs,
        cluster: None,
        outputs: Default::default(),
    }
}

fn admin(cloud: &LocalCloud, account: &str, region: &str) -> CloudSession {
    cloud.admin_session(account, region)
}

async fn platform() -> Platform {
    let dir = tempfile::tempdir().unwrap();
    let mut index = EntityIndex::default();
    index
        .add_path(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/platform"
        )))
        .unwrap();
    let cloud = LocalCloud::open(dir.path().join("cloud.json"));
    for (account, region, env, provider) in PROVIDERS {
        let session = admin(&cloud, account, region);
        let request = BootstrapRequest {
            account: account.into(),
            region: region.into(),
            prefix: "opa".into(),
            env_name: env.into(),
            ..Default::default()
        };
        cloud.apply(&session, &request).await.unwrap();
        cloud
            .deploy_app(&session, &target(account, region, env, provider), "1.0.0")
            .unwrap();
    }
    // prod-use1 is bootstrapped but the app was never deployed there.
    let prod = admin(&cloud, "444444444444", "us-east-1");
    cloud
        .apply(
            &prod,
            &BootstrapRequest {
                account: "444444444444".into(),
                region: "us-east-1".into(),
                prefix: "opa".into(),
                env_name: "prod".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let audit = SqliteAuditLog::open(dir.path().join("audit.db")).unwrap();
    Platform {
        _dir: dir,
        index,
        cloud,
        audit,
    }
}

impl Platform {
    fn ops(&self) -> Operations<'_> {
        Operations {
            lookup: &self.index,
            membership: &self.index,
            credentials: &self.cloud,
            runtime: &self.cloud,
            audit: &self.audit,
            admin_group: Some("group:default/platform-admins".parse().unwrap()),
        }
    }

    async fn env_vars(
        &self,
        account: &str,
        region: &str,
        env: &str,
        provider: &str,
    ) -> BTreeMap<String, String> {
        self.cloud
            .env_vars(
                &admin(&self.cloud, account, region),
                &target(account, region, env, provider),
            )
            .await
            .unwrap()
    }
}

fn set_env(user: &str, env: &str) -> OperationRequest {
    let vars = OperationKind::parse_assignments(&[
        "LOG_LEVEL=debug".to_string(),
        "DB_PASSWORD=hunter2".to_string(),
    ])
    .unwrap();
    OperationRequest::parse(user, "payments-api", env, OperationKind::SetEnv(vars)).unwrap()
}

#[tokio::test]
async fn a_member_of_the_owner_group_sets_env_vars_and_it_is_audited() {
    let p = platform().await;
    let report = p.ops().run(&set_env("dev-dana", "dev")).await.unwrap();
    assert_eq!(report.status(), AuditStatus::Success, "{report:?}");
    let vars = p
        .env_vars("111111111111", "us-east-1", "dev", "dev-use1")
        .await;
    assert_eq!(vars["LOG_LEVEL"], "debug");
    assert_eq!(vars["DB_PASSWORD"], "hunter2");

    let records = p
        .audit
        .query(&AuditQuery {
            app: Some("payments-api".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.id, r.expected_id());
    assert!(r.id.starts_with(
        "111111111111#us-east-1#opa#dev-use1#payments-api#user:default/dev-dana#set-env#"
    ));
    assert_eq!(r.initiated_by, "user:default/dev-dana");
    assert_eq!(r.owner, "group:default/team-payments");
    assert_eq!(
        r.assumed_role,
        "arn:aws:sts::111111111111:assumed-role/opa-dev-operations-role/opa-dev-dana-set-env"
    );
    assert_eq!(
        (r.target_account.as_str(), r.target_region.as_str()),
        ("111111111111", "us-east-1")
    );
    assert_eq!(
        (
            r.env_name.as_str(),
            r.provider_name.as_str(),
            r.prefix.as_str()
        ),
        ("dev", "dev-use1", "opa")
    );
    assert_eq!(
        (r.action_type.as_str(), r.action_name.as_str()),
        ("operation", "set-env")
    );
    assert_eq!(r.request["vars"]["LOG_LEVEL"], "debug");
    assert_eq!(r.request["vars"]["DB_PASSWORD"], REDACTED);
    assert!(!serde_json::to_string(r).unwrap().contains("hunter2"));
    assert_eq!(r.status, AuditStatus::Success);
}

#[tokio::test]
async fn others_are_refused_and_the_refusal_is_audited() {
    let p = platform().await;
    let report = p.ops().run(&set_env("guest-gus", "dev")).await.unwrap();
    assert_eq!(report.status(), AuditStatus::Refused);
    let msg = &report.outcomes[0].message;
    assert!(
        msg.contains("user:default/guest-gus may not operate this app")
            && msg.contains("group:default/team-payments")
            && msg.contains("group:default/platform-admins"),
        "{msg}"
    );
    let vars = p
        .env_vars("111111111111", "us-east-1", "dev", "dev-use1")
        .await;
    assert!(vars.is_empty(), "a refused operation changes nothing");
    let records = p
        .audit
        .query(&AuditQuery {
            user: Some("user:default/guest-gus".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].status, AuditStatus::Refused);
    assert_eq!(
        records[0].assumed_role, "",
        "no role is assumed for a refusal"
    );
    assert_eq!(records[0].request["vars"]["DB_PASSWORD"], REDACTED);
}

#[tokio::test]
async fn platform_admins_may_operate_every_app() {
    let p = platform().await;
    let stop =
        OperationRequest::parse("admin-alice", "payments-api", "dev", OperationKind::Stop).unwrap();
    let report = p.ops().run(&stop).await.unwrap();
    assert_eq!(report.status(), AuditStatus::Success, "{report:?}");
    assert_eq!(report.outcomes[0].app_status.as_ref().unwrap().desired, 0);
    // Without an admin group configured, she may not.
    let mut ops = p.ops();
    ops.admin_group = None;
    assert_eq!(ops.run(&stop).await.unwrap().status(), AuditStatus::Refused);
}

#[tokio::test]
async fn a_multi_provider_environment_is_operated_on_each_provider() {
    let p = platform().await;
    let release = OperationRequest::parse(
        "dev-dana",
        "payments-api",
        "awsenvironment:default/qa",
        OperationKind::Release("2.0.0".into()),
    )
    .unwrap();
    let report = p.ops().run(&release).await.unwrap();
    assert_eq!(report.outcomes.len(), 2);
    assert_eq!(report.status(), AuditStatus::Success, "{report:?}");
    for o in &report.outcomes {
        assert_eq!(
            o.app_status.as_ref().unwrap().version.as_deref(),
            Some("2.0.0")
        );
    }
    let records = p
        .audit
        .query(&AuditQuery {
            env: Some("qa".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut where_: Vec<(String, String)> = records
        .iter()
        .map(|r| (r.provider_name.clone(), r.target_region.clone()))
        .collect();
    where_.sort();
    assert_eq!(
        where_,
        [
            ("qa-euw1".to_string(), "eu-west-1".to_string()),
            ("qa-use1".to_string(), "us-east-1".to_string())
        ]
    );
}

#[tokio::test]
async fn failures_are_audited_too() {
    let p = platform().await;
    // Deployed to prod in the catalog, but never deployed there by a pipeline.
    let restart =
        OperationRequest::parse("dev-dana", "payments-api", "prod", OperationKind::Restart)
            .unwrap();
    let report = p.ops().run(&restart).await.unwrap();
    assert_eq!(report.status(), AuditStatus::Failed);
    assert!(
        report.outcomes[0].message.contains("not deployed"),
        "{report:?}"
    );
    // Not an environment of the app at all.
    let start =
        OperationRequest::parse("dev-dana", "payments-api", "sandbox", OperationKind::Start)
            .unwrap();
    let report = p.ops().run(&start).await.unwrap();
    assert_eq!(report.status(), AuditStatus::Failed);
    assert!(
        report.outcomes[0].message.contains("spec.dependsOn"),
        "{report:?}"
    );
    let failed = p
        .audit
        .query(&AuditQuery {
            user: Some("user:default/dev-dana".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|r| r.status == AuditStatus::Failed));
    assert!(
        failed[0]
            .assumed_role
            .contains("assumed-role/opa-prod-operations-role")
    );
    // Unknown app: nothing to audit against, an error.
    let unknown = OperationRequest::parse("dev-dana", "nope", "dev", OperationKind::Start).unwrap();
    let e = p.ops().run(&unknown).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "component:default/nope is not in the catalog"
    );
}
