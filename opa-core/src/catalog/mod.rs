//! The catalog: entities and the relations between them.
//!
//! Relations are emitted as Backstage's `BuiltinKindsEntityProcessor` emits them ([`rules`]),
//! both directions, and linked into a [`Catalog`] that answers queries (by reference, by kind,
//! relations of an entity, what a group owns, what depends on an entity) and reports dangling
//! references and duplicate entities.

pub mod check;
pub mod emit;
mod graph;
pub mod growing;
mod interner;
pub mod load;
pub mod relation;
pub mod rules;
pub mod store;

pub use check::{DanglingRef, DuplicateEntity, LoadProblem, Location};
pub use emit::{Emitted, EmittedRelation, emit_relations};
pub use growing::GrowingCatalog;
pub use load::catalog_files;
pub use relation::{Relation, RelationType};
pub use rules::{RULES, RelationRule};
pub use store::{Catalog, CatalogBuilder, EntityView, LoadOptions};
