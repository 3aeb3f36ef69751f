//! Port blueprints and entities.

use napi::Env;
use napi_derive::napi;
use opa_core::Diagnostic;
use opa_core::port::{from_backstage, validate_sources};

use crate::convert::throw_coded;

/// A problem, at its line and column in its text.
#[napi(object)]
pub struct PortProblem {
    /// `blueprint` or `entity`: which list the text is in.
    pub source: String,
    /// The index of the text in its list.
    pub index: u32,
    /// Stable kebab-case code (`unknown-blueprint`, `invalid-type`…).
    pub code: String,
    /// Dotted path (`properties.language`).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// The outcome of one entity.
#[napi(object)]
pub struct PortEntityResult {
    /// The index of the entity text it is in.
    pub index: u32,
    /// Its identifier.
    pub identifier: Option<String>,
    /// Its blueprint.
    pub blueprint: String,
    /// Whether it was a Backstage entity, mapped first.
    pub from_backstage: bool,
    /// Whether it has no problem.
    pub valid: bool,
    /// Its problems.
    pub errors: Vec<PortProblem>,
}

/// What validating entities against blueprints found.
#[napi(object)]
pub struct PortValidation {
    /// No text, blueprint or entity had a problem.
    pub valid: bool,
    /// Problems of the blueprints and of unreadable texts.
    pub problems: Vec<PortProblem>,
    /// One entry per entity.
    pub entities: Vec<PortEntityResult>,
}

fn problem(source: &str, index: usize, d: Diagnostic) -> PortProblem {
    PortProblem {
        source: source.to_string(),
        index: index as u32,
        code: d.code.to_string(),
        path: d.path,
        message: d.message,
        line: d.line,
        column: d.column,
    }
}

/// Validates entities (YAML or JSON texts of Port entities, or of Backstage entities, which are
/// mapped first) against blueprints (YAML or JSON texts). Problems are data.
#[napi(catch_unwind)]
pub fn validate_port_entities(blueprints: Vec<String>, entities: Vec<String>) -> PortValidation {
    let b: Vec<&str> = blueprints.iter().map(String::as_str).collect();
    let e: Vec<&str> = entities.iter().map(String::as_str).collect();
    let report = validate_sources(&b, &e);
    PortValidation {
        valid: report.valid,
        problems: report
            .problems
            .into_iter()
            .map(|p| problem(p.source, p.index, p.diagnostic))
            .collect(),
        entities: report
            .entities
            .into_iter()
            .map(|r| PortEntityResult {
                index: r.index as u32,
                identifier: r.identifier,
                blueprint: r.blueprint,
                from_backstage: r.from_backstage,
                valid: r.valid,
                errors: r
                    .errors
                    .into_iter()
                    .map(|d| problem("entity", r.index, d))
                    .collect(),
            })
            .collect(),
    }
}

/// Maps a Backstage entity to a Port entity with the blueprints of Port's Backstage
/// integration. Throws an `Error` with code `invalid` when the kind has no blueprint.
#[napi(
    catch_unwind,
    ts_args_type = "entity: Record<string, any>",
    ts_return_type = "Record<string, any>"
)]
pub fn backstage_to_port(env: Env, entity: serde_json::Value) -> napi::Result<serde_json::Value> {
    match from_backstage(&entity) {
        Ok(e) => Ok(serde_json::to_value(e).unwrap_or(serde_json::Value::Null)),
        Err(message) => Err(throw_coded(&env, "invalid", &message)),
    }
}
