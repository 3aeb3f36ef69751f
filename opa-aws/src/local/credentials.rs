//! Local credentials: the platform identity, and assuming roles that exist in the state and
//! trust the platform's account.

use async_trait::async_trait;
use opa_core::cloud::{
    AssumeRoleRequest, CallerIdentity, CloudError, CloudSession, Credentials, TemporaryCredentials,
};
use opa_core::pipeline::session_name;

use super::cloud::LocalCloud;
use super::policy::trusts_account;

/// Splits `arn:aws:iam::<account>:role/<path/name>` into the account and the role name.
fn parse_role_arn(arn: &str) -> Result<(&str, &str), CloudError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "iam", "", account, resource] if account.len() == 12 => {
            let name = resource
                .strip_prefix("role/")
                .and_then(|p| p.rsplit('/').next())
                .filter(|n| !n.is_empty())
                .ok_or_else(|| CloudError::InvalidRequest(format!("not a role ARN: {arn}")))?;
            Ok((account, name))
        }
        _ => Err(CloudError::InvalidRequest(format!("not a role ARN: {arn}"))),
    }
}

#[async_trait]
impl Credentials for LocalCloud {
    async fn platform_session(&self, region: &str) -> Result<CloudSession, CloudError> {
        let account = self.platform_account().to_string();
        Ok(CloudSession {
            credentials: self.issue(
                &account,
                format!("arn:aws:iam::{account}:user/opa-local-platform"),
                3600,
            ),
            region: region.to_string(),
        })
    }

    async fn assume_role(
        &self,
        request: &AssumeRoleRequest,
    ) -> Result<TemporaryCredentials, CloudError> {
        if !session_name::is_valid(&request.session_name) {
            return Err(CloudError::InvalidRequest(format!(
                "session name \"{}\" is not 2-64 characters of [\\w+=,.@-]",
                request.session_name
            )));
        }
        let seconds = request.duration.as_secs();
        if !(900..=43_200).contains(&seconds) {
            return Err(CloudError::InvalidRequest(format!(
                "duration {seconds}s is outside 900-43200 seconds"
            )));
        }
        let (account, name) = parse_role_arn(&request.role_arn)?;
        let platform = self.platform_account().to_string();
        self.read(|state| {
            let role = state
                .accounts
                .get(account)
                .and_then(|a| a.roles.get(name))
                .ok_or_else(|| CloudError::not_found("role", request.role_arn.clone()))?;
            if !trusts_account(&role.trust_policy, &platform) {
                return Err(CloudError::AccessDenied(format!(
                    "role {} does not trust the platform account {platform}",
                    request.role_arn
                )));
            }
            Ok(())
        })?;
        Ok(self.issue(
            account,
            format!(
                "arn:aws:sts::{account}:assumed-role/{name}/{}",
                request.session_name
            ),
            seconds,
        ))
    }

    async fn caller_identity(&self, session: &CloudSession) -> Result<CallerIdentity, CloudError> {
        let account = session.credentials.account.clone();
        self.read(|state| LocalCloud::check_session(state, session, &account))?;
        Ok(CallerIdentity {
            account,
            arn: session.credentials.assumed_role_arn.clone(),
        })
    }
}
