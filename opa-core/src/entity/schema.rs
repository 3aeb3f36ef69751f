//! A small declarative schema for entity specs, checked the way Backstage's kind validators
//! (JSON Schema through ajv) check them — but reporting every problem with its position.
//!
//! Each kind module declares its spec as a `&'static` [`Ty`]; [`check`] walks a YAML node against
//! it. Messages keep ajv's wording (`must be string`, `must have required property 'owner'`).

use crate::diagnostic::{Position, codes};
use crate::entity::validate::Problems;
use crate::yaml::{Node, Value};

/// The expected shape of a value.
#[derive(Debug)]
pub enum Ty {
    /// Anything.
    Any,
    /// A string of at least `min_len` characters.
    String {
        /// Smallest accepted length (0 or 1 in Backstage's schemas).
        min_len: usize,
    },
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// A string or a boolean (a step's `if`).
    StringOrBool,
    /// An array whose items all have this shape.
    Array(&'static Ty),
    /// An object with these known fields; other fields must match `additional` when given.
    Object {
        /// Known fields.
        fields: &'static [Field],
        /// The shape of fields not listed, or `None` to accept anything.
        additional: Option<&'static Ty>,
    },
    /// Exactly one of these shapes (ajv's `oneOf`; Backstage only uses disjoint shapes).
    OneOf(&'static [Ty]),
}

/// A field of an object.
#[derive(Debug)]
pub struct Field {
    /// The field's key.
    pub name: &'static str,
    /// Its shape.
    pub ty: Ty,
    /// Whether it must be present.
    pub required: bool,
}

impl Field {
    /// A required field.
    pub const fn required(name: &'static str, ty: Ty) -> Self {
        Self {
            name,
            ty,
            required: true,
        }
    }

    /// An optional field.
    pub const fn optional(name: &'static str, ty: Ty) -> Self {
        Self {
            name,
            ty,
            required: false,
        }
    }
}

/// A non-empty string (`type: string, minLength: 1`).
pub const NON_EMPTY: Ty = Ty::String { min_len: 1 };
/// Any string.
pub const STRING: Ty = Ty::String { min_len: 0 };
/// An array of non-empty strings.
pub const NON_EMPTY_LIST: Ty = Ty::Array(&NON_EMPTY);
/// Any object.
pub const OBJECT: Ty = Ty::Object {
    fields: &[],
    additional: None,
};

/// A dotted path being built while walking; rendered only when a problem is reported.
#[derive(Debug, Clone, Copy)]
pub enum PathSeg<'a> {
    /// The entity root.
    Root,
    /// A key below a parent.
    Key(&'a PathSeg<'a>, &'a str),
    /// An index below a parent.
    Index(&'a PathSeg<'a>, usize),
}

impl PathSeg<'_> {
    /// The dotted form: `spec.steps.0.action`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            PathSeg::Root => {}
            PathSeg::Key(parent, key) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            PathSeg::Index(parent, i) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&i.to_string());
            }
        }
    }
}

/// The JSON Schema type names a node has, as ajv prints them.
fn type_label(node: &Node) -> &'static str {
    match node.value {
        Value::Int(_) => "integer",
        _ => node.type_name(),
    }
}

