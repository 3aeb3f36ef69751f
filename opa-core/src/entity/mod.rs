//! Backstage catalog entities: references, kinds and their validation.

pub mod reference;

pub use reference::{DEFAULT_NAMESPACE, EntityRef, RefDefaults, RefParts, parse_ref_parts};
