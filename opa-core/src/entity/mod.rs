//! Backstage catalog entities: the model ([`Entity`], [`Metadata`], one module per kind under
//! [`kinds`]), references, validation that agrees with Backstage's catalog, placeholders, and
//! reading catalog files ([`load::read_entities`]).

pub mod kinds;
pub mod load;
pub mod metadata;
pub mod object;
pub mod placeholder;
pub mod policies;
pub mod predicates;
pub mod reference;
pub mod schema;
pub mod strict;
pub mod validate;

pub use load::{DocumentReport, LoadOptions, read_entities, read_file};
pub use metadata::{EntityLink, Metadata};
pub use object::{DynamicEntity, Entity, EntitySpec};
pub use reference::{DEFAULT_NAMESPACE, EntityRef, RefDefaults, RefParts, parse_ref_parts};
pub use validate::{EntityReport, ValidateOptions, validate_entity};
