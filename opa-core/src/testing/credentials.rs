//! The credentials suite.

use crate::audit::Timestamp;
use crate::cloud::{AssumeRoleRequest, CloudError, CloudSession, Credentials};

/// What the credentials suite needs from its backend.
#[derive(Debug, Clone)]
pub struct CredentialsFixture {
    /// A role the platform may assume.
    pub role_arn: String,
    /// A role that does not exist in the same account.
    pub missing_role_arn: String,
    /// The region.
    pub region: String,
}

/// Checks the platform session, assuming a role with tags and an unsanitized session name,
/// the identity of the assumed session, expiry, that `Debug` never shows the secrets, and the
/// refusal of a role that does not exist.
pub async fn credentials_suite(credentials: &dyn Credentials, fixture: &CredentialsFixture) {
    let platform = credentials
        .platform_session(&fixture.region)
        .await
        .expect("platform session");
    let me = credentials
        .caller_identity(&platform)
        .await
        .expect("caller identity of the platform session");
    assert!(
        me.account.len() == 12 && me.account.bytes().all(|b| b.is_ascii_digit()),
        "the platform's account is 12 digits: {}",
        me.account
    );

    let request = AssumeRoleRequest::new(
        fixture.role_arn.clone(),
        "opa user:default/jane set env!",
        fixture.region.clone(),
    )
    .tag("user", "user:default/jane")
    .tag("app", "payments")
    .tag("environment", "dev");
    assert_eq!(request.session_name, "opa-user-default-jane-set-env");
    let creds = credentials
        .assume_role(&request)
        .await
        .expect("assume role");
    let role_name = fixture.role_arn.rsplit('/').next().unwrap_or_default();
    assert!(
        creds.assumed_role_arn.contains(role_name)
            && creds.assumed_role_arn.ends_with(&request.session_name),
        "assumed-role ARN names the role and the session: {}",
        creds.assumed_role_arn
    );
    let role_account = fixture.role_arn.split(':').nth(4).unwrap_or_default();
    assert_eq!(
        creds.account, role_account,
        "credentials act in the role's account"
    );
    assert!(!creds.access_key_id.is_empty());
    assert!(!creds.secret_access_key.is_empty() && !creds.session_token.is_empty());
    let now = Timestamp::now();
    assert!(
        now.seconds_until(&creds.expiration) > 600,
        "credentials last more than ten minutes: {}",
        creds.expiration
    );
    let debug = format!("{creds:?}");
    assert!(
        !debug.contains(creds.secret_access_key.expose())
            && !debug.contains(creds.session_token.expose()),
        "Debug shows no secret: {debug}"
    );
    let json = serde_json::to_string(&creds).expect("serialize");
    assert!(
        !json.contains(creds.secret_access_key.expose()),
        "serializing shows no secret"
    );

    let session = CloudSession {
        credentials: creds.clone(),
        region: fixture.region.clone(),
    };
    let who = credentials
        .caller_identity(&session)
        .await
        .expect("identity of the assumed session");
    assert_eq!(who.account, role_account);
    assert_eq!(who.arn, creds.assumed_role_arn);

    let missing = AssumeRoleRequest::new(
        fixture.missing_role_arn.clone(),
        "opa-suite",
        fixture.region.clone(),
    );
    match credentials.assume_role(&missing).await {
        Err(CloudError::NotFound { .. } | CloudError::AccessDenied(_)) => {}
        other => panic!("assuming a missing role must be NotFound or AccessDenied: {other:?}"),
    }
}
