//! Local SSM-like parameters, per account and region.

use std::collections::BTreeMap;

use async_trait::async_trait;
use opa_core::cloud::{CloudError, CloudSession, Parameters};

use super::cloud::LocalCloud;

fn check_name(name: &str) -> Result<(), CloudError> {
    let ok = name.starts_with('/')
        && name.len() <= 1011
        && !name.ends_with('/')
        && !name.contains("//")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_.-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(CloudError::InvalidRequest(format!(
            "parameter name \"{name}\" must be a path such as /opa/dev/vpc of [A-Za-z0-9/_.-]"
        )))
    }
}

#[async_trait]
impl Parameters for LocalCloud {
    async fn get_parameter(
        &self,
        session: &CloudSession,
        name: &str,
    ) -> Result<String, CloudError> {
        let account = session.credentials.account.clone();
        self.read(|state| {
            LocalCloud::check_session(state, session, &account)?;
            state
                .region(&account, &session.region)
                .and_then(|r| r.parameters.get(name))
                .cloned()
                .ok_or_else(|| CloudError::not_found("parameter", name))
        })
    }

    async fn get_parameters_by_path(
        &self,
        session: &CloudSession,
        path: &str,
    ) -> Result<BTreeMap<String, String>, CloudError> {
        let account = session.credentials.account.clone();
        let prefix = format!("{}/", path.trim_end_matches('/'));
        self.read(|state| {
            LocalCloud::check_session(state, session, &account)?;
            Ok(state
                .region(&account, &session.region)
                .map(|r| {
                    r.parameters
                        .range(prefix.clone()..)
                        .take_while(|(k, _)| k.starts_with(&prefix))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default())
        })
    }

    async fn put_parameter(
        &self,
        session: &CloudSession,
        name: &str,
        value: &str,
        overwrite: bool,
    ) -> Result<(), CloudError> {
        check_name(name)?;
        let account = session.credentials.account.clone();
        self.update(|state| {
            LocalCloud::check_session(state, session, &account)?;
            let params = &mut state.region_mut(&account, &session.region).parameters;
            if !overwrite && params.contains_key(name) {
                return Err(CloudError::AlreadyExists {
                    kind: "parameter",
                    name: name.to_string(),
                });
            }
            params.insert(name.to_string(), value.to_string());
            Ok(())
        })
    }

    async fn delete_parameter(&self, session: &CloudSession, name: &str) -> Result<(), CloudError> {
        let account = session.credentials.account.clone();
        self.update(|state| {
            LocalCloud::check_session(state, session, &account)?;
            state
                .region_mut(&account, &session.region)
                .parameters
                .remove(name)
                .map(|_| ())
                .ok_or_else(|| CloudError::not_found("parameter", name))
        })
    }
}
