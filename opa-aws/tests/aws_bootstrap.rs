//! Bootstrap on moto: the bootstrapper suite in a fresh account, then what it made inspected
//! with the SDK directly, drift and `--force`, and a missing role.

mod support;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::{Credentials as SdkCredentials, SharedCredentialsProvider};
use opa_aws::aws::{AwsBootstrapper, AwsConfig, AwsCredentials, ROLE_POLICY_NAME};
use opa_core::cloud::{
    AssumeRoleRequest, BootstrapRequest, Bootstrapper, ChangeAction, CloudError, CloudSession,
    Credentials, OidcSubject, SecretString,
};
use opa_core::testing;
use serde_json::Value;
use support::{REGION, moto, unique};

/// A session in a fresh moto account (moto lets a role ARN of any account be assumed, which
/// switches accounts).
async fn fresh_account(config: &AwsConfig) -> CloudSession {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let account = format!("{:012}", 100_000_000_000u64 + (n % 800_000_000_000) as u64);
    let creds = AwsCredentials::default_chain(config.clone())
        .assume_role(&AssumeRoleRequest::new(
            format!("arn:aws:iam::{account}:role/admin"),
            "bootstrap-test",
            REGION,
        ))
        .await
        .expect("switch to a fresh account");
    assert_eq!(creds.account, account);
    CloudSession {
        credentials: creds,
        region: REGION.into(),
    }
}

/// The SDK's own configuration for `session`, to look at what bootstrap made independently.
fn sdk(config: &AwsConfig, session: &CloudSession) -> SdkConfig {
    let c = &session.credentials;
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(config.endpoint_url().unwrap())
        .credentials_provider(SharedCredentialsProvider::new(SdkCredentials::new(
            c.access_key_id.clone(),
            c.secret_access_key.expose().to_string(),
            Some(c.session_token.expose().to_string()),
            None,
            "test",
        )))
        .build()
}

fn request(session: &CloudSession) -> BootstrapRequest {
    BootstrapRequest {
        account: session.credentials.account.clone(),
        region: REGION.into(),
        prefix: "opa".into(),
        env_name: "dev".into(),
        github_repo: Some("acme/payments".into()),
        gitlab_host: Some("gitlab.example.com".into()),
        gitlab_project: Some("acme/payments".into()),
        ..Default::default()
    }
}

/// IAM returns policy documents URL-encoded.
fn decode(doc: &str) -> Value {
    serde_json::from_str(&percent_encoding::percent_decode_str(doc).decode_utf8_lossy()).unwrap()
}

#[tokio::test]
async fn bootstrapper_suite_in_a_fresh_account() {
    let Some(config) = moto() else { return };
    let session = fresh_account(&config).await;
    testing::bootstrapper_suite(
        &AwsBootstrapper::new(config.clone()),
        &session,
        &request(&session),
    )
    .await;
}

