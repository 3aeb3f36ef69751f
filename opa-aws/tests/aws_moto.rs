//! The AWS backends against a moto server, through the real SDK: the behavioural suites of
//! the cloud traits and the audit log, and the error paths (throttling, transient failures,
//! conditional writes, missing roles, AccessDenied with IAM enforced, secrets kept out of
//! errors, Debug and logs).

mod support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_dynamodb::config::interceptors::BeforeDeserializationInterceptorContextMut;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_types::body::SdkBody;
use opa_aws::aws::{
    AwsConfig, AwsCredentials, DynamoDbAuditLog, SecretsManagerSecrets, SsmParameters,
};
use opa_core::audit::{AuditLog, AuditQuery, AuditRecord, AuditStatus, Timestamp};
use opa_core::cloud::{
    AssumeRoleRequest, CloudError, CloudSession, Credentials, SecretString, Secrets,
};
use opa_core::testing;
use support::{ACCOUNT, REGION, moto, unique};

/// A role the platform (moto's default account) may assume.
async fn platform_role(config: &AwsConfig) -> String {
    let name = unique("opa-suite-role");
    let trust = serde_json::json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
    }]});
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(config.endpoint_url().unwrap())
        .load()
        .await;
    aws_sdk_iam::Client::new(&sdk)
        .create_role()
        .role_name(&name)
        .assume_role_policy_document(trust.to_string())
        .send()
        .await
        .expect("create role");
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

async fn platform_session(config: &AwsConfig) -> CloudSession {
    AwsCredentials::default_chain(config.clone())
        .platform_session(REGION)
        .await
        .expect("platform session")
}

async fn audit_log(config: &AwsConfig) -> DynamoDbAuditLog {
    let session = platform_session(config).await;
    let log = DynamoDbAuditLog::new(config, &session, unique("opa-audit"));
    assert!(log.create_table().await.expect("create the audit table"));
    assert!(
        !log.create_table().await.expect("create again"),
        "a second create finds the table"
    );
    log
}

fn sample(app: &str, message: &str) -> AuditRecord {
    let at = Timestamp::now();
    AuditRecord {
        id: AuditRecord::make_id(
            ACCOUNT,
            REGION,
            "opa",
            "dev",
            app,
            "user:default/jane",
            "stop",
            &at,
        ),
        created_at: at,
        initiated_by: "user:default/jane".into(),
        owner: "group:default/team-a".into(),
        assumed_role: String::new(),
        target_account: ACCOUNT.into(),
        target_region: REGION.into(),
        prefix: "opa".into(),
        provider_name: "dev".into(),
        env_name: "dev".into(),
        app_name: app.into(),
        action_type: "operation".into(),
        action_name: "stop".into(),
        request: serde_json::json!({}),
        status: AuditStatus::Success,
        message: message.into(),
    }
}

#[tokio::test]
async fn credentials_suite_on_sts() {
    let Some(config) = moto() else { return };
    let role_arn = platform_role(&config).await;
    let credentials = AwsCredentials::default_chain(config);
    testing::credentials_suite(
        &credentials,
        &testing::CredentialsFixture {
            role_arn,
            missing_role_arn: format!("arn:aws:iam::{ACCOUNT}:role/{}", unique("no-such-role")),
            region: REGION.into(),
        },
    )
    .await;
}

#[tokio::test]
async fn assumed_roles_are_cached_and_tags_and_external_id_sent() {
    let Some(config) = moto() else { return };
    let role_arn = platform_role(&config).await;
    let credentials = AwsCredentials::default_chain(config);
    let mut request = AssumeRoleRequest::new(role_arn.clone(), "user:default/jane", REGION)
        .tag("app", "payments");
    request.external_id = Some("opa-external".into());
    let first = credentials.assume_role(&request).await.unwrap();
    let again = credentials.assume_role(&request).await.unwrap();
    assert_eq!(first, again, "a second assumption comes from the cache");
    let other = credentials
        .assume_role(&request.clone().tag("environment", "qa"))
        .await
        .unwrap();
    assert_ne!(
        first.access_key_id, other.access_key_id,
        "other session tags are another session"
    );
    assert!(first.assumed_role_arn.ends_with("/user-default-jane"));
    let bad = AssumeRoleRequest::new("not-an-arn", "x", REGION);
    assert!(matches!(
        credentials.assume_role(&bad).await,
        Err(CloudError::InvalidRequest(_))
    ));
}

