//! [`Secrets`] on AWS Secrets Manager.

use async_trait::async_trait;
use opa_core::cloud::{CloudError, CloudSession, SecretRef, SecretString, Secrets};

use super::config::AwsConfig;
use super::error::{cloud_error, code};

/// Days a deleted secret can be restored in (Secrets Manager's minimum).
const RECOVERY_WINDOW_DAYS: i64 = 7;

/// Secrets Manager secrets, in the session's account and region. Deleting schedules the
/// deletion with a seven-day recovery window; a secret scheduled for deletion reads as
/// [`CloudError::NotFound`].
#[derive(Debug, Clone)]
pub struct SecretsManagerSecrets {
    config: AwsConfig,
}

impl SecretsManagerSecrets {
    /// Secrets reached with clients built from `config`.
    pub fn new(config: AwsConfig) -> Self {
        Self { config }
    }

    fn client(&self, session: &CloudSession) -> aws_sdk_secretsmanager::Client {
        self.config.secrets_manager(&self.config.session(session))
    }
}

/// Secrets Manager's answer for a secret scheduled for deletion.
fn deleted<E: aws_sdk_secretsmanager::error::ProvideErrorMetadata, R>(
    e: &aws_sdk_secretsmanager::error::SdkError<E, R>,
) -> bool {
    code(e) == Some("InvalidRequestException")
        && e.as_service_error()
            .and_then(|s| s.message())
            .is_some_and(|m| m.contains("marked for deletion") || m.contains("marked deleted"))
}

#[async_trait]
impl Secrets for SecretsManagerSecrets {
    async fn create_secret(
        &self,
        session: &CloudSession,
        name: &str,
        value: &SecretString,
        description: Option<&str>,
    ) -> Result<SecretRef, CloudError> {
        let out = self
            .client(session)
            .create_secret()
            .name(name)
            .secret_string(value.expose())
            .set_description(description.map(str::to_string))
            .send()
            .await
            .map_err(|e| cloud_error(e, "secretsmanager:CreateSecret", "secret", name))?;
        Ok(SecretRef {
            name: out.name().unwrap_or(name).to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
        })
    }

    async fn put_secret_value(
        &self,
        session: &CloudSession,
        name_or_arn: &str,
        value: &SecretString,
    ) -> Result<SecretRef, CloudError> {
        let out = self
            .client(session)
            .put_secret_value()
            .secret_id(name_or_arn)
            .secret_string(value.expose())
            .send()
            .await
            .map_err(|e| {
                if deleted(&e) {
                    return CloudError::not_found("secret", name_or_arn);
                }
                cloud_error(e, "secretsmanager:PutSecretValue", "secret", name_or_arn)
            })?;
        Ok(SecretRef {
            name: out.name().unwrap_or(name_or_arn).to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
        })
    }

    async fn get_secret_value(
        &self,
        session: &CloudSession,
        name_or_arn: &str,
    ) -> Result<SecretString, CloudError> {
        let out = self
            .client(session)
            .get_secret_value()
            .secret_id(name_or_arn)
            .send()
            .await
            .map_err(|e| {
                if deleted(&e) {
                    return CloudError::not_found("secret", name_or_arn);
                }
                cloud_error(e, "secretsmanager:GetSecretValue", "secret", name_or_arn)
            })?;
        Ok(SecretString::new(out.secret_string().unwrap_or_default()))
    }

    async fn delete_secret(
        &self,
        session: &CloudSession,
        name_or_arn: &str,
    ) -> Result<(), CloudError> {
        self.client(session)
            .delete_secret()
            .secret_id(name_or_arn)
            .recovery_window_in_days(RECOVERY_WINDOW_DAYS)
            .send()
            .await
            .map_err(|e| cloud_error(e, "secretsmanager:DeleteSecret", "secret", name_or_arn))?;
        Ok(())
    }
}