#[tokio::test]
async fn what_bootstrap_makes_checked_with_the_sdk_then_drift() {
    let Some(config) = moto() else { return };
    let session = fresh_account(&config).await;
    let account = session.credentials.account.clone();
    let bootstrapper = AwsBootstrapper::new(config.clone());
    let req = request(&session);
    let plan = bootstrapper.plan(&session, &req).await.unwrap();
    let json = serde_json::to_value(&plan).unwrap();
    assert_eq!(json["changes"][0]["action"], "create", "{json}");
    assert!(
        plan.to_text()
            .contains("+ iam-role opa-dev-provisioning-role")
    );
    let (_, made) = bootstrapper.apply(&session, &req).await.unwrap();
    assert_eq!(made.oidc_providers.len(), 2);

    let sdk = sdk(&config, &session);
    let iam = aws_sdk_iam::Client::new(&sdk);
    // The provisioning role: trusted by the platform and by both OIDC providers, with the
    // exact conditions.
    let role = iam
        .get_role()
        .role_name("opa-dev-provisioning-role")
        .send()
        .await
        .unwrap();
    let trust = decode(role.role().unwrap().assume_role_policy_document().unwrap());
    let statements = trust["Statement"].as_array().unwrap();
    let github = statements
        .iter()
        .find(|s| {
            s["Principal"]["Federated"]
                == format!(
                    "arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com"
                )
        })
        .expect("a GitHub statement");
    assert_eq!(github["Action"], "sts:AssumeRoleWithWebIdentity");
    assert_eq!(
        github["Condition"]["StringEquals"]["token.actions.githubusercontent.com:aud"],
        "sts.amazonaws.com"
    );
    assert_eq!(
        github["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"],
        serde_json::json!([
            "repo:acme/payments:ref:refs/heads/main",
            "repo:acme/payments:environment:dev"
        ])
    );
    let gitlab = statements
        .iter()
        .find(|s| {
            s["Principal"]["Federated"]
                == format!("arn:aws:iam::{account}:oidc-provider/gitlab.example.com")
        })
        .expect("a GitLab statement");
    assert_eq!(
        gitlab["Condition"]["StringLike"]["gitlab.example.com:sub"],
        "project_path:acme/payments:ref_type:branch:ref:main"
    );
    assert_eq!(
        gitlab["Condition"]["StringEquals"]["gitlab.example.com:aud"],
        "sts.amazonaws.com"
    );
    // Least privilege: every statement is scoped to the prefix's resources.
    let policy = iam
        .get_role_policy()
        .role_name("opa-dev-operations-role")
        .policy_name(ROLE_POLICY_NAME)
        .send()
        .await
        .unwrap();
    let policy = decode(policy.policy_document());
    for s in policy["Statement"].as_array().unwrap() {
        let resource = s["Resource"].to_string();
        // ECS's DescribeTaskDefinition and RegisterTaskDefinition take no resource-level
        // permissions: "*" is the only resource IAM accepts for them.
        let task_definitions = s["Action"]
            == serde_json::json!(["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]);
        assert!(
            task_definitions || (resource.contains("opa-") && !resource.contains("\"*\"")),
            "scoped to the prefix: {resource}"
        );
    }
    // OIDC providers with the STS audience.
    for host in ["token.actions.githubusercontent.com", "gitlab.example.com"] {
        let p = iam
            .get_open_id_connect_provider()
            .open_id_connect_provider_arn(format!("arn:aws:iam::{account}:oidc-provider/{host}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("OIDC provider {host}: {e}"));
        assert_eq!(p.client_id_list(), ["sts.amazonaws.com"]);
    }
    // The state bucket: versioned, encrypted, public access blocked.
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(true)
            .build(),
    );
    let bucket = format!("opa-{account}-{REGION}-tf-state");
    let v = s3
        .get_bucket_versioning()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    assert_eq!(v.status().map(|s| s.as_str()), Some("Enabled"));
    let enc = s3
        .get_bucket_encryption()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    let rule = &enc.server_side_encryption_configuration().unwrap().rules()[0];
    assert_eq!(
        rule.apply_server_side_encryption_by_default()
            .unwrap()
            .sse_algorithm()
            .as_str(),
        "aws:kms"
    );
    let pab = s3
        .get_public_access_block()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    let pab = pab.public_access_block_configuration().unwrap();
    assert_eq!(
        (
            pab.block_public_acls(),
            pab.ignore_public_acls(),
            pab.block_public_policy(),
            pab.restrict_public_buckets()
        ),
        (Some(true), Some(true), Some(true), Some(true))
    );
    // The lock table and the audit table.
    let ddb = aws_sdk_dynamodb::Client::new(&sdk);
    let lock = ddb
        .describe_table()
        .table_name("opa-tf-lock")
        .send()
        .await
        .unwrap();
    let lock = lock.table().unwrap();
    assert_eq!(lock.key_schema()[0].attribute_name(), "LockID");
    assert_eq!(
        lock.attribute_definitions()[0].attribute_type().as_str(),
        "S"
    );
    assert_eq!(
        lock.billing_mode_summary()
            .unwrap()
            .billing_mode()
            .unwrap()
            .as_str(),
        "PAY_PER_REQUEST"
    );
    let audit = ddb
        .describe_table()
        .table_name("opa-dev-audit")
        .send()
        .await
        .unwrap();
    let audit = audit.table().unwrap();
    let keys: Vec<_> = audit
        .key_schema()
        .iter()
        .map(|k| (k.attribute_name(), k.key_type().as_str()))
        .collect();
    assert_eq!(keys, [("id", "HASH"), ("createdAt", "RANGE")]);
    assert!(
        audit
            .global_secondary_indexes()
            .iter()
            .any(|i| i.index_name() == Some("appName-createdAt-index"))
    );
    let pitr = ddb
        .describe_continuous_backups()
        .table_name("opa-dev-audit")
        .send()
        .await
        .unwrap();
    assert_eq!(
        pitr.continuous_backups_description()
            .unwrap()
            .point_in_time_recovery_description()
            .unwrap()
            .point_in_time_recovery_status()
            .unwrap()
            .as_str(),
        "ENABLED"
    );
    // Parameters.
    let ssm = aws_sdk_ssm::Client::new(&sdk);
    let p = ssm
        .get_parameter()
        .name("/opa/dev/operations-role-arn")
        .send()
        .await
        .unwrap();
    assert_eq!(
        p.parameter().unwrap().value(),
        Some(format!("arn:aws:iam::{account}:role/opa-dev-operations-role").as_str())
    );

    // Someone changes the operations role's trust by hand: drift.
    iam.update_assume_role_policy()
        .role_name("opa-dev-operations-role")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"}]}"#,
        )
        .send()
        .await
        .unwrap();
    let plan = bootstrapper.plan(&session, &req).await.unwrap();
    assert!(plan.has_drift());
    assert!(
        plan.to_text()
            .contains("! iam-role opa-dev-operations-role")
    );
    match bootstrapper.apply(&session, &req).await {
        Err(CloudError::Drift(m)) => assert!(m.contains("opa-dev-operations-role"), "{m}"),
        other => panic!("drift without --force must be refused: {other:?}"),
    }
    let mut forced = req.clone();
    forced.force = true;
    let (applied, _) = bootstrapper.apply(&session, &forced).await.unwrap();
    assert!(
        applied
            .changes
            .iter()
            .any(|c| c.action == ChangeAction::Drift)
    );
    assert!(bootstrapper.plan(&session, &req).await.unwrap().is_noop());
}

#[tokio::test]
async fn missing_roles_are_not_found() {
    let Some(config) = moto() else { return };
    let credentials = AwsCredentials::default_chain(config);
    let e = credentials
        .assume_role(&AssumeRoleRequest::new(
            format!(
                "arn:aws:iam::{}:role/{}",
                support::ACCOUNT,
                unique("opa-missing")
            ),
            "missing",
            REGION,
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(e, CloudError::NotFound { kind: "role", .. }),
        "{e}"
    );
}

/// The `apiToken` of a secret, read with the SDK.
async fn api_token(sdk: &SdkConfig, name: &str) -> Value {
    let out = aws_sdk_secretsmanager::Client::new(sdk)
        .get_secret_value()
        .secret_id(name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("secret {name}: {e}"));
    serde_json::from_str(out.secret_string().unwrap()).unwrap()
}

#[tokio::test]
async fn git_secrets_are_made_idempotently_and_their_values_never_shown() {
    let Some(config) = moto() else { return };
    let session = fresh_account(&config).await;
    let bootstrapper = AwsBootstrapper::new(config.clone());
    let mut req = request(&session);
    req.github_token = Some(SecretString::new("ghp-first-token-1111"));
    req.gitlab_token = Some(SecretString::new("glpat-first-token-2222"));
    let shown = |plan: &opa_core::cloud::BootstrapPlan, req: &BootstrapRequest| {
        format!(
            "{}\n{}\n{plan:?}\n{req:?}\n{}",
            plan.to_text(),
            serde_json::to_string(plan).unwrap(),
            serde_json::to_string(req).unwrap()
        )
    };

    let plan = bootstrapper.plan(&session, &req).await.unwrap();
    let text = plan.to_text();
    assert!(text.contains("+ secret opa-admin-github-secrets"), "{text}");
    assert!(text.contains("+ secret opa-admin-gitlab-secrets"), "{text}");
    let (applied, made) = bootstrapper.apply(&session, &req).await.unwrap();
    assert_eq!(
        made.secrets,
        ["opa-admin-github-secrets", "opa-admin-gitlab-secrets"]
    );
    let everything = format!("{}\n{made:?}", shown(&applied, &req));
    assert!(
        !everything.contains("first-token"),
        "a token was shown: {everything}"
    );
    let sdk = sdk(&config, &session);
    assert_eq!(
        api_token(&sdk, "opa-admin-github-secrets").await,
        serde_json::json!({"apiToken": "ghp-first-token-1111"})
    );
    assert_eq!(
        api_token(&sdk, "opa-admin-gitlab-secrets").await["apiToken"],
        "glpat-first-token-2222"
    );
    assert!(
        bootstrapper.plan(&session, &req).await.unwrap().is_noop(),
        "a second apply changes nothing"
    );

    // Someone adds the GitLab admin's username (as OPA's installer does); a new token is an
    // update that keeps it, and the plan says only that the token differs.
    aws_sdk_secretsmanager::Client::new(&sdk)
        .put_secret_value()
        .secret_id("opa-admin-gitlab-secrets")
        .secret_string(r#"{"apiToken":"glpat-first-token-2222","username":"opa-admin"}"#)
        .send()
        .await
        .unwrap();
    req.gitlab_token = Some(SecretString::new("glpat-second-token-3333"));
    let plan = bootstrapper.plan(&session, &req).await.unwrap();
    let change = plan
        .changes
        .iter()
        .find(|c| c.name == "opa-admin-gitlab-secrets")
        .unwrap();
    assert_eq!(change.action, ChangeAction::Update);
    assert_eq!(change.detail.as_deref(), Some("apiToken differs"));
    assert!(
        !shown(&plan, &req).contains("token-"),
        "{}",
        shown(&plan, &req)
    );
    bootstrapper.apply(&session, &req).await.unwrap();
    assert_eq!(
        api_token(&sdk, "opa-admin-gitlab-secrets").await,
        serde_json::json!({"apiToken": "glpat-second-token-3333", "username": "opa-admin"})
    );

    // Without a token, an existing secret is kept as it is; a new one is made empty.
    let mut other_env = request(&session);
    other_env.prefix = "opb".into();
    let text = bootstrapper
        .plan(&session, &other_env)
        .await
        .unwrap()
        .to_text();
    assert!(
        text.contains("+ secret opb-admin-github-secrets (empty apiToken: no token given"),
        "{text}"
    );
    req.github_token = None;
    req.gitlab_token = None;
    assert!(bootstrapper.plan(&session, &req).await.unwrap().is_noop());

    // Destroy schedules the secrets' deletion; bootstrapping again restores them.
    let mut destroy = req.clone();
    destroy.destroy = true;
    bootstrapper.apply(&session, &destroy).await.unwrap();
    let gone = aws_sdk_secretsmanager::Client::new(&sdk)
        .describe_secret()
        .secret_id("opa-admin-github-secrets")
        .send()
        .await
        .unwrap();
    assert!(gone.deleted_date().is_some(), "scheduled for deletion");
    req.github_token = Some(SecretString::new("ghp-third-token-4444"));
    let mut again = destroy.clone();
    again.github_token = req.github_token.clone();
    assert!(
        bootstrapper
            .plan(&session, &again)
            .await
            .unwrap()
            .changes
            .iter()
            .all(|c| c.resource != "secret"),
        "a second destroy leaves the scheduled secrets alone"
    );
    let plan = bootstrapper.plan(&session, &req).await.unwrap();
    let text = plan.to_text();
    assert!(
        text.contains("+ secret opa-admin-gitlab-secrets (restores it from its scheduled deletion, with its value)"),
        "{text}"
    );
    assert!(
        text.contains("+ secret opa-admin-github-secrets (restores it from its scheduled deletion, with the token given)"),
        "{text}"
    );
    bootstrapper.apply(&session, &req).await.unwrap();
    assert_eq!(
        api_token(&sdk, "opa-admin-github-secrets").await["apiToken"],
        "ghp-third-token-4444"
    );
    assert_eq!(
        api_token(&sdk, "opa-admin-gitlab-secrets").await,
        serde_json::json!({"apiToken": "glpat-second-token-3333", "username": "opa-admin"}),
        "restored as it was"
    );
    assert!(bootstrapper.plan(&session, &req).await.unwrap().is_noop());
}

#[tokio::test]
async fn oidc_trusts_follow_the_subjects_given() {
    let Some(config) = moto() else { return };
    let session = fresh_account(&config).await;
    let bootstrapper = AwsBootstrapper::new(config.clone());
    let mut req = request(&session);
    req.oidc_subjects = vec![
        "branch:release/*".parse().unwrap(),
        "environment:production".parse().unwrap(),
        OidcSubject::Branch("develop".into()),
    ];
    bootstrapper.apply(&session, &req).await.unwrap();
    let iam = aws_sdk_iam::Client::new(&sdk(&config, &session));
    let trust = |iam: aws_sdk_iam::Client| async move {
        let role = iam
            .get_role()
            .role_name("opa-dev-provisioning-role")
            .send()
            .await
            .unwrap();
        decode(role.role().unwrap().assume_role_policy_document().unwrap())
    };
    let doc = trust(iam.clone()).await;
    let subs: Vec<&Value> = doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["Condition"]["StringLike"].as_object())
        .flat_map(|m| m.values())
        .collect();
    assert_eq!(
        subs,
        [
            &serde_json::json!([
                "repo:acme/payments:ref:refs/heads/release/*",
                "repo:acme/payments:environment:production",
                "repo:acme/payments:ref:refs/heads/develop"
            ]),
            &serde_json::json!([
                "project_path:acme/payments:ref_type:branch:ref:release/*",
                "project_path:acme/payments:ref_type:branch:ref:develop"
            ]),
        ]
    );
    // Other subjects later: the trust bootstrap wants changed, which is drift on the role.
    req.oidc_subjects = vec![OidcSubject::Branch("main".into())];
    let plan = bootstrapper.plan(&session, &req).await.unwrap();
    assert!(
        plan.to_text()
            .contains("! iam-role opa-dev-provisioning-role"),
        "{}",
        plan.to_text()
    );
    req.force = true;
    bootstrapper.apply(&session, &req).await.unwrap();
    let doc = trust(iam).await;
    assert!(
        doc.to_string()
            .contains("\"project_path:acme/payments:ref_type:branch:ref:main\""),
        "{doc}"
    );

    // GitLab's sub claim names no environment: environments alone cannot make its trust.
    req.oidc_subjects = vec![OidcSubject::Environment("production".into())];
    match bootstrapper.plan(&session, &req).await {
        Err(CloudError::InvalidRequest(m)) => assert!(m.contains("GitLab"), "{m}"),
        other => panic!("{other:?}"),
    }
}
