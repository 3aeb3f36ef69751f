//! Conversions between opa-core and JS values.

use napi::bindgen_prelude::JsObjectValue;
use napi::{Env, JsValue, Status};

/// Throws an opa-core error as a JS `Error` whose `code` is opa-core's stable error code, and
/// returns the marker error that tells napi the exception is already pending.
pub fn throw(env: &Env, e: &opa_core::Error) -> napi::Error {
    throw_coded(env, e.code(), &e.to_string())
}

/// Throws a JS `Error` with this `code` and message.
pub fn throw_coded(env: &Env, code: &str, message: &str) -> napi::Error {
    let _ = env.throw_error(message, Some(code));
    napi::Error::from_status(Status::PendingException)
}

/// The error for a lock poisoned by an earlier panic.
pub fn lock_error(env: &Env) -> napi::Error {
    throw_coded(
        env,
        "internal",
        "the object is unusable after an earlier internal error",
    )
}

/// A JS `Error` with this `code` and message, as a napi error that rejects a Promise with it.
pub fn coded_error(env: &Env, code: &str, message: &str) -> napi::Error {
    let built = env
        .create_error(napi::Error::new(
            Status::GenericFailure,
            message.to_string(),
        ))
        .and_then(|mut error| {
            error.set_named_property("code", code)?;
            Ok(napi::Error::from(error.to_unknown()))
        });
    built.unwrap_or_else(|e| e)
}

/// A JS `Error` with this `code` and message, and every non-null property of `extra` (an
/// object) set on it too, as a napi error that throws or rejects with it.
pub fn coded_error_with(
    env: &Env,
    code: &str,
    message: &str,
    extra: serde_json::Value,
) -> napi::Error {
    let built = env
        .create_error(napi::Error::new(
            Status::GenericFailure,
            message.to_string(),
        ))
        .and_then(|mut error| {
            error.set_named_property("code", code)?;
            if let serde_json::Value::Object(extra) = extra {
                for (name, value) in extra.into_iter().filter(|(_, v)| !v.is_null()) {
                    error.set_named_property(&name, env.to_js_value(&value)?)?;
                }
            }
            Ok(napi::Error::from(error.to_unknown()))
        });
    built.unwrap_or_else(|e| e)
}
