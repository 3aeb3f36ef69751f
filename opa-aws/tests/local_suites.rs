//! The behavioural suites of opa-core's cloud traits, run on the embedded local backends.

use opa_aws::local::{LocalCloud, SqliteAuditLog};
use opa_core::cloud::{
    AppTarget, AssumeRoleRequest, BootstrapRequest, Bootstrapper, ChangeAction, CloudError,
    CloudSession, Credentials,
};
use opa_core::platform::RuntimeType;
use opa_core::testing;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

fn request() -> BootstrapRequest {
    BootstrapRequest {
        account: ACCOUNT.into(),
        region: REGION.into(),
        prefix: "opa".into(),
        env_name: "dev".into(),
        github_repo: Some("acme/payments".into()),
        gitlab_host: Some("gitlab.example.com".into()),
        gitlab_project: Some("acme/payments".into()),
        ..Default::default()
    }
}

async fn provisioned(dir: &tempfile::TempDir) -> (LocalCloud, CloudSession) {
    let cloud = LocalCloud::open(dir.path().join("cloud.json"));
    let admin = cloud.admin_session(ACCOUNT, REGION);
    cloud.apply(&admin, &request()).await.expect("bootstrap");
    let creds = cloud
        .assume_role(&AssumeRoleRequest::new(
            format!("arn:aws:iam::{ACCOUNT}:role/opa-dev-operations-role"),
            "suite",
            REGION,
        ))
        .await
        .expect("assume the operations role");
    (
        cloud,
        CloudSession {
            credentials: creds,
            region: REGION.into(),
        },
    )
}

#[tokio::test]
async fn sqlite_audit_log_file() {
    let dir = tempfile::tempdir().unwrap();
    let log = SqliteAuditLog::open(dir.path().join("audit/audit.db")).unwrap();
    testing::audit_log_suite(&log).await;
    // Records survive reopening the file.
    drop(log);
    let again = SqliteAuditLog::open(dir.path().join("audit/audit.db")).unwrap();
    testing::audit_log_suite(&again).await;
}

#[tokio::test]
async fn sqlite_audit_log_in_memory() {
    testing::audit_log_suite(&SqliteAuditLog::in_memory().unwrap()).await;
}

#[tokio::test]
async fn local_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let (cloud, _) = provisioned(&dir).await;
    testing::credentials_suite(
        &cloud,
        &testing::CredentialsFixture {
            role_arn: format!("arn:aws:iam::{ACCOUNT}:role/opa-dev-operations-role"),
            missing_role_arn: format!("arn:aws:iam::{ACCOUNT}:role/opa-nope-role"),
            region: REGION.into(),
        },
    )
    .await;
}

#[tokio::test]
async fn local_secrets_and_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let (cloud, session) = provisioned(&dir).await;
    testing::secrets_suite(&cloud, &session).await;
    testing::parameters_suite(&cloud, &session).await;
}

#[tokio::test]
async fn local_runtime_for_every_runtime_type() {
    let dir = tempfile::tempdir().unwrap();
    let (cloud, session) = provisioned(&dir).await;
    for runtime in RuntimeType::ALL {
        let target = AppTarget {
            app: format!("payments-{runtime}"),
            env: "dev".into(),
            provider: "dev-use1".into(),
            prefix: "opa".into(),
            account: ACCOUNT.into(),
            region: REGION.into(),
            runtime,
            cluster: runtime.needs_cluster().then(|| "opa-dev-cluster".into()),
            outputs: Default::default(),
        };
        cloud.deploy_app(&session, &target, "1.0.0").unwrap();
        testing::app_runtime_suite(&cloud, &session, &target).await;
        // The runtime's own view follows the operations.
        let details = cloud
            .read(|s| {
                Ok(s.region(ACCOUNT, REGION).unwrap().apps
                    [&format!("payments-{runtime}/dev/dev-use1")]
                    .details
                    .clone())
            })
            .unwrap();
        match runtime {
            RuntimeType::Ecs => assert_eq!(details["desiredCount"], 1),
            RuntimeType::Eks => assert_eq!(details["replicas"], 1),
            _ => assert!(details["reservedConcurrency"].is_null()),
        }
    }
}

