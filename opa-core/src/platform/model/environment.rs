//! An environment: a named deployment target (dev, qa, prod) with its rank, approval rule and
//! the providers it deploys to (one or more: multi-account and multi-region).

use serde::Serialize;
use serde_json::Value;

use super::error::PlatformError;
use super::fields::{expect_kind, flag, reference, text, text_list};
use super::{ENVIRONMENT_KIND, PROVIDER_KIND};
use crate::entity::EntityRef;

/// The categories OPA's environment template offers, from least to most critical.
pub const CATEGORIES: &[&str] = &["development", "testing", "staging", "sandbox", "production"];

/// An environment, read from an `AWSEnvironment` entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    /// The entity's reference.
    pub entity_ref: EntityRef,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.shortName` (`dev`), used in resource names; the name when absent.
    pub short_name: String,
    /// `metadata.category` (`development` … `production`).
    pub category: Option<String>,
    /// `metadata.classification` (`private`, `internal`, `public`).
    pub classification: Option<String>,
    /// `metadata.level`: the order of promotion, lower first.
    pub level: u32,
    /// `metadata.deploymentRequiresApproval`.
    pub requires_approval: bool,
    /// `metadata.environmentType`: the runtime of its providers.
    pub runtime_type: Option<String>,
    /// `spec.owner`, as a Group reference.
    pub owner: Option<EntityRef>,
    /// `spec.dependsOn`: its providers (default kind AWSEnvironmentProvider), in order.
    pub providers: Vec<EntityRef>,
}

impl Environment {
    /// Reads an environment from its entity's JSON form.
    pub fn from_entity(entity: &Value) -> Result<Self, PlatformError> {
        let me = expect_kind(entity, ENVIRONMENT_KIND, "an AWSEnvironment")?;
        let level = match entity.pointer("/metadata/level") {
            None | Some(Value::Null) => 0,
            Some(v) => v
                .as_u64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| PlatformError::InvalidField {
                    entity: me.clone(),
                    path: "metadata.level".into(),
                    message: format!("must be a whole number from 0, found {v}"),
                })?,
        };
        let category = text(entity, "metadata", "category");
        if let Some(c) = &category {
            if !CATEGORIES.contains(&c.as_str()) {
                return Err(PlatformError::InvalidField {
                    entity: me.clone(),
                    path: "metadata.category".into(),
                    message: format!("must be one of {}, found \"{c}\"", CATEGORIES.join(", ")),
                });
            }
        }
        let providers = text_list(entity, "spec", "dependsOn")
            .iter()
            .enumerate()
            .map(|(i, r)| reference(&me, &format!("spec.dependsOn.{i}"), r, PROVIDER_KIND))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|r| r.kind.eq_ignore_ascii_case(PROVIDER_KIND))
            .collect();
        let owner = text(entity, "spec", "owner")
            .map(|o| reference(&me, "spec.owner", &o, "Group"))
            .transpose()?;
        Ok(Self {
            name: me.name.clone(),
            short_name: text(entity, "metadata", "shortName").unwrap_or_else(|| me.name.clone()),
            category,
            classification: text(entity, "metadata", "classification"),
            level,
            requires_approval: flag(entity, &me, "metadata", "deploymentRequiresApproval")?,
            runtime_type: text(entity, "metadata", "environmentType"),
            owner,
            providers,
            entity_ref: me,
        })
    }

    /// Sorts environments in promotion order: by level, then by name.
    pub fn sort_by_promotion(environments: &mut [Environment]) {
        environments.sort_by(|a, b| a.level.cmp(&b.level).then_with(|| a.name.cmp(&b.name)));
    }
}
