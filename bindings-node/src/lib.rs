//! Node bindings of OPA-rs: the npm package `opa-platform`.
//!
//! Thin by design: each function converts its arguments, calls opa-core, and converts the result
//! back. Failures of a call become JS `Error`s whose `code` is opa-core's stable error code;
//! problems in user input come back as data.

#![deny(clippy::all)]

mod catalog;
mod convert;
mod crossplane;
mod entity;
mod js_action;
mod platform;
mod policy;
mod port;
mod rbac;
mod task;
mod template;
mod validate;

pub use catalog::*;
pub use crossplane::*;
pub use entity::*;
pub use platform::*;
pub use policy::*;
pub use port::*;
pub use rbac::*;
pub use task::*;
pub use template::*;
pub use validate::*;
