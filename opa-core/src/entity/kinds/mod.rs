//! The kinds the catalog knows: one module per kind, each with its typed spec and the schema its
//! validator checks (Backstage's built-in kinds, the scaffolder's Template, and OPA on AWS's
//! platform kinds from [`crate::platform`]).

pub mod api;
pub mod component;
pub mod domain;
pub mod group;
pub mod location;
pub mod resource;
pub mod system;
pub mod template;
pub mod user;

pub use api::ApiSpec;
pub use component::ComponentSpec;
pub use domain::DomainSpec;
pub use group::{GroupSpec, Profile};
pub use location::LocationSpec;
pub use resource::ResourceSpec;
pub use system::SystemSpec;
pub use template::TemplateSpec;
pub use user::UserSpec;

use crate::entity::schema::Ty;
use crate::entity::validate::Problems;
use crate::yaml::Node;

/// The `apiVersion`s of Backstage's built-in kinds.
pub const BACKSTAGE_API_VERSIONS: &[&str] = &["backstage.io/v1alpha1", "backstage.io/v1beta1"];

/// What a kind's validator checks, and which spec fields are relations.
#[derive(Debug)]
pub struct KindSchema {
    /// The kind, compared case-sensitively as Backstage's validators do.
    pub kind: &'static str,
    /// Accepted `apiVersion`s.
    pub api_versions: &'static [&'static str],
    /// The shape of `spec` (always required).
    pub spec: Ty,
    /// Spec fields holding entity references, parsed as the catalog's processors parse them.
    pub relations: &'static [RelationField],
    /// Further checks beyond the schema (the platform kinds' metadata fields).
    pub extra: Option<fn(&Node, &mut Problems)>,
}

/// A spec field that names other entities, and the relations it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelationField {
    /// The field under `spec` (a string or a list of strings).
    pub field: &'static str,
    /// The kind a target without `kind:` gets; `None` means the target must name its kind.
    pub default_kind: Option<&'static str>,
    /// The relation from this entity to the target (`ownedBy`).
    pub relation: &'static str,
    /// The relation from the target back (`ownerOf`).
    pub reverse: &'static str,
}

impl RelationField {
    pub(crate) const fn new(
        field: &'static str,
        default_kind: Option<&'static str>,
        relation: &'static str,
        reverse: &'static str,
    ) -> Self {
        Self {
            field,
            default_kind,
            relation,
            reverse,
        }
    }
}

/// `spec.owner` → ownedBy/ownerOf, default kind Group.
pub(crate) const OWNER: RelationField =
    RelationField::new("owner", Some("Group"), "ownedBy", "ownerOf");
/// `spec.system` → partOf/hasPart, default kind System.
pub(crate) const SYSTEM: RelationField =
    RelationField::new("system", Some("System"), "partOf", "hasPart");
/// `spec.dependsOn` → dependsOn/dependencyOf, no default kind.
pub(crate) const DEPENDS_ON: RelationField =
    RelationField::new("dependsOn", None, "dependsOn", "dependencyOf");
/// `spec.dependencyOf` → dependencyOf/dependsOn, no default kind.
pub(crate) const DEPENDENCY_OF: RelationField =
    RelationField::new("dependencyOf", None, "dependencyOf", "dependsOn");

/// Every kind this crate validates, in the order the catalog tries them.
pub fn all() -> &'static [&'static KindSchema] {
    static ALL: [&KindSchema; 11] = [
        &api::SCHEMA,
        &component::SCHEMA,
        &resource::SCHEMA,
        &group::SCHEMA,
        &location::SCHEMA,
        &user::SCHEMA,
        &system::SCHEMA,
        &domain::SCHEMA,
        &template::SCHEMA,
        &crate::platform::environment::SCHEMA,
        &crate::platform::provider::SCHEMA,
    ];
    &ALL
}

/// The schema of a kind (exact, case-sensitive match), if known.
pub fn find(kind: &str) -> Option<&'static KindSchema> {
    all().iter().copied().find(|k| k.kind == kind)
}

/// The relation fields of a kind (empty for an unknown kind).
pub fn relation_fields(kind: &str) -> &'static [RelationField] {
    find(kind).map_or(&[], |k| k.relations)
}
