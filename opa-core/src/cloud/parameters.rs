//! Parameters (AWS SSM Parameter Store-like): the platform's and providers' configuration by
//! path (`/opa/platform-role`, `/<prefix>/<provider>/vpc`).

use std::collections::BTreeMap;

use async_trait::async_trait;

use super::credentials::CloudSession;
use super::error::CloudError;

/// Reads and writes parameters in the session's account and region.
#[async_trait]
pub trait Parameters: Send + Sync {
    /// A parameter's value; [`CloudError::NotFound`] when absent.
    async fn get_parameter(&self, session: &CloudSession, name: &str)
    -> Result<String, CloudError>;

    /// Every parameter under `path` (recursively), by full name.
    async fn get_parameters_by_path(
        &self,
        session: &CloudSession,
        path: &str,
    ) -> Result<BTreeMap<String, String>, CloudError>;

    /// Writes a parameter; with `overwrite` false an existing one is
    /// [`CloudError::AlreadyExists`].
    async fn put_parameter(
        &self,
        session: &CloudSession,
        name: &str,
        value: &str,
        overwrite: bool,
    ) -> Result<(), CloudError>;

    /// Deletes a parameter; [`CloudError::NotFound`] when absent.
    async fn delete_parameter(&self, session: &CloudSession, name: &str) -> Result<(), CloudError>;
}
