//! [`Parameters`] on SSM Parameter Store.

use std::collections::BTreeMap;

use async_trait::async_trait;
use aws_sdk_ssm::types::ParameterType;
use opa_core::cloud::{CloudError, CloudSession, Parameters};

use super::config::AwsConfig;
use super::error::cloud_error;

/// SSM parameters, in the session's account and region. Values of `SecureString` parameters
/// are read decrypted; new parameters are `String`s.
#[derive(Debug, Clone)]
pub struct SsmParameters {
    config: AwsConfig,
}

impl SsmParameters {
    /// Parameters reached with clients built from `config`.
    pub fn new(config: AwsConfig) -> Self {
        Self { config }
    }

    fn client(&self, session: &CloudSession) -> aws_sdk_ssm::Client {
        self.config.ssm(&self.config.session(session))
    }
}

#[async_trait]
impl Parameters for SsmParameters {
    async fn get_parameter(
        &self,
        session: &CloudSession,
        name: &str,
    ) -> Result<String, CloudError> {
        let out = self
            .client(session)
            .get_parameter()
            .name(name)
            .with_decryption(true)
            .send()
            .await
            .map_err(|e| cloud_error(e, "ssm:GetParameter", "parameter", name))?;
        Ok(out
            .parameter()
            .and_then(|p| p.value())
            .unwrap_or_default()
            .to_string())
    }

    async fn get_parameters_by_path(
        &self,
        session: &CloudSession,
        path: &str,
    ) -> Result<BTreeMap<String, String>, CloudError> {
        let client = self.client(session);
        let mut found = BTreeMap::new();
        let mut token = None;
        loop {
            let out = client
                .get_parameters_by_path()
                .path(path)
                .recursive(true)
                .with_decryption(true)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| cloud_error(e, "ssm:GetParametersByPath", "parameter", path))?;
            for p in out.parameters() {
                if let (Some(n), Some(v)) = (p.name(), p.value()) {
                    found.insert(n.to_string(), v.to_string());
                }
            }
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(found);
            }
        }
    }

    async fn put_parameter(
        &self,
        session: &CloudSession,
        name: &str,
        value: &str,
        overwrite: bool,
    ) -> Result<(), CloudError> {
        self.client(session)
            .put_parameter()
            .name(name)
            .value(value)
            .r#type(ParameterType::String)
            .overwrite(overwrite)
            .send()
            .await
            .map_err(|e| cloud_error(e, "ssm:PutParameter", "parameter", name))?;
        Ok(())
    }

    async fn delete_parameter(&self, session: &CloudSession, name: &str) -> Result<(), CloudError> {
        self.client(session)
            .delete_parameter()
            .name(name)
            .send()
            .await
            .map_err(|e| cloud_error(e, "ssm:DeleteParameter", "parameter", name))?;
        Ok(())
    }
}
