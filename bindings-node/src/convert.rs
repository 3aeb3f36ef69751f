//! Conversions between opa-core and JS values.

use napi::{Env, Status};

/// Throws an opa-core error as a JS `Error` whose `code` is opa-core's stable error code, and
/// returns the marker error that tells napi the exception is already pending.
pub fn throw(env: &Env, e: &opa_core::Error) -> napi::Error {
    let _ = env.throw_error(&e.to_string(), Some(e.code()));
    napi::Error::from_status(Status::PendingException)
}
