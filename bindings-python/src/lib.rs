//! Python bindings of OPA-rs: the native part of the `opa_platform` package.
//!
//! Thin by design: each function converts its arguments, calls opa-core, and converts the result
//! back. Failures of a call raise `OpaError` subclasses carrying opa-core's stable `code`;
//! problems in user input come back as data.

mod action;
mod catalog;
mod crossplane;
mod entity;
mod errors;
mod platform;
mod policy;
mod port;
mod rbac;
mod task;
mod template;
mod validate;

use pyo3::prelude::*;

/// The native module, re-exported by `opa_platform/__init__.py`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    entity::register(m)?;
    validate::register(m)?;
    catalog::register(m)?;
    template::register(m)?;
    crossplane::register(m)?;
    policy::register(m)?;
    rbac::register(m)?;
    port::register(m)?;
    action::register(m)?;
    task::register(m)?;
    platform::register(m)?;
    Ok(())
}
