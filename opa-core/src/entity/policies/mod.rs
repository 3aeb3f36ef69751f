//! The entity policies of Backstage's catalog, one per file, as its `EntityPolicies` are: each a
//! check over the whole entity that reports every problem it finds.

pub mod default_namespace;
pub mod field_format;
pub mod no_foreign_root_fields;
pub mod schema_valid;

use crate::entity::validate::Problems;
use crate::yaml::Node;

/// Runs the policies the catalog backend runs by default, in its order: SchemaValid,
/// DefaultNamespace (nothing to report: it only fills in `default`), NoForeignRootFields,
/// FieldFormat.
pub fn enforce_default(root: &Node, out: &mut Problems) {
    schema_valid::check(root, out);
    no_foreign_root_fields::check(root, out);
    field_format::check(root, out);
}