#[tokio::test]
async fn explicit_credentials_are_checked_and_never_shown() {
    let Some(config) = moto() else { return };
    let role_arn = platform_role(&config).await;
    let platform = AwsCredentials::default_chain(config.clone());
    let temp = platform
        .assume_role(&AssumeRoleRequest::new(role_arn, "explicit", REGION))
        .await
        .unwrap();
    let explicit = AwsCredentials::explicit(
        config.clone(),
        temp.access_key_id.clone(),
        temp.secret_access_key.clone(),
        Some(temp.session_token.clone()),
        REGION,
    )
    .await
    .expect("temporary credentials that STS knows");
    let session = explicit.platform_session(REGION).await.unwrap();
    assert_eq!(session.credentials.assumed_role_arn, temp.assumed_role_arn);
    for shown in [format!("{explicit:?}"), format!("{session:?}")] {
        assert!(
            !shown.contains(temp.secret_access_key.expose())
                && !shown.contains(temp.session_token.expose()),
            "Debug shows no secret: {shown}"
        );
    }
}

/// Captures every log line (TRACE, the SDK's included) written on this thread.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs an assumption, a secret's creation and a call with the assumed session with every log
/// line captured (TRACE, the SDK's included, filtered by `directives`); returns the log and
/// the secrets that must not be in it.
async fn logged_calls(
    config: &AwsConfig,
    directives: &[&str],
) -> (String, Vec<(&'static str, String)>) {
    let role_arn = platform_role(config).await;
    let captured = Captured::default();
    let writer = captured.clone();
    let mut filter = tracing_subscriber::EnvFilter::new("trace");
    for d in directives {
        filter = filter.add_directive(d.parse().unwrap());
    }
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let credentials = AwsCredentials::default_chain(config.clone());
    let creds = credentials
        .assume_role(&AssumeRoleRequest::new(role_arn, "logged", REGION))
        .await
        .unwrap();
    let session = CloudSession {
        credentials: creds.clone(),
        region: REGION.into(),
    };
    let secrets = SecretsManagerSecrets::new(config.clone());
    let value = SecretString::new(format!("glpat-{}", unique("logged-secret")));
    secrets
        .create_secret(&session, &unique("opa-logged"), &value, None)
        .await
        .unwrap();
    credentials.caller_identity(&session).await.unwrap();
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    (
        logs,
        vec![
            (
                "secret access key",
                creds.secret_access_key.expose().to_string(),
            ),
            ("session token", creds.session_token.expose().to_string()),
            ("secret value", value.expose().to_string()),
        ],
    )
}

#[tokio::test]
async fn secrets_never_reach_the_logs() {
    let Some(config) = moto() else { return };
    let (logs, secrets) = logged_calls(&config, opa_aws::aws::LOG_DIRECTIVES).await;
    assert!(logs.len() > 100, "the SDK logged its calls: {logs}");
    for (what, secret) in &secrets {
        if let Some(at) = logs.find(secret.as_str()) {
            let from = logs[..at].rfind('\n').unwrap_or(0);
            panic!(
                "the {what} reached the logs, in: {}",
                logs[from..at].replace(secret.as_str(), "<SECRET>")
            );
        }
    }
    // Why the directives exist: without them the SDK's signer logs the session token.
    let (raw, secrets) = logged_calls(&config, &[]).await;
    assert!(
        raw.contains(&secrets[1].1),
        "the SDK no longer logs the session token at TRACE: LOG_DIRECTIVES may be relaxed"
    );
}

#[tokio::test]
async fn secrets_and_parameters_suites() {
    let Some(config) = moto() else { return };
    let session = platform_session(&config).await;
    testing::secrets_suite(&SecretsManagerSecrets::new(config.clone()), &session).await;
    testing::parameters_suite(&SsmParameters::new(config), &session).await;
}

#[tokio::test]
async fn dynamodb_audit_log_suite() {
    let Some(config) = moto() else { return };
    testing::audit_log_suite(&audit_log(&config).await).await;
}

#[tokio::test]
async fn dynamodb_audit_log_suite_one_item_per_page() {
    let Some(config) = moto() else { return };
    testing::audit_log_suite(&audit_log(&config).await.with_page_size(1)).await;
}

#[tokio::test]
async fn a_rewritten_record_keeps_the_first() {
    let Some(config) = moto() else { return };
    let log = audit_log(&config).await;
    let app = unique("app");
    let first = sample(&app, "first");
    let mut second = first.clone();
    second.message = "second".into();
    log.append(&first).await.unwrap();
    log.append(&second)
        .await
        .expect("a conditional-check failure is not an error");
    let found = log
        .query(&AuditQuery {
            app: Some(app),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].message, "first");
}

/// Replaces the first `n` answers of the service (after it acted) with an error.
#[derive(Debug, Clone)]
struct FailAnswers {
    remaining: Arc<AtomicU32>,
    status: u16,
    error_type: &'static str,
    seen: Arc<AtomicU32>,
}

impl FailAnswers {
    fn new(n: u32, status: u16, error_type: &'static str) -> Self {
        Self {
            remaining: Arc::new(AtomicU32::new(n)),
            status,
            error_type,
            seen: Arc::new(AtomicU32::new(0)),
        }
    }
}

impl Intercept for FailAnswers {
    fn name(&self) -> &'static str {
        "FailAnswers"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        self.seen.fetch_add(1, Ordering::SeqCst);
        if self
            .remaining
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            let response = context.response_mut();
            *response.status_mut() = self.status.try_into().unwrap();
            response
                .headers_mut()
                .insert("x-amzn-errortype", self.error_type);
            *response.body_mut() = SdkBody::from(format!(
                r#"{{"__type":"com.amazonaws.dynamodb.v20120810#{}","message":"injected by the test"}}"#,
                self.error_type
            ));
        }
        Ok(())
    }
}

