//! Rendering a JSON value (a step's `input`, `if`, `each`, the template's `output`) as
//! Backstage's `NunjucksWorkflowRunner.render` does:
//!
//! - a string that parses to a single node other than plain text is "a single template
//!   string": its `${{ expr }}` is rewritten to `${{ ( expr ) | dump }}` with the same regular
//!   expression Backstage uses, rendered, and parsed back as JSON, so it keeps its type;
//! - otherwise (or when that fails) the string is rendered as text;
//! - a string that renders empty is dropped (`undefined` in JavaScript);
//! - a string whose template fails is kept as it was.

use std::sync::OnceLock;

use super::value::Object;
use super::{BACKSTAGE, TemplateEngine, TemplateError};

/// `None` means `undefined`: the key is dropped.
pub(crate) fn render_value(
    engine: &TemplateEngine,
    value: &serde_json::Value,
    ctx: &Object,
) -> Result<Option<serde_json::Value>, TemplateError> {
    Ok(match value {
        serde_json::Value::String(s) => render_string(engine, s, ctx)?,
        serde_json::Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                // JSON.parse's reviver leaves a hole, which serializes as null.
                out.push(render_value(engine, item, ctx)?.unwrap_or(serde_json::Value::Null));
            }
            Some(serde_json::Value::Array(out))
        }
        serde_json::Value::Object(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                if let Some(v) = render_value(engine, v, ctx)? {
                    out.insert(k.clone(), v);
                }
            }
            Some(serde_json::Value::Object(out))
        }
        other => Some(other.clone()),
    })
}

fn single_expression_regex() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    // JavaScript's `/\${{(.+)}}/g`: `.` stops at line terminators.
    RE.get_or_init(|| {
        regex::Regex::new(r"\$\{\{([^\n\r\u{2028}\u{2029}]+)\}\}").expect("valid regex")
    })
}

fn render_string(
    engine: &TemplateEngine,
    s: &str,
    ctx: &Object,
) -> Result<Option<serde_json::Value>, TemplateError> {
    let rethrow_limits = |e: TemplateError| match e {
        TemplateError::LimitExceeded { .. } => Err(e),
        _ => Ok(()),
    };
    if is_single_template(engine, s) {
        let wrapped = single_expression_regex().replace_all(s, "$${{ ( ${1} ) | dump }}");
        match engine.render_with(&wrapped, ctx, BACKSTAGE) {
            Ok(rendered) => {
                if rendered.is_empty() {
                    return Ok(None);
                }
                if let Ok(json) = serde_json::from_str::<serde_json::Value>(&rendered) {
                    return Ok(Some(json));
                }
            }
            Err(e) => rethrow_limits(e)?,
        }
    }
    match engine.render_with(s, ctx, BACKSTAGE) {
        Ok(rendered) if rendered.is_empty() => Ok(None),
        Ok(rendered) => Ok(Some(serde_json::Value::String(rendered))),
        Err(e) => {
            rethrow_limits(e)?;
            Ok(Some(serde_json::Value::String(s.to_string())))
        }
    }
}

/// Backstage's `isSingleTemplateString`: the template parses to exactly one node, and that node
/// is not plain text.
fn is_single_template(engine: &TemplateEngine, s: &str) -> bool {
    match engine.parse(s, BACKSTAGE) {
        Ok(nodes) => {
            nodes.len() == 1
                && !matches!(
                    nodes[0],
                    super::ast::Node::Data(_) | super::ast::Node::Text(_)
                )
        }
        Err(_) => false,
    }
}
