//! Credentials: who the platform is, and assuming a provider's role with session tags into
//! temporary credentials.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use serde::Serialize;

use super::error::CloudError;
use crate::audit::Timestamp;
use crate::config::SecretString;
use crate::pipeline::session_name;

/// A request to assume a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleRequest {
    /// The role's ARN.
    pub role_arn: String,
    /// The STS session name, already valid (built with [`AssumeRoleRequest::new`]).
    pub session_name: String,
    /// Session tags (`user`, `app`, `environment`): CloudTrail shows them, and policies may
    /// condition on them.
    pub session_tags: BTreeMap<String, String>,
    /// How long the credentials last (STS allows 15 minutes to the role's maximum).
    pub duration: Duration,
    /// The external id the role's trust policy asks for, if any.
    pub external_id: Option<String>,
    /// The region to call STS in.
    pub region: String,
}

impl AssumeRoleRequest {
    /// A request for `role_arn` in `region`, its session name sanitized to STS's rules
    /// (2–64 characters of `[\w+=,.@-]`), lasting one hour, without tags.
    pub fn new(role_arn: impl Into<String>, session_name: &str, region: impl Into<String>) -> Self {
        Self {
            role_arn: role_arn.into(),
            session_name: session_name::sanitize(session_name),
            session_tags: BTreeMap::new(),
            duration: Duration::from_secs(3600),
            external_id: None,
            region: region.into(),
        }
    }

    /// Adds a session tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.session_tags.insert(key.into(), value.into());
        self
    }
}

/// Temporary credentials. `Debug` shows the access key id and expiry, never the secret key or
/// the session token.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemporaryCredentials {
    /// The access key id (not a secret on its own).
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: SecretString,
    /// The session token.
    pub session_token: SecretString,
    /// When they expire.
    pub expiration: Timestamp,
    /// The assumed role's session ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>`).
    pub assumed_role_arn: String,
    /// The account they act in.
    pub account: String,
}

impl fmt::Debug for TemporaryCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemporaryCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"***")
            .field("session_token", &"***")
            .field("expiration", &self.expiration.to_string())
            .field("assumed_role_arn", &self.assumed_role_arn)
            .finish()
    }
}

/// Where and as whom a cloud call runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudSession {
    /// The credentials.
    pub credentials: TemporaryCredentials,
    /// The region.
    pub region: String,
}

/// Who a set of credentials belongs to (STS GetCallerIdentity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallerIdentity {
    /// The 12-digit account.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
}

/// Resolves the platform's own credentials and assumes roles.
#[async_trait]
pub trait Credentials: Send + Sync {
    /// The platform's own session in `region` (AWS: the default provider chain; local: the
    /// local platform identity).
    async fn platform_session(&self, region: &str) -> Result<CloudSession, CloudError>;

    /// Assumes a role, with the request's session name and tags. Fails with
    /// [`CloudError::AccessDenied`] when the role does not trust the caller and
    /// [`CloudError::NotFound`] when the role does not exist.
    async fn assume_role(
        &self,
        request: &AssumeRoleRequest,
    ) -> Result<TemporaryCredentials, CloudError>;

    /// Who `session`'s credentials belong to; [`CloudError::AccessDenied`] when they are
    /// expired or unknown.
    async fn caller_identity(&self, session: &CloudSession) -> Result<CallerIdentity, CloudError>;
}