async fn log_with(config: &AwsConfig, fail: &FailAnswers) -> DynamoDbAuditLog {
    let base = audit_log(config).await;
    let session = platform_session(config).await;
    let config = config
        .clone()
        .with_retries(4, Duration::from_millis(5))
        .with_interceptor(fail.clone());
    DynamoDbAuditLog::new(&config, &session, base.table())
}

#[tokio::test]
async fn throttled_and_failed_writes_are_retried_without_duplicates() {
    let Some(config) = moto() else { return };
    for (status, error) in [
        (400, "ProvisionedThroughputExceededException"),
        (400, "ThrottlingException"),
        (500, "InternalServerError"),
        (503, "ServiceUnavailable"),
    ] {
        let fail = FailAnswers::new(2, status, error);
        let log = log_with(&config, &fail).await;
        let app = unique("app");
        // The first answer is lost after the write happened: the retry meets the condition.
        log.append(&sample(&app, "once"))
            .await
            .unwrap_or_else(|e| panic!("{error} is retried: {e}"));
        assert_eq!(fail.seen.load(Ordering::SeqCst), 3, "{error}: two retries");
        let found = log
            .query(&AuditQuery {
                app: Some(app),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "{error}: no duplicate");
    }
}

#[tokio::test]
async fn throttling_that_does_not_stop_is_reported() {
    let Some(config) = moto() else { return };
    let fail = FailAnswers::new(u32::MAX, 400, "ProvisionedThroughputExceededException");
    let log = log_with(&config, &fail).await;
    let started = std::time::Instant::now();
    let e = log
        .query(&AuditQuery {
            app: Some("x".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(matches!(e, CloudError::Throttled(_)), "{e}");
    assert_eq!(fail.seen.load(Ordering::SeqCst), 4, "four attempts");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn access_denied_with_iam_enforced() {
    let Some(url) = support::endpoint("OPA_MOTO_AUTH_ENDPOINT_URL") else {
        return;
    };
    let config = AwsConfig::new()
        .with_endpoint_url(Some(url.clone()))
        .with_retries(2, Duration::from_millis(5));
    // Set up with authentication off: a user who may only read parameters.
    support::post(&url, "/moto-api/reset", "");
    support::post(&url, "/moto-api/reset-auth", "inf");
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(&url)
        .load()
        .await;
    let iam = aws_sdk_iam::Client::new(&sdk);
    let user = unique("opa-reader");
    iam.create_user().user_name(&user).send().await.unwrap();
    iam.put_user_policy()
        .user_name(&user)
        .policy_name("read-parameters")
        .policy_document(
            serde_json::json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["ssm:GetParameter", "sts:GetCallerIdentity"], "Resource": "*"}
            ]})
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    let key = iam
        .create_access_key()
        .user_name(&user)
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let secret = SecretString::new(key.secret_access_key());
    // From now on every call is checked against IAM.
    support::post(&url, "/moto-api/reset-auth", "0");
    let result = async {
        let reader = AwsCredentials::explicit(
            config.clone(),
            key.access_key_id(),
            secret.clone(),
            None,
            REGION,
        )
        .await
        .expect("the user's own keys");
        let session = reader.platform_session(REGION).await.unwrap();
        let log = DynamoDbAuditLog::new(&config, &session, "opa-dev-audit");
        let denied = log.append(&sample("payments", "x")).await.unwrap_err();
        assert!(matches!(denied, CloudError::AccessDenied(_)), "{denied}");
        assert!(!denied.to_string().contains(secret.expose()));
        let assume = reader
            .assume_role(&AssumeRoleRequest::new(
                format!("arn:aws:iam::{ACCOUNT}:role/opa-dev-operations-role"),
                "denied",
                REGION,
            ))
            .await
            .unwrap_err();
        assert!(matches!(assume, CloudError::AccessDenied(_)), "{assume}");
        let unknown = AwsCredentials::explicit(
            config.clone(),
            "AKIAUNKNOWNKEY000000",
            SecretString::new("not-a-real-secret-value-0123456789"),
            None,
            REGION,
        )
        .await
        .unwrap_err();
        assert!(matches!(unknown, CloudError::AccessDenied(_)), "{unknown}");
        assert!(
            !unknown.to_string().contains("not-a-real-secret-value")
                && !format!("{unknown:?}").contains("not-a-real-secret-value"),
            "errors show no secret: {unknown:?}"
        );
    }
    .await;
    support::post(&url, "/moto-api/reset-auth", "inf");
    result
}
