//! Entity references: `[kind:][namespace/]name`, parsed and printed as Backstage's
//! `parseEntityRef` and `stringifyEntityRef` do.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::Error;

/// The namespace an entity is in when it names none.
pub const DEFAULT_NAMESPACE: &str = "default";

/// A complete reference to an entity: kind, namespace and name. Compared and hashed
/// case-insensitively (ASCII), as Backstage compares references.
#[derive(Debug, Clone, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntityRef {
    /// The kind, e.g. `Component` (its case is kept for display).
    pub kind: String,
    /// The namespace, e.g. `default`.
    pub namespace: String,
    /// The name, e.g. `petstore`.
    pub name: String,
}

/// Defaults applied to the parts a reference leaves out.
#[derive(Debug, Clone, Copy, Default)]
pub struct RefDefaults<'a> {
    /// Kind used when the reference has no `kind:` prefix.
    pub kind: Option<&'a str>,
    /// Namespace used when the reference has no `namespace/` part (else `default`).
    pub namespace: Option<&'a str>,
}

impl<'a> RefDefaults<'a> {
    /// Defaults with a kind.
    pub fn kind(kind: &'a str) -> Self {
        Self {
            kind: Some(kind),
            namespace: None,
        }
    }

    /// Sets the default namespace.
    pub fn with_namespace(mut self, namespace: &'a str) -> Self {
        self.namespace = Some(namespace);
        self
    }
}

/// The parts a reference string spells out, before defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefParts<'r> {
    /// `kind` before the first `:` (unless a `/` comes first).
    pub kind: Option<&'r str>,
    /// `namespace` between the `:` and the first `/`.
    pub namespace: Option<&'r str>,
    /// Everything after; may contain `:` and `/`.
    pub name: &'r str,
}

/// Splits a reference string as Backstage's `parseRefString` does.
pub fn parse_ref_parts(reference: &str) -> Result<RefParts<'_>, Error> {
    let mut colon = reference.find(':');
    let slash = reference.find('/');
    // A colon after the first slash belongs to the name.
    if let (Some(s), Some(c)) = (slash, colon) {
        if s < c {
            colon = None;
        }
    }
    let kind = colon.map(|c| &reference[..c]);
    let ns_start = colon.map_or(0, |c| c + 1);
    let namespace = slash.map(|s| &reference[ns_start..s]);
    let name_start = ns_start.max(slash.map_or(0, |s| s + 1));
    let name = &reference[name_start..];
    if kind == Some("") || namespace == Some("") || name.is_empty() {
        return Err(Error::InvalidRef(format!(
            "Entity reference \"{reference}\" was not on the form [<kind>:][<namespace>/]<name>"
        )));
    }
    Ok(RefParts {
        kind,
        namespace,
        name,
    })
}

