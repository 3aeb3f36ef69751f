//! An application: a `Component` with `spec.type: aws-app`, the environments it is deployed to
//! (`spec.dependsOn`) and its deployment outputs per environment and provider
//! (`metadata.appData.<env>.<provider>`).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::ENVIRONMENT_KIND;
use super::error::PlatformError;
use super::fields::{expect_kind, reference, text, text_list};
use super::runtime::IacType;
use crate::entity::EntityRef;

/// The `spec.type` of an OPA app.
pub const APP_COMPONENT_TYPE: &str = "aws-app";

/// Deployment outputs: environment name → provider name → outputs (`EcrRepositoryUri`,
/// `StackName`, …), as OPA's pipelines write them into `metadata.appData`.
pub type AppData = BTreeMap<String, BTreeMap<String, Map<String, Value>>>;

/// An application, read from a Component entity of type `aws-app`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// The entity's reference.
    pub entity_ref: EntityRef,
    /// `metadata.name`.
    pub name: String,
    /// `spec.owner`, as a Group reference (default kind Group).
    pub owner: EntityRef,
    /// `spec.subType` (`aws-ecs`, `aws-eks`, `aws-serverless`).
    pub sub_type: Option<String>,
    /// `metadata.iacType`.
    pub iac_type: Option<IacType>,
    /// The app's repository: `metadata.repoUrl`, else the `backstage.io/source-location`
    /// annotation.
    pub repository: Option<String>,
    /// The environments it is deployed to: the AWSEnvironment references of `spec.dependsOn`.
    pub environments: Vec<EntityRef>,
    /// `metadata.appData`.
    pub app_data: AppData,
}

impl Application {
    /// Reads an app from its entity's JSON form; fails unless it is a Component of type
    /// `aws-app`.
    pub fn from_entity(entity: &Value) -> Result<Self, PlatformError> {
        let me = expect_kind(entity, "Component", "a Component of type aws-app")?;
        let component_type = text(entity, "spec", "type").unwrap_or_default();
        if component_type != APP_COMPONENT_TYPE {
            return Err(PlatformError::WrongKind {
                entity: me,
                expected: "a Component of type aws-app",
                found: format!("Component of type \"{component_type}\""),
            });
        }
        let owner_text =
            text(entity, "spec", "owner").ok_or_else(|| PlatformError::InvalidField {
                entity: me.clone(),
                path: "spec.owner".into(),
                message: "an app must have an owner".into(),
            })?;
        let owner = reference(&me, "spec.owner", &owner_text, "Group")?;
        let iac_type = text(entity, "metadata", "iacType")
            .map(|s| s.parse::<IacType>())
            .transpose()
            .map_err(|message| PlatformError::InvalidField {
                entity: me.clone(),
                path: "metadata.iacType".into(),
                message,
            })?;
        let mut environments = Vec::new();
        for (i, r) in text_list(entity, "spec", "dependsOn").iter().enumerate() {
            // dependsOn references must name their kind; anything unparsable is not an
            // environment of this app, and the catalog's checks report it.
            if let Ok(r) = reference(&me, &format!("spec.dependsOn.{i}"), r, "Component") {
                if r.kind.eq_ignore_ascii_case(ENVIRONMENT_KIND) && !environments.contains(&r) {
                    environments.push(r);
                }
            }
        }
        let app_data = match entity.pointer("/metadata/appData") {
            None | Some(Value::Null) => AppData::new(),
            Some(v) => {
                serde_json::from_value(v.clone()).map_err(|e| PlatformError::InvalidField {
                    entity: me.clone(),
                    path: "metadata.appData".into(),
                    message: format!(
                        "must map environment names to provider names to outputs: {e}"
                    ),
                })?
            }
        };
        let repository = text(entity, "metadata", "repoUrl").or_else(|| {
            entity
                .pointer("/metadata/annotations/backstage.io~1source-location")
                .and_then(Value::as_str)
                .map(|s| s.strip_prefix("url:").unwrap_or(s).to_string())
        });
        Ok(Self {
            name: me.name.clone(),
            owner,
            sub_type: text(entity, "spec", "subType"),
            iac_type,
            repository,
            environments,
            app_data,
            entity_ref: me,
        })
    }

    /// The outputs of the deployment to `env` on `provider`, if reported.
    pub fn outputs(&self, env: &str, provider: &str) -> Option<&Map<String, Value>> {
        self.app_data.get(env)?.get(provider)
    }
}
