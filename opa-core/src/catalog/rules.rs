//! Which spec field of which kind emits which relation: the table Backstage's
//! `BuiltinKindsEntityProcessor` encodes in code, plus the scaffolder's Template owner
//! (`ScaffolderEntitiesProcessor`) and OPA on AWS's environment processors.
//!
//! Every rule emits two relations per target, as Backstage's `doEmit` does: `entity —outgoing→
//! target` and `target —outgoing.inverse()→ entity`. Targets are parsed with the rule's default
//! kind and the entity's own namespace as the default namespace.

use super::relation::RelationType;

/// One relation-emitting field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelationRule {
    /// The entity kind, compared exactly as Backstage does (`entity.kind === 'Component'`).
    pub kind: &'static str,
    /// The `apiVersion` the processor also requires, if any (exact).
    pub api_version: Option<&'static str>,
    /// The field under `spec` (a string or a list of strings).
    pub field: &'static str,
    /// The kind a target without `kind:` gets; `None` means a kind is required.
    pub default_kind: Option<&'static str>,
    /// The relation from the entity to the target.
    pub relation: RelationType,
    /// Only targets of this kind (compared ignoring case) emit relations; the others are
    /// skipped. OPA on AWS's environment processor keeps only `awsenvironmentprovider` targets.
    pub only_target_kind: Option<&'static str>,
}

const fn rule(
    kind: &'static str,
    field: &'static str,
    default_kind: Option<&'static str>,
    relation: RelationType,
) -> RelationRule {
    RelationRule {
        kind,
        api_version: None,
        field,
        default_kind,
        relation,
        only_target_kind: None,
    }
}

use RelationType as R;

const GROUP: Option<&str> = Some("Group");
const AWS_API_VERSION: &str = "aws.backstage.io/v1alpha";

/// Every rule, grouped by kind in Backstage's order.
pub const RULES: &[RelationRule] = &[
    // Component
    rule("Component", "owner", GROUP, R::OwnedBy),
    rule("Component", "subcomponentOf", Some("Component"), R::PartOf),
    rule("Component", "providesApis", Some("API"), R::ProvidesApi),
    rule("Component", "consumesApis", Some("API"), R::ConsumesApi),
    rule("Component", "dependsOn", None, R::DependsOn),
    rule("Component", "dependencyOf", None, R::DependencyOf),
    rule("Component", "system", Some("System"), R::PartOf),
    // API
    rule("API", "owner", GROUP, R::OwnedBy),
    rule("API", "system", Some("System"), R::PartOf),
    // Resource
    rule("Resource", "owner", GROUP, R::OwnedBy),
    rule("Resource", "dependsOn", None, R::DependsOn),
    rule("Resource", "dependencyOf", None, R::DependencyOf),
    rule("Resource", "system", Some("System"), R::PartOf),
    // User
    rule("User", "memberOf", GROUP, R::MemberOf),
    // Group
    rule("Group", "parent", GROUP, R::ChildOf),
    rule("Group", "children", GROUP, R::ParentOf),
    rule("Group", "members", Some("User"), R::HasMember),
    // System
    rule("System", "owner", GROUP, R::OwnedBy),
    rule("System", "domain", Some("Domain"), R::PartOf),
    // Domain
    rule("Domain", "owner", GROUP, R::OwnedBy),
    rule("Domain", "subdomainOf", Some("Domain"), R::PartOf),
    // Template (ScaffolderEntitiesProcessor)
    RelationRule {
        api_version: Some("scaffolder.backstage.io/v1beta3"),
        ..rule("Template", "owner", GROUP, R::OwnedBy)
    },
    // OPA on AWS (AWSEnvironmentEntitiesProcessor, AWSEnvironmentProviderEntitiesProcessor)
    RelationRule {
        api_version: Some(AWS_API_VERSION),
        ..rule("AWSEnvironment", "owner", GROUP, R::OwnedBy)
    },
    RelationRule {
        api_version: Some(AWS_API_VERSION),
        only_target_kind: Some("awsenvironmentprovider"),
        ..rule(
            "AWSEnvironment",
            "dependsOn",
            Some("awsenvironmentprovider"),
            R::DependsOn,
        )
    },
    RelationRule {
        api_version: Some(AWS_API_VERSION),
        ..rule("AWSEnvironmentProvider", "owner", GROUP, R::OwnedBy)
    },
];

/// The rules that apply to an entity of this kind and apiVersion, with their index in [`RULES`].
pub fn rules_for<'a>(
    kind: &'a str,
    api_version: Option<&'a str>,
) -> impl Iterator<Item = (usize, &'static RelationRule)> + 'a {
    RULES.iter().enumerate().filter(move |(_, r)| {
        r.kind == kind && r.api_version.is_none_or(|v| api_version == Some(v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_matched_exactly() {
        assert_eq!(rules_for("Component", None).count(), 7);
        assert_eq!(rules_for("component", None).count(), 0);
        assert_eq!(
            rules_for("Template", Some("backstage.io/v1alpha1")).count(),
            0
        );
        assert_eq!(
            rules_for("Template", Some("scaffolder.backstage.io/v1beta3")).count(),
            1
        );
        assert_eq!(
            rules_for("AWSEnvironment", Some(AWS_API_VERSION)).count(),
            2
        );
    }
}
