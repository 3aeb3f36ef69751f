//! What an operation does.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// An operation on a running app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationKind {
    /// Start a stopped app.
    Start,
    /// Stop a running app.
    Stop,
    /// Restart (redeploy the same version).
    Restart,
    /// Set environment variables.
    SetEnv(BTreeMap<String, String>),
    /// Remove environment variables.
    UnsetEnv(Vec<String>),
    /// Release a version.
    Release(String),
}

impl OperationKind {
    /// The action name in audit records and ids (`start`, `set-env`…).
    pub fn name(&self) -> &'static str {
        match self {
            OperationKind::Start => "start",
            OperationKind::Stop => "stop",
            OperationKind::Restart => "restart",
            OperationKind::SetEnv(_) => "set-env",
            OperationKind::UnsetEnv(_) => "unset-env",
            OperationKind::Release(_) => "release",
        }
    }

    /// The request as audited (before redaction).
    pub fn request(&self) -> Value {
        match self {
            OperationKind::Start | OperationKind::Stop | OperationKind::Restart => json!({}),
            OperationKind::SetEnv(vars) => json!({ "vars": vars }),
            OperationKind::UnsetEnv(keys) => json!({ "keys": keys }),
            OperationKind::Release(version) => json!({ "version": version }),
        }
    }

    /// Parses `KEY=VALUE` arguments of `set-env`; a key must be a valid environment variable
    /// name (`[A-Za-z_][A-Za-z0-9_]*`).
    pub fn parse_assignments(args: &[String]) -> Result<BTreeMap<String, String>, String> {
        let mut vars = BTreeMap::new();
        for arg in args {
            let Some((k, v)) = arg.split_once('=') else {
                return Err(format!("expected KEY=VALUE, found \"{}\"", key_only(arg)));
            };
            check_name(k)?;
            vars.insert(k.to_string(), v.to_string());
        }
        if vars.is_empty() {
            return Err("give at least one KEY=VALUE".into());
        }
        Ok(vars)
    }

    /// Checks the names of `unset-env`.
    pub fn parse_keys(args: &[String]) -> Result<Vec<String>, String> {
        if args.is_empty() {
            return Err("give at least one KEY".into());
        }
        for k in args {
            check_name(k)?;
        }
        Ok(args.to_vec())
    }
}

/// The part of an argument shown in an error: never a value that may be a secret.
fn key_only(arg: &str) -> &str {
    arg.split('=').next().unwrap_or("")
}

fn check_name(k: &str) -> Result<(), String> {
    let ok = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{k}\" is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)"
        ))
    }
}
