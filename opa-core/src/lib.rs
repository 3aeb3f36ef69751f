//! # opa-core
//!
//! The model and engines of OPA-rs, an internal developer platform engine in the style of OPA on
//! AWS: the Backstage catalog model (entities, references, relations), validation that agrees with
//! Backstage, and (in later modules) the scaffolder, the platform model, pipelines and audit.
//!
//! opa-core has no network and no cloud SDK; backends (version control, cloud) are traits that
//! other crates implement.
//!
//! ```
//! use opa_core::entity::{EntityRef, RefDefaults};
//!
//! let owner = EntityRef::parse_with("team-a", RefDefaults::kind("Group")).unwrap();
//! assert_eq!(owner.to_string(), "group:default/team-a");
//! ```

pub mod audit;
pub mod catalog;
pub mod cloud;
pub mod config;
pub mod crossplane;
pub mod diagnostic;
pub mod entity;
pub mod error;
pub mod iac;
pub mod kyverno;
pub mod operations;
pub mod pipeline;
pub mod platform;
pub mod port;
pub mod rbac;
pub mod scaffolder;
#[cfg(feature = "testing")]
pub mod testing;
pub mod vcs;
pub mod yaml;

pub use diagnostic::{Diagnostic, Position};
pub use error::{Error, Result};