impl EntityRef {
    /// A reference from its parts.
    pub fn new(
        kind: impl Into<String>,
        namespace: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            kind: kind.into(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// Parses `[kind:][namespace/]name`, filling what is left out from `defaults`. Fails with
    /// Backstage's messages: on an empty string, on an empty part, and when no kind is given or
    /// defaulted.
    pub fn parse_with(reference: &str, defaults: RefDefaults<'_>) -> Result<Self, Error> {
        if reference.is_empty() {
            return Err(Error::InvalidRef(
                "Entity reference must not be empty".into(),
            ));
        }
        let parts = parse_ref_parts(reference)?;
        let textual = serde_json::to_string(reference).unwrap_or_default();
        let Some(kind) = parts.kind.or(defaults.kind).filter(|k| !k.is_empty()) else {
            return Err(Error::InvalidRef(format!(
                "Entity reference {textual} had missing or empty kind (e.g. did not start with \"component:\" or similar)"
            )));
        };
        let namespace = parts
            .namespace
            .or(defaults.namespace.filter(|n| !n.is_empty()))
            .unwrap_or(DEFAULT_NAMESPACE);
        Ok(Self::new(kind, namespace, parts.name))
    }

    /// Backstage's `stringifyEntityRef`: `kind:namespace/name`, kind and namespace lowercased.
    pub fn to_canonical(&self) -> String {
        let mut s =
            String::with_capacity(self.kind.len() + self.namespace.len() + self.name.len() + 2);
        push_lower(&mut s, &self.kind);
        s.push(':');
        push_lower(&mut s, &self.namespace);
        s.push('/');
        s.push_str(&self.name);
        s
    }

    /// The shortest string that names this entity given a default kind: `[kind:][ns/]name`.
    pub fn to_short(&self, default_kind: Option<&str>) -> String {
        let mut s = String::new();
        if default_kind.is_none_or(|k| !k.eq_ignore_ascii_case(&self.kind)) {
            push_lower(&mut s, &self.kind);
            s.push(':');
        }
        if !self.namespace.eq_ignore_ascii_case(DEFAULT_NAMESPACE) {
            s.push_str(&self.namespace);
            s.push('/');
        }
        s.push_str(&self.name);
        s
    }
}

fn push_lower(out: &mut String, s: &str) {
    out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
}

impl PartialEq for EntityRef {
    fn eq(&self, other: &Self) -> bool {
        self.kind.eq_ignore_ascii_case(&other.kind)
            && self.namespace.eq_ignore_ascii_case(&other.namespace)
            && self.name.eq_ignore_ascii_case(&other.name)
    }
}

impl Hash for EntityRef {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for part in [&self.kind, &self.namespace, &self.name] {
            for b in part.bytes() {
                state.write_u8(b.to_ascii_lowercase());
            }
            state.write_u8(0xff);
        }
    }
}

impl fmt::Display for EntityRef {
    /// Formats as `stringifyEntityRef` does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_canonical())
    }
}

impl FromStr for EntityRef {
    type Err = Error;

    /// Parses a complete reference (`kind:` required, namespace defaults to `default`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_with(s, RefDefaults::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_backstage() {
        let r: EntityRef = "component:default/foo".parse().unwrap();
        assert_eq!(
            (r.kind.as_str(), r.namespace.as_str(), r.name.as_str()),
            ("component", "default", "foo")
        );
        let r = EntityRef::parse_with("a:b/c/d", RefDefaults::default()).unwrap();
        assert_eq!(
            (r.kind.as_str(), r.namespace.as_str(), r.name.as_str()),
            ("a", "b", "c/d")
        );
        let r = EntityRef::parse_with("ns/foo:bar", RefDefaults::kind("group")).unwrap();
        assert_eq!(
            (r.kind.as_str(), r.namespace.as_str(), r.name.as_str()),
            ("group", "ns", "foo:bar")
        );
        let r = EntityRef::parse_with("team-a", RefDefaults::kind("Group")).unwrap();
        assert_eq!(r.to_string(), "group:default/team-a");
    }

    #[test]
    fn errors_like_backstage() {
        let e = EntityRef::parse_with("", RefDefaults::default()).unwrap_err();
        assert_eq!(e.to_string(), "Entity reference must not be empty");
        let e = EntityRef::parse_with("foo", RefDefaults::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Entity reference \"foo\" had missing or empty kind (e.g. did not start with \"component:\" or similar)"
        );
        for bad in [":foo", "component:/foo", "component:ns/", "/foo"] {
            let e = EntityRef::parse_with(bad, RefDefaults::kind("x")).unwrap_err();
            assert!(e.to_string().contains("was not on the form"), "{bad}: {e}");
        }
    }

    #[test]
    fn compares_case_insensitively() {
        let a: EntityRef = "Component:Default/Foo".parse().unwrap();
        let b: EntityRef = "component:default/foo".parse().unwrap();
        assert_eq!(a, b);
        let mut set = std::collections::HashSet::new();
        set.insert(a);
        assert!(set.contains(&b));
    }
}
