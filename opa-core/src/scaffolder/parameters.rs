//! The user's values checked against the template's parameter pages (JSON Schema draft-07), with
//! `default`s applied, as Backstage's form and task API do.
//!
//! Every page is validated against all the values (Backstage's backend does the same: a page's
//! `required` names only its own fields). `ui:*` keys are ignored by the validator.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::template::{ParameterPage, Template};
use crate::diagnostic::{Diagnostic, codes};

/// A problem with one parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParameterProblem {
    /// `missing-field`, `invalid-type`, `invalid-value` or `invalid-schema`.
    pub code: &'static str,
    /// The parameter, dotted for nested objects (`repo.name`); empty for the whole form.
    pub parameter: String,
    /// 0-based index of the page.
    pub page: usize,
    /// The page's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_title: Option<String>,
    /// What is wrong, naming the parameter and the page.
    pub message: String,
}

impl ParameterProblem {
    /// As a diagnostic positioned at the page in the template.
    pub fn to_diagnostic(&self, page: &ParameterPage) -> Diagnostic {
        Diagnostic::new(
            self.code,
            self.parameter.clone(),
            self.message.clone(),
            page.pos,
        )
    }
}

impl std::fmt::Display for ParameterProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The values after defaults, and every problem found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParameterValues {
    /// The values with `default`s applied.
    pub values: Json,
    /// Every problem; empty when the values are valid.
    pub problems: Vec<ParameterProblem>,
}

impl ParameterValues {
    /// Whether the values are valid.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Applies defaults and validates `values` (an object) against every page of `template`.
pub fn validate_parameters(template: &Template, values: &Json) -> ParameterValues {
    let mut problems = Vec::new();
    let mut values = match values {
        Json::Object(m) => m.clone(),
        Json::Null => Map::new(),
        other => {
            return ParameterValues {
                values: other.clone(),
                problems: vec![ParameterProblem {
                    code: codes::INVALID_TYPE,
                    parameter: String::new(),
                    page: 0,
                    page_title: None,
                    message: format!("the values must be an object, found {}", type_name(other)),
                }],
            };
        }
    };
    for page in &template.parameters {
        apply_defaults(&page.schema, &mut values, 0);
    }
    let values = Json::Object(values);
    for page in &template.parameters {
        validate_page(page, &values, &mut problems);
    }
    ParameterValues { values, problems }
}

fn validate_page(page: &ParameterPage, values: &Json, problems: &mut Vec<ParameterProblem>) {
    let problem = |code, parameter: String, detail: String| {
        let message = if parameter.is_empty() {
            format!("{}: {detail}", page.label())
        } else {
            format!("parameter {parameter:?} on {}: {detail}", page.label())
        };
        ParameterProblem {
            code,
            parameter,
            page: page.index,
            page_title: page.title.clone(),
            message,
        }
    };
    let schema = strip_ui_keys(&page.schema);
    let validator = match jsonschema::draft7::new(&schema) {
        Ok(v) => v,
        Err(e) => {
            problems.push(problem(
                "invalid-schema",
                String::new(),
                format!("the page's schema is not valid JSON Schema: {e}"),
            ));
            return;
        }
    };
    for error in validator.iter_errors(values) {
        let at = pointer_to_dotted(error.instance_path().as_str());
        use jsonschema::error::ValidationErrorKind as K;
        let (code, parameter, detail) = match error.kind() {
            K::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let parameter = if at.is_empty() {
                    name.to_string()
                } else {
                    format!("{at}.{name}")
                };
                (codes::MISSING_FIELD, parameter, "is required".to_string())
            }
            K::Type { .. } => (codes::INVALID_TYPE, at, error.to_string()),
            _ => (codes::INVALID_VALUE, at, error.to_string()),
        };
        problems.push(problem(code, parameter, detail));
    }
}

/// Sets `default`s for the properties of `schema` that `values` lacks, following nested objects,
/// `dependencies` (and the `oneOf` branch the values select), `allOf` and `if`/`then`/`else`.
fn apply_defaults(schema: &Json, values: &mut Map<String, Json>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Some(schema) = schema.as_object() else {
        return;
    };
    if let Some(props) = schema.get("properties").and_then(Json::as_object) {
        for (key, prop) in props {
            if !values.contains_key(key) {
                if let Some(default) = prop.get("default") {
                    values.insert(key.clone(), default.clone());
                }
            }
            if let Some(Json::Object(inner)) = values.get_mut(key) {
                apply_defaults(prop, inner, depth + 1);
            }
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Json::as_array) {
        for sub in all {
            apply_defaults(sub, values, depth + 1);
        }
    }
    if let Some(cond) = schema.get("if") {
        let branch = if jsonschema::draft7::new(cond)
            .map(|v| v.is_valid(&Json::Object(values.clone())))
            .unwrap_or(false)
        {
            schema.get("then")
        } else {
            schema.get("else")
        };
        if let Some(branch) = branch {
            apply_defaults(branch, values, depth + 1);
        }
    }
    if let Some(deps) = schema.get("dependencies").and_then(Json::as_object) {
        for (key, dep) in deps {
            if !values.contains_key(key) || !dep.is_object() {
                continue;
            }
            apply_defaults(dep, values, depth + 1);
            if let Some(branches) = dep.get("oneOf").and_then(Json::as_array) {
                if let Some(branch) = branches.iter().find(|b| selects(b, values)) {
                    apply_defaults(branch, values, depth + 1);
                }
            }
        }
    }
}

/// Whether a `oneOf` branch of a conditional form matches the values it constrains that are set
/// (how react-jsonschema-form picks the branch whose fields to show).
fn selects(branch: &Json, values: &Map<String, Json>) -> bool {
    let Some(props) = branch.get("properties").and_then(Json::as_object) else {
        return false;
    };
    let mut constrained = false;
    for (key, prop) in props {
        if let Some(value) = values.get(key) {
            if prop.get("enum").is_some() || prop.get("const").is_some() {
                constrained = true;
                let ok = jsonschema::draft7::new(prop)
                    .map(|v| v.is_valid(value))
                    .unwrap_or(false);
                if !ok {
                    return false;
                }
            }
        }
    }
    constrained
}

/// The schema without `ui:*` keys (they are form hints, not JSON Schema).
fn strip_ui_keys(schema: &Json) -> Json {
    match schema {
        Json::Object(m) => Json::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with("ui:"))
                .map(|(k, v)| (k.clone(), strip_ui_keys(v)))
                .collect(),
        ),
        Json::Array(a) => Json::Array(a.iter().map(strip_ui_keys).collect()),
        other => other.clone(),
    }
}

fn pointer_to_dotted(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

pub(crate) fn type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// Checks that every parameter page is a valid draft-07 JSON Schema (`ui:*` keys aside).
pub fn check_schemas(template: &Template) -> Vec<Diagnostic> {
    template
        .parameters
        .iter()
        .filter_map(|page| {
            jsonschema::draft7::new(&strip_ui_keys(&page.schema))
                .err()
                .map(|e| {
                    Diagnostic::new(
                        "invalid-schema",
                        format!("spec.parameters.{}", page.index),
                        format!("{} is not valid JSON Schema: {e}", page.label()),
                        page.pos,
                    )
                })
        })
        .collect()
}
