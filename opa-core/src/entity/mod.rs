//! Backstage catalog entities: references, kinds and their validation.

pub mod reference;
pub mod validate;

pub use reference::{DEFAULT_NAMESPACE, EntityRef, RefDefaults, RefParts, parse_ref_parts};
pub use validate::{EntityReport, ValidateOptions, validate_entity};
