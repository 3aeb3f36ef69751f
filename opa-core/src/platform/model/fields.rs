//! Reading typed fields out of an entity's JSON form.

use serde_json::Value;

use super::error::PlatformError;
use crate::entity::{EntityRef, RefDefaults};

/// The reference of an entity given as JSON (`kind`, `metadata.namespace`, `metadata.name`).
pub(crate) fn entity_ref_of(entity: &Value) -> Option<EntityRef> {
    let kind = entity.get("kind")?.as_str()?;
    let metadata = entity.get("metadata")?;
    let name = metadata.get("name")?.as_str()?;
    let namespace = metadata
        .get("namespace")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .unwrap_or(crate::entity::DEFAULT_NAMESPACE);
    Some(EntityRef::new(kind, namespace, name))
}

/// Reads `metadata.<key>` (or `spec.<key>`) as text: strings as they are, numbers and booleans
/// printed (YAML may have read an account id as a number); `None` when absent, null or empty.
pub(crate) fn text(entity: &Value, section: &str, key: &str) -> Option<String> {
    let v = entity.get(section)?.get(key)?;
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// A list of strings at `section.key` (a lone string counts as a list of one).
pub(crate) fn text_list(entity: &Value, section: &str, key: &str) -> Vec<String> {
    match entity.get(section).and_then(|s| s.get(key)) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// A boolean written as a YAML boolean or as the text `"true"`/`"false"` (OPA's templates write
/// both); absent means `false`.
pub(crate) fn flag(
    entity: &Value,
    me: &EntityRef,
    section: &str,
    key: &str,
) -> Result<bool, PlatformError> {
    match entity.get(section).and_then(|s| s.get(key)) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") || s.is_empty() => Ok(false),
        Some(other) => Err(PlatformError::InvalidField {
            entity: me.clone(),
            path: format!("{section}.{key}"),
            message: format!("must be true or false, found {other}"),
        }),
    }
}

/// Parses a reference found in an entity, with a default kind.
pub(crate) fn reference(
    me: &EntityRef,
    path: &str,
    value: &str,
    default_kind: &str,
) -> Result<EntityRef, PlatformError> {
    EntityRef::parse_with(
        value,
        RefDefaults::kind(default_kind).with_namespace(&me.namespace),
    )
    .map_err(|e| PlatformError::InvalidField {
        entity: me.clone(),
        path: path.to_string(),
        message: e.to_string(),
    })
}

/// Checks that `entity` has kind `kind` (case-insensitively).
pub(crate) fn expect_kind(
    entity: &Value,
    kind: &str,
    expected: &'static str,
) -> Result<EntityRef, PlatformError> {
    let me = entity_ref_of(entity).ok_or_else(|| PlatformError::InvalidField {
        entity: EntityRef::new("unknown", "default", "unknown"),
        path: String::new(),
        message: "not an entity: kind and metadata.name are required".into(),
    })?;
    if !me.kind.eq_ignore_ascii_case(kind) {
        return Err(PlatformError::WrongKind {
            found: me.kind.clone(),
            entity: me,
            expected,
        });
    }
    Ok(me)
}
