//! An app's Lambda function: reserved concurrency 0 for stop, the function's environment, and
//! a published version behind an alias for every redeployment.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use aws_sdk_lambda::types::{Environment, LastUpdateStatus};
use opa_core::audit::Timestamp;
use opa_core::cloud::{AppStatus, AppTarget, CloudError, RunState};

use super::{not_deployed, output};
use crate::aws::error::{cloud_error, code};

/// The alias apps are served through unless the outputs name another (`LambdaAliasName`).
pub(crate) const DEFAULT_ALIAS: &str = "live";
/// The function tag holding the reserved concurrency a stop replaced.
const RESERVED_TAG: &str = "opa:reserved-concurrency";
/// How the description of a version OPA published without a release starts.
const NO_RELEASE: &str = "opa: no release";
/// What a redeployment appends to the function's description, so a version can be published
/// when nothing else changed.
const REDEPLOYED: &str = " (redeployed by opa at ";
/// How long to wait for a configuration update to finish (Lambda refuses to publish during
/// one), in polls one second apart.
const READY_POLLS: u32 = 60;

/// The function's description with the redeployment mark of `at`, replacing an older mark.
pub(crate) fn redeployed_description(description: &str, at: &str) -> String {
    let base = description
        .find(REDEPLOYED)
        .map_or(description, |i| &description[..i]);
    format!("{base}{REDEPLOYED}{at})")
}

/// The released version a published version's description holds, if any.
pub(crate) fn release_of(description: &str) -> Option<String> {
    let d = description.trim();
    (!d.is_empty() && !d.starts_with("opa: ") && !d.contains(REDEPLOYED)).then(|| d.to_string())
}

/// An app's Lambda function, located from its deployment outputs.
pub(crate) struct LambdaApp<'a> {
    client: aws_sdk_lambda::Client,
    target: &'a AppTarget,
    function: String,
    alias: String,
}

impl<'a> LambdaApp<'a> {
    pub(crate) fn locate(
        client: aws_sdk_lambda::Client,
        target: &'a AppTarget,
    ) -> Result<Self, CloudError> {
        let function = output(
            target,
            &[
                "LambdaFunctionArn",
                "LambdaFunctionName",
                "FunctionName",
                "LambdaArn",
            ],
        )
        .ok_or_else(|| not_deployed(target, "LambdaFunctionArn"))?;
        let alias = output(target, &["LambdaAliasName"]).unwrap_or(DEFAULT_ALIAS);
        Ok(Self {
            client,
            target,
            function: function.to_string(),
            alias: alias.to_string(),
        })
    }

    fn missing(&self) -> CloudError {
        CloudError::not_found(
            "app",
            format!(
                "{} in {}/{} (Lambda function {})",
                self.target.app, self.target.env, self.target.provider, self.function
            ),
        )
    }

