//! Local secrets, per account and region.

use async_trait::async_trait;
use opa_core::cloud::{CloudError, CloudSession, SecretRef, SecretString, Secrets};

use super::cloud::LocalCloud;
use super::ids;
use super::state::{RegionState, SecretState};

/// Creates or replaces a secret in a region's state.
pub(crate) fn upsert(
    region_state: &mut RegionState,
    account: &str,
    region: &str,
    name: &str,
    value: &str,
    description: Option<&str>,
) -> SecretRef {
    let arn = region_state
        .secrets
        .get(name)
        .map(|s| s.arn.clone())
        .unwrap_or_else(|| {
            format!(
                "arn:aws:secretsmanager:{region}:{account}:secret:{name}-{}",
                ids::secret_suffix()
            )
        });
    region_state.secrets.insert(
        name.to_string(),
        SecretState {
            arn: arn.clone(),
            value: value.to_string(),
            description: description.map(str::to_string),
        },
    );
    SecretRef {
        name: name.to_string(),
        arn,
    }
}

/// The name of the secret `name_or_arn` designates in `region_state`.
fn find<'a>(region_state: &'a RegionState, name_or_arn: &str) -> Option<&'a str> {
    region_state
        .secrets
        .iter()
        .find(|(name, s)| *name == name_or_arn || s.arn == name_or_arn)
        .map(|(name, _)| name.as_str())
}

fn check_name(name: &str) -> Result<(), CloudError> {
    let ok = !name.is_empty()
        && name.len() <= 512
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(CloudError::InvalidRequest(format!(
            "secret name \"{name}\" must be 1-512 characters of [A-Za-z0-9/_+=.@-]"
        )))
    }
}

#[async_trait]
impl Secrets for LocalCloud {
    async fn create_secret(
        &self,
        session: &CloudSession,
        name: &str,
        value: &SecretString,
        description: Option<&str>,
    ) -> Result<SecretRef, CloudError> {
        check_name(name)?;
        let account = session.credentials.account.clone();
        self.update(|state| {
            LocalCloud::check_session(state, session, &account)?;
            let region = state.region_mut(&account, &session.region);
            if region.secrets.contains_key(name) {
                return Err(CloudError::AlreadyExists {
                    kind: "secret",
                    name: name.to_string(),
                });
            }
            Ok(upsert(
                region,
                &account,
                &session.region,
                name,
                value.expose(),
                description,
            ))
        })
    }

    async fn put_secret_value(
        &self,
        session: &CloudSession,
        name_or_arn: &str,
        value: &SecretString,
    ) -> Result<SecretRef, CloudError> {
        let account = session.credentials.account.clone();
        self.update(|state| {
            LocalCloud::check_session(state, session, &account)?;
            let region = state.region_mut(&account, &session.region);
            let name = find(region, name_or_arn)
                .ok_or_else(|| CloudError::not_found("secret", name_or_arn))?
                .to_string();
            let description = region.secrets[&name].description.clone();
            Ok(upsert(
                region,
                &account,
                &session.region,
                &name,
                value.expose(),
                description.as_deref(),
            ))
        })
    }

    async fn get_secret_value(
        &self,
        session: &CloudSession,
        name_or_arn: &str,
    ) -> Result<SecretString, CloudError> {
        let account = session.credentials.account.clone();
        self.read(|state| {
            LocalCloud::check_session(state, session, &account)?;
            let region = state
                .region(&account, &session.region)
                .ok_or_else(|| CloudError::not_found("secret", name_or_arn))?;
            let name = find(region, name_or_arn)
                .ok_or_else(|| CloudError::not_found("secret", name_or_arn))?;
            Ok(SecretString::new(region.secrets[name].value.clone()))
        })
    }

    async fn delete_secret(
        &self,
        session: &CloudSession,
        name_or_arn: &str,
    ) -> Result<(), CloudError> {
        let account = session.credentials.account.clone();
        self.update(|state| {
            LocalCloud::check_session(state, session, &account)?;
            let region = state.region_mut(&account, &session.region);
            let name = find(region, name_or_arn)
                .ok_or_else(|| CloudError::not_found("secret", name_or_arn))?
                .to_string();
            region.secrets.remove(&name);
            Ok(())
        })
    }
}
