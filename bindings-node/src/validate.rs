//! `validate`: the verdict of `opa validate` on a text, as data.

use std::path::Path;

use napi_derive::napi;
use opa_core::entity::{LoadOptions, ValidateOptions, read_entities};

/// Options of [`validate`].
#[napi(object)]
pub struct ValidateInput {
    /// The file the text came from: placeholders (`$text`, …) resolve relative to it.
    pub file: Option<String>,
    /// Accept kinds no validator knows.
    pub allow_unknown_kinds: Option<bool>,
    /// Also apply Roadie's stricter annotation rules.
    pub strict: Option<bool>,
}

/// One problem in an entity.
#[napi(object)]
pub struct EntityError {
    /// Stable kebab-case id, e.g. `invalid-name`.
    pub code: String,
    /// Dotted path from the entity root, e.g. `metadata.tags.1`.
    pub path: String,
    /// What is wrong, stating the expectation.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// The verdict on one document.
#[napi(object)]
pub struct EntityResult {
    /// 0-based index of the document in the text, counting every document.
    pub document: u32,
    /// `kind:namespace/name`, when the document has a usable kind and name.
    #[napi(js_name = "ref")]
    pub entity_ref: Option<String>,
    /// Whether the entity is valid.
    pub valid: bool,
    /// Every problem; empty when valid.
    pub errors: Vec<EntityError>,
}

/// Validates every document of a YAML text as Backstage's catalog would (same verdicts and
/// positions as `opa validate`). Problems in the input are data, not exceptions.
#[napi(catch_unwind)]
pub fn validate(text: String, options: Option<ValidateInput>) -> Vec<EntityResult> {
    let options = options.unwrap_or(ValidateInput {
        file: None,
        allow_unknown_kinds: None,
        strict: None,
    });
    let load = LoadOptions {
        validate: ValidateOptions {
            allow_unknown_kinds: options.allow_unknown_kinds.unwrap_or(false),
            strict: options.strict.unwrap_or(false),
        },
        ..LoadOptions::default()
    };
    let file = options.file.as_deref().map(Path::new);
    read_entities(&text, file, None, &load)
        .into_iter()
        .map(|report| EntityResult {
            document: report.index as u32,
            entity_ref: report.entity_ref.as_ref().map(|r| r.to_canonical()),
            valid: report.is_valid(),
            errors: report
                .diagnostics
                .into_iter()
                .map(|d| EntityError {
                    code: d.code.to_string(),
                    path: d.path,
                    message: d.message,
                    line: d.line,
                    column: d.column,
                })
                .collect(),
        })
        .collect()
}