    /// Maps a failure, a missing function being the app not deployed.
    fn fail<E>(
        &self,
        e: aws_sdk_lambda::error::SdkError<E, aws_sdk_lambda::config::http::HttpResponse>,
        operation: &str,
    ) -> CloudError
    where
        E: aws_sdk_lambda::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        match cloud_error(e, operation, "function", &self.function) {
            CloudError::NotFound { .. } => self.missing(),
            other => other,
        }
    }

    /// The reserved concurrency, if any (0: stopped).
    async fn reserved(&self) -> Result<Option<i32>, CloudError> {
        let out = self
            .client
            .get_function_concurrency()
            .function_name(&self.function)
            .send()
            .await
            .map_err(|e| self.fail(e, "lambda:GetFunctionConcurrency"))?;
        Ok(out.reserved_concurrent_executions())
    }

    /// The published version the alias points at, if the alias exists.
    async fn alias_version(&self) -> Result<Option<String>, CloudError> {
        match self
            .client
            .get_alias()
            .function_name(&self.function)
            .name(&self.alias)
            .send()
            .await
        {
            Ok(out) => Ok(out.function_version().map(str::to_string)),
            Err(e) if code(&e) == Some("ResourceNotFoundException") => Ok(None),
            Err(e) => Err(self.fail(e, "lambda:GetAlias")),
        }
    }

    /// The release a published version holds.
    async fn release_in(&self, version: &str) -> Result<Option<String>, CloudError> {
        let out = self
            .client
            .get_function_configuration()
            .function_name(&self.function)
            .qualifier(version)
            .send()
            .await
            .map_err(|e| self.fail(e, "lambda:GetFunctionConfiguration"))?;
        Ok(out.description().and_then(release_of))
    }

    pub(crate) async fn status(&self) -> Result<AppStatus, CloudError> {
        let stopped = self.reserved().await? == Some(0);
        let (version, deployments) = match self.alias_version().await? {
            Some(v) => (self.release_in(&v).await?, v.parse().unwrap_or(0)),
            None => (None, 0),
        };
        Ok(AppStatus {
            state: if stopped {
                RunState::Stopped
            } else {
                RunState::Running
            },
            version,
            desired: u32::from(!stopped),
            deployments,
        })
    }

    /// The function's ARN and tags.
    async fn arn_and_tags(&self) -> Result<(String, HashMap<String, String>), CloudError> {
        let out = self
            .client
            .get_function()
            .function_name(&self.function)
            .send()
            .await
            .map_err(|e| self.fail(e, "lambda:GetFunction"))?;
        let arn = out
            .configuration()
            .and_then(|c| c.function_arn())
            .unwrap_or(&self.function)
            .to_string();
        Ok((arn, out.tags().cloned().unwrap_or_default()))
    }

    pub(crate) async fn start(&self) -> Result<AppStatus, CloudError> {
        if self.reserved().await? == Some(0) {
            let (_, tags) = self.arn_and_tags().await?;
            let before = tags
                .get(RESERVED_TAG)
                .and_then(|v| v.parse::<i32>().ok())
                .filter(|n| *n > 0);
            match before {
                Some(n) => {
                    self.client
                        .put_function_concurrency()
                        .function_name(&self.function)
                        .reserved_concurrent_executions(n)
                        .send()
                        .await
                        .map_err(|e| self.fail(e, "lambda:PutFunctionConcurrency"))?;
                }
                None => {
                    self.client
                        .delete_function_concurrency()
                        .function_name(&self.function)
                        .send()
                        .await
                        .map_err(|e| self.fail(e, "lambda:DeleteFunctionConcurrency"))?;
                }
            }
        }
        self.status().await
    }

    pub(crate) async fn stop(&self) -> Result<AppStatus, CloudError> {
        match self.reserved().await? {
            Some(0) => {}
            reserved => {
                if let Some(n) = reserved {
                    let (arn, _) = self.arn_and_tags().await?;
                    self.client
                        .tag_resource()
                        .resource(arn)
                        .tags(RESERVED_TAG, n.to_string())
                        .send()
                        .await
                        .map_err(|e| self.fail(e, "lambda:TagResource"))?;
                }
                self.client
                    .put_function_concurrency()
                    .function_name(&self.function)
                    .reserved_concurrent_executions(0)
                    .send()
                    .await
                    .map_err(|e| self.fail(e, "lambda:PutFunctionConcurrency"))?;
            }
        }
        self.status().await
    }

    pub(crate) async fn restart(&self) -> Result<AppStatus, CloudError> {
        let current = self.status().await?;
        self.touch().await?;
        self.publish(current.version.as_deref()).await?;
        if current.state == RunState::Stopped {
            return self.start().await;
        }
        self.status().await
    }

    pub(crate) async fn env_vars(&self) -> Result<BTreeMap<String, String>, CloudError> {
        let out = self
            .client
            .get_function_configuration()
            .function_name(&self.function)
            .send()
            .await
            .map_err(|e| self.fail(e, "lambda:GetFunctionConfiguration"))?;
        Ok(out
            .environment()
            .and_then(|e| e.variables())
            .map(|v| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default())
    }

    pub(crate) async fn change_env(
        &self,
        change: impl FnOnce(&mut BTreeMap<String, String>),
    ) -> Result<(), CloudError> {
        let before = self.env_vars().await?;
        let mut after = before.clone();
        change(&mut after);
        if after == before {
            return Ok(());
        }
        let current = self.status().await?;
        self.wait_ready().await?;
        self.client
            .update_function_configuration()
            .function_name(&self.function)
            .environment(
                Environment::builder()
                    .set_variables(Some(after.into_iter().collect()))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| self.fail(e, "lambda:UpdateFunctionConfiguration"))?;
        self.publish(current.version.as_deref()).await
    }

    pub(crate) async fn release(&self, version: &str) -> Result<AppStatus, CloudError> {
        self.touch().await?;
        self.publish(Some(version)).await?;
        self.status().await
    }

    /// Marks the function's description with the time, so publishing makes a new version
    /// (Lambda publishes none when nothing changed since the last one).
    async fn touch(&self) -> Result<(), CloudError> {
        self.wait_ready().await?;
        let out = self
            .client
            .get_function_configuration()
            .function_name(&self.function)
            .send()
            .await
            .map_err(|e| self.fail(e, "lambda:GetFunctionConfiguration"))?;
        let description = redeployed_description(
            out.description().unwrap_or_default(),
            &Timestamp::now().to_string(),
        );
        self.client
            .update_function_configuration()
            .function_name(&self.function)
            .description(description)
            .send()
            .await
            .map_err(|e| self.fail(e, "lambda:UpdateFunctionConfiguration"))?;
        Ok(())
    }

    /// Waits until no configuration update is in progress.
    async fn wait_ready(&self) -> Result<(), CloudError> {
        for _ in 0..READY_POLLS {
            let out = self
                .client
                .get_function_configuration()
                .function_name(&self.function)
                .send()
                .await
                .map_err(|e| self.fail(e, "lambda:GetFunctionConfiguration"))?;
            if out.last_update_status() != Some(&LastUpdateStatus::InProgress) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        Err(CloudError::Backend(format!(
            "function {} is still being updated after {READY_POLLS} s",
            self.function
        )))
    }

    /// Publishes a version holding `release` and points the alias at it.
    async fn publish(&self, release: Option<&str>) -> Result<(), CloudError> {
        self.wait_ready().await?;
        let published = self
            .client
            .publish_version()
            .function_name(&self.function)
            .description(release.unwrap_or(NO_RELEASE))
            .send()
            .await
            .map_err(|e| self.fail(e, "lambda:PublishVersion"))?;
        let version = published
            .version()
            .ok_or_else(|| CloudError::Backend("lambda:PublishVersion returned no version".into()))?
            .to_string();
        if self.alias_version().await?.is_some() {
            self.client
                .update_alias()
                .function_name(&self.function)
                .name(&self.alias)
                .function_version(&version)
                .send()
                .await
                .map_err(|e| self.fail(e, "lambda:UpdateAlias"))?;
        } else {
            self.client
                .create_alias()
                .function_name(&self.function)
                .name(&self.alias)
                .function_version(&version)
                .send()
                .await
                .map_err(|e| self.fail(e, "lambda:CreateAlias"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_redeployment_mark_replaces_the_last_one() {
        let once = redeployed_description("Payments API", "2026-01-01T00:00:00.000Z");
        assert_eq!(
            once,
            "Payments API (redeployed by opa at 2026-01-01T00:00:00.000Z)"
        );
        let twice = redeployed_description(&once, "2026-01-02T00:00:00.000Z");
        assert_eq!(
            twice,
            "Payments API (redeployed by opa at 2026-01-02T00:00:00.000Z)"
        );
        assert_eq!(redeployed_description("", "t"), " (redeployed by opa at t)");
    }

    #[test]
    fn releases_are_the_descriptions_opa_did_not_write() {
        assert_eq!(release_of("2.0.1").as_deref(), Some("2.0.1"));
        assert_eq!(release_of(" 2.0.1 ").as_deref(), Some("2.0.1"));
        assert_eq!(release_of(""), None);
        assert_eq!(release_of(NO_RELEASE), None);
        assert_eq!(release_of("API (redeployed by opa at t)"), None);
    }
}