#[tokio::test]
async fn local_bootstrapper() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = LocalCloud::open(dir.path().join("cloud.json"));
    let admin = cloud.admin_session(ACCOUNT, REGION);
    testing::bootstrapper_suite(&cloud, &admin, &request()).await;
}

#[tokio::test]
async fn bootstrap_records_trust_and_settings_and_reports_drift() {
    let dir = tempfile::tempdir().unwrap();
    let (cloud, _) = provisioned(&dir).await;
    let state = cloud.read(|s| Ok(s.clone())).unwrap();
    let account = &state.accounts[ACCOUNT];
    let prov = &account.roles["opa-dev-provisioning-role"];
    let trust = prov.trust_policy.to_string();
    assert!(trust.contains("arn:aws:iam::000000000000:root"), "{trust}");
    assert!(trust.contains("repo:acme/payments:ref:refs/heads/main"));
    assert!(trust.contains("repo:acme/payments:environment:dev"));
    assert!(trust.contains("project_path:acme/payments:ref_type:branch:ref:main"));
    assert!(trust.contains("token.actions.githubusercontent.com:aud"));
    let bucket = &account.buckets["opa-123456789012-us-east-1-tf-state"];
    assert!(bucket.versioning && bucket.public_access_blocked);
    let region = &account.regions[REGION];
    assert_eq!(
        region.tables["opa-tf-lock"].hash_key,
        ("LockID".into(), "S".into())
    );
    let audit = &region.tables["opa-dev-audit"];
    assert_eq!(audit.range_key, Some(("createdAt".into(), "S".into())));
    assert!(audit.point_in_time_recovery);
    assert_eq!(
        region.parameters["/opa/dev/operations-role-arn"],
        "arn:aws:iam::123456789012:role/opa-dev-operations-role"
    );

    // Someone edits the trust policy by hand: drift, refused unless forced.
    cloud
        .update(|s| {
            s.account_mut(ACCOUNT)
                .roles
                .get_mut("opa-dev-operations-role")
                .unwrap()
                .trust_policy = serde_json::json!({"Statement": []});
            Ok(())
        })
        .unwrap();
    let admin = cloud.admin_session(ACCOUNT, REGION);
    let plan = cloud.plan(&admin, &request()).await.unwrap();
    assert!(plan.has_drift());
    assert!(
        plan.to_text()
            .contains("! iam-role opa-dev-operations-role")
    );
    assert!(matches!(
        cloud.apply(&admin, &request()).await,
        Err(CloudError::Drift(_))
    ));
    // A role that no longer trusts the platform cannot be assumed.
    let denied = cloud
        .assume_role(&AssumeRoleRequest::new(
            format!("arn:aws:iam::{ACCOUNT}:role/opa-dev-operations-role"),
            "x1",
            REGION,
        ))
        .await;
    assert!(
        matches!(denied, Err(CloudError::AccessDenied(_))),
        "{denied:?}"
    );
    let mut forced = request();
    forced.force = true;
    let (applied, _) = cloud.apply(&admin, &forced).await.unwrap();
    assert!(
        applied
            .changes
            .iter()
            .any(|c| c.action == ChangeAction::Drift)
    );
    assert!(cloud.plan(&admin, &request()).await.unwrap().is_noop());
}

#[tokio::test]
async fn sessions_act_only_in_their_account() {
    let dir = tempfile::tempdir().unwrap();
    let (cloud, session) = provisioned(&dir).await;
    let other = cloud.admin_session("210987654321", REGION);
    let target = AppTarget {
        app: "payments".into(),
        env: "dev".into(),
        provider: "dev-use1".into(),
        prefix: "opa".into(),
        account: ACCOUNT.into(),
        region: REGION.into(),
        runtime: RuntimeType::Serverless,
        cluster: None,
        outputs: Default::default(),
    };
    cloud.deploy_app(&session, &target, "1").unwrap();
    let e = opa_core::cloud::AppRuntime::stop(&cloud, &other, &target)
        .await
        .unwrap_err();
    assert!(matches!(e, CloudError::AccessDenied(_)), "{e}");
    let token = cloud
        .create_project_access_token(&session, "aws-apps-payments-access-token", "acme/payments")
        .unwrap();
    let value = opa_core::cloud::Secrets::get_secret_value(&cloud, &session, &token.arn)
        .await
        .unwrap();
    assert!(value.expose().starts_with("glpat-"));
    // The state file is plain JSON, written whole.
    let text = std::fs::read_to_string(cloud.state_path()).unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
}

