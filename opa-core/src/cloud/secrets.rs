//! Secrets (AWS Secrets Manager-like).

use async_trait::async_trait;
use serde::Serialize;

use super::credentials::CloudSession;
use super::error::CloudError;
use crate::config::SecretString;

/// A stored secret's name and ARN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretRef {
    /// The name.
    pub name: String,
    /// The ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>`).
    pub arn: String,
}

/// Stores secrets in the session's account and region.
#[async_trait]
pub trait Secrets: Send + Sync {
    /// Creates a secret; [`CloudError::AlreadyExists`] when the name is taken.
    async fn create_secret(
        &self,
        session: &CloudSession,
        name: &str,
        value: &SecretString,
        description: Option<&str>,
    ) -> Result<SecretRef, CloudError>;

    /// Replaces a secret's value.
    async fn put_secret_value(
        &self,
        session: &CloudSession,
        name_or_arn: &str,
        value: &SecretString,
    ) -> Result<SecretRef, CloudError>;

    /// A secret's current value.
    async fn get_secret_value(
        &self,
        session: &CloudSession,
        name_or_arn: &str,
    ) -> Result<SecretString, CloudError>;

    /// Deletes a secret.
    async fn delete_secret(
        &self,
        session: &CloudSession,
        name_or_arn: &str,
    ) -> Result<(), CloudError>;
}