/// Checks `node` (found at `path`; a missing child is reported at `key_pos`, the position of the
/// key that holds `node`) against `ty`.
pub fn check(node: &Node, ty: &Ty, path: &PathSeg<'_>, key_pos: Position, out: &mut Problems) {
    match ty {
        Ty::Any => {}
        Ty::String { min_len } => match node.as_str() {
            Some(s) if long_enough(s, *min_len) => {}
            Some(_) => out.push(
                codes::INVALID_VALUE,
                path.render(),
                format!(
                    "\"{}\" must NOT have fewer than {min_len} characters (a non-empty string)",
                    path.render()
                ),
                node.pos,
            ),
            None => type_error(node, "string", path, out),
        },
        Ty::Enum(allowed) => match node.as_str() {
            Some(s) if allowed.contains(&s) => {}
            _ => out.push(
                codes::INVALID_VALUE,
                path.render(),
                format!(
                    "\"{}\" must be equal to one of the allowed values: {}",
                    path.render(),
                    allowed.join(", ")
                ),
                node.pos,
            ),
        },
        Ty::StringOrBool => {
            if !matches!(node.value, Value::String(_) | Value::Bool(_)) {
                type_error(node, "string,boolean", path, out);
            }
        }
        Ty::Array(items) => match node.as_seq() {
            Some(seq) => {
                for (i, item) in seq.iter().enumerate() {
                    check(item, items, &PathSeg::Index(path, i), item.pos, out);
                }
            }
            None => type_error(node, "array", path, out),
        },
        Ty::Object { fields, additional } => match node.as_map() {
            Some(map) => {
                for field in fields.iter() {
                    match map.get(field.name) {
                        Some(value) => {
                            let key = map.entry(field.name).map_or(value.pos, |(k, _)| k.pos);
                            check(value, &field.ty, &PathSeg::Key(path, field.name), key, out);
                        }
                        None if field.required => out.push(
                            codes::MISSING_FIELD,
                            path.render(),
                            format!(
                                "{} must have required property '{}'",
                                display_path(path),
                                field.name
                            ),
                            key_pos,
                        ),
                        None => {}
                    }
                }
                if let Some(extra) = additional {
                    for (k, v) in map.iter() {
                        let name = k.key_string();
                        if fields.iter().any(|f| f.name == name) {
                            continue;
                        }
                        check(v, extra, &PathSeg::Key(path, &name), k.pos, out);
                    }
                }
            }
            None => type_error(node, "object", path, out),
        },
        Ty::OneOf(options) => {
            let matching = options.iter().filter(|t| matches_shape(node, t)).count();
            if matching != 1 {
                out.push(
                    codes::INVALID_TYPE,
                    path.render(),
                    format!(
                        "\"{}\" must match exactly one schema in oneOf ({})",
                        path.render(),
                        options
                            .iter()
                            .map(shape_name)
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                    node.pos,
                );
            } else if let Some(t) = options.iter().find(|t| matches_shape(node, t)) {
                check(node, t, path, key_pos, out);
            }
        }
    }
}

/// ajv's `minLength` (counting code points), without counting for the usual 0 and 1.
fn long_enough(s: &str, min_len: usize) -> bool {
    match min_len {
        0 => true,
        1 => !s.is_empty(),
        n => s.chars().count() >= n,
    }
}

/// Whether a node has the top-level type of a shape (used to choose a `oneOf` branch).
fn matches_shape(node: &Node, ty: &Ty) -> bool {
    match ty {
        Ty::Any => true,
        Ty::String { .. } | Ty::Enum(_) => node.as_str().is_some(),
        Ty::StringOrBool => matches!(node.value, Value::String(_) | Value::Bool(_)),
        Ty::Array(_) => node.as_seq().is_some(),
        Ty::Object { .. } => node.as_map().is_some(),
        Ty::OneOf(options) => options.iter().any(|t| matches_shape(node, t)),
    }
}

fn shape_name(ty: &Ty) -> &'static str {
    match ty {
        Ty::Any => "anything",
        Ty::String { .. } | Ty::Enum(_) => "a string",
        Ty::StringOrBool => "a string or a boolean",
        Ty::Array(_) => "an array",
        Ty::Object { .. } => "an object",
        Ty::OneOf(_) => "one of several shapes",
    }
}

fn display_path(path: &PathSeg<'_>) -> String {
    match path {
        PathSeg::Root => "<root>".into(),
        p => format!("\"{}\"", p.render()),
    }
}

fn type_error(node: &Node, expected: &str, path: &PathSeg<'_>, out: &mut Problems) {
    out.push(
        codes::INVALID_TYPE,
        path.render(),
        format!(
            "{} must be {expected}, found {}",
            display_path(path),
            type_label(node)
        ),
        node.pos,
    );
}