#[tokio::test]
async fn provider_values_held_as_parameter_names_resolve() {
    use opa_core::platform::model::resolve_parameter_names;
    use opa_core::platform::{EnvironmentProvider, IacType};
    let dir = tempfile::tempdir().unwrap();
    let (cloud, session) = provisioned(&dir).await;
    let entity = serde_json::json!({
        "apiVersion": "aws.backstage.io/v1alpha", "kind": "AWSEnvironmentProvider",
        "metadata": {"name": "dev-use1", "prefix": "opa", "envType": "serverless",
            "awsAccount": ACCOUNT, "awsRegion": REGION, "iacType": "cdk",
            "provisioningRole": "/opa/dev/provisioning-role-arn",
            "operationRole": "/opa/dev/operations-role-arn", "auditTable": "/opa/dev/audit-table"},
        "spec": {"type": "environment-provider", "lifecycle": "experimental", "owner": "admins"}
    });
    let mut p = EnvironmentProvider::from_entity(&entity)
        .unwrap()
        .provisioned()
        .unwrap();
    assert_eq!(p.iac_type, IacType::Cdk);
    resolve_parameter_names(&mut p, &cloud, &session)
        .await
        .unwrap();
    assert_eq!(
        p.assumed_role_arn,
        format!("arn:aws:iam::{ACCOUNT}:role/opa-dev-provisioning-role")
    );
    assert_eq!(p.audit_table, "opa-dev-audit");
    assert_eq!(p.vpc_id, "", "values that are not parameter names stay");
}

#[tokio::test]
async fn concurrent_writers_lose_no_update() {
    use opa_core::cloud::Parameters;
    let dir = tempfile::tempdir().unwrap();
    let (_, session) = provisioned(&dir).await;
    let path = dir.path().join("cloud.json");
    // Separate LocalCloud values share only the file, as separate processes would.
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let path = path.clone();
            let session = session.clone();
            std::thread::spawn(move || {
                let cloud = LocalCloud::open(path);
                let rt = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap();
                for j in 0..5 {
                    rt.block_on(cloud.put_parameter(
                        &session,
                        &format!("/opa/c/{i}/{j}"),
                        "v",
                        false,
                    ))
                    .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let cloud = LocalCloud::open(&path);
    let all = cloud
        .get_parameters_by_path(&session, "/opa/c")
        .await
        .unwrap();
    assert_eq!(all.len(), 40);
    assert!(!dir.path().join("cloud.json.lock").exists());
}

#[tokio::test]
async fn oidc_subjects_shape_the_local_trust_too() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = LocalCloud::open(dir.path().join("cloud.json"));
    let admin = cloud.admin_session(ACCOUNT, REGION);
    let mut req = request();
    req.oidc_subjects = vec![
        "ref:refs/heads/trunk".parse().unwrap(),
        "environment:qa".parse().unwrap(),
    ];
    cloud.apply(&admin, &req).await.expect("bootstrap");
    let state = cloud.read(|s| Ok(s.clone())).unwrap();
    let trust = state.accounts[ACCOUNT].roles["opa-dev-provisioning-role"]
        .trust_policy
        .to_string();
    assert!(
        trust.contains("repo:acme/payments:ref:refs/heads/trunk"),
        "{trust}"
    );
    assert!(
        trust.contains("repo:acme/payments:environment:qa"),
        "{trust}"
    );
    assert!(!trust.contains("refs/heads/main"), "{trust}");
    assert!(
        trust.contains("\"project_path:acme/payments:ref_type:branch:ref:trunk\""),
        "{trust}"
    );
    req.oidc_subjects = vec!["environment:qa".parse().unwrap()];
    match cloud.plan(&admin, &req).await {
        Err(CloudError::InvalidRequest(m)) => assert!(m.contains("GitLab"), "{m}"),
        other => panic!("{other:?}"),
    }
}
