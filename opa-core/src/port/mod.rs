//! Port (getport.io) catalogs: blueprints (the schema of a kind of entity), entities validated
//! against them, and Backstage entities mapped to Port entities. The HTTP client that upserts
//! entities lives in the `opa-port` crate (opa-core has no network).
//!
//! ```
//! use opa_core::port::{Blueprint, BlueprintSet, PortEntity, validate_entity};
//!
//! let service: Blueprint = serde_json::from_value(serde_json::json!({
//!     "identifier": "service", "title": "Service",
//!     "schema": {"properties": {"language": {"type": "string", "enum": ["Go", "Rust"]}},
//!                "required": ["language"]},
//! })).unwrap();
//! let set = BlueprintSet::new(vec![service]);
//! let entity: PortEntity = serde_json::from_value(serde_json::json!({
//!     "identifier": "api", "blueprint": "service", "properties": {"language": "COBOL"},
//! })).unwrap();
//! let problems = validate_entity(&entity, &set);
//! assert_eq!(problems[0].path, "properties.language");
//! ```

mod blueprint;
mod entity;
mod format;
mod load;
mod mapping;
mod sources;
mod validate;

pub use blueprint::{Blueprint, BlueprintSchema, BlueprintSet, PropertySpec, RelationSpec};
pub use entity::PortEntity;
pub use format::FORMATS;
pub use load::{BlueprintFile, EntityDocument, blueprints_from_node, entities_from_node};
pub use mapping::{blueprint_for_kind, from_backstage};
pub use sources::{PortEntityReport, PortSourceProblem, PortSourceReport, validate_sources};
pub use validate::{codes, validate_blueprints, validate_entity};
