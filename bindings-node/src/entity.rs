//! Entity references and validation.

use napi::Env;
use napi_derive::napi;
use opa_core::entity::{EntityRef, RefDefaults};

use crate::convert::throw;

/// A complete entity reference.
#[napi(object)]
pub struct CompoundEntityRef {
    /// The kind, e.g. `Component`.
    pub kind: String,
    /// The namespace, e.g. `default`.
    pub namespace: String,
    /// The name.
    pub name: String,
}

/// Defaults for the parts a reference leaves out.
#[napi(object)]
pub struct ParseEntityRefContext {
    /// Kind used when the reference has none.
    pub default_kind: Option<String>,
    /// Namespace used when the reference has none (else `default`).
    pub default_namespace: Option<String>,
}

/// Parses `[kind:][namespace/]name` as `@backstage/catalog-model`'s `parseEntityRef` does; throws
/// the same inputs it throws (`code` = `invalid-ref`).
#[napi(catch_unwind)]
pub fn parse_entity_ref(
    env: Env,
    reference: String,
    context: Option<ParseEntityRefContext>,
) -> napi::Result<CompoundEntityRef> {
    let defaults = RefDefaults {
        kind: context.as_ref().and_then(|c| c.default_kind.as_deref()),
        namespace: context
            .as_ref()
            .and_then(|c| c.default_namespace.as_deref()),
    };
    let r = EntityRef::parse_with(&reference, defaults).map_err(|e| throw(&env, &e))?;
    Ok(CompoundEntityRef {
        kind: r.kind,
        namespace: r.namespace,
        name: r.name,
    })
}

/// A reference to stringify: `{ kind, namespace?, name }`.
#[napi(object)]
pub struct EntityRefInput {
    /// The kind.
    pub kind: String,
    /// The namespace (default `default`).
    pub namespace: Option<String>,
    /// The name.
    pub name: String,
}

/// Prints a reference as `stringifyEntityRef` does: `kind:namespace/name`, kind and namespace
/// lowercased.
#[napi(catch_unwind)]
pub fn stringify_entity_ref(reference: EntityRefInput) -> String {
    let namespace = reference
        .namespace
        .unwrap_or_else(|| opa_core::entity::DEFAULT_NAMESPACE.to_string());
    EntityRef::new(reference.kind, namespace, reference.name).to_canonical()
}
