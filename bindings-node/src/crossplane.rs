//! Crossplane compositions rendered offline.

use napi_derive::napi;
use opa_core::crossplane::{Inputs, Problem, render_report};

/// A problem found while rendering.
#[napi(object)]
pub struct RenderProblem {
    /// The input it is in: `resource` (the claim), `composition` or `xrd`.
    pub source: String,
    /// Stable kebab-case code, e.g. `missing-field`, `patch-failed`.
    pub code: String,
    /// Dotted path in that input, e.g. `spec.parameters.size`.
    pub path: String,
    /// Worded as Kubernetes or Crossplane word it.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// What rendering a claim produced.
#[napi(object)]
pub struct RenderedComposition {
    /// Whether everything rendered without a problem.
    pub valid: bool,
    /// The composite resource, then the composed resources in composition-resource-name order.
    pub resources: Vec<serde_json::Value>,
    /// Problems: an unreadable input, an invalid claim, a patch that failed.
    pub problems: Vec<RenderProblem>,
    /// What the API server would quietly change (pruned unknown fields).
    pub warnings: Vec<RenderProblem>,
}

fn problem(p: Problem) -> RenderProblem {
    let source = match p.source {
        opa_core::crossplane::Source::Resource => "resource",
        opa_core::crossplane::Source::Composition => "composition",
        opa_core::crossplane::Source::Xrd => "xrd",
    };
    RenderProblem {
        source: source.to_string(),
        code: p.diagnostic.code.to_string(),
        path: p.diagnostic.path,
        message: p.diagnostic.message,
        line: p.diagnostic.line,
        column: p.diagnostic.column,
    }
}

/// Renders a Crossplane claim (or composite resource) with its CompositeResourceDefinition and
/// Composition (YAML text each), as Crossplane v1.20's patch-and-transform would. Problems in
/// the inputs come back in `problems`; nothing is thrown for them.
#[napi(catch_unwind)]
pub fn render_composition(
    xrd: String,
    composition: String,
    resource: String,
) -> RenderedComposition {
    let report = render_report(&Inputs {
        xrd: &xrd,
        composition: &composition,
        resource: &resource,
    });
    RenderedComposition {
        valid: report.valid,
        resources: report.resources,
        problems: report.problems.into_iter().map(problem).collect(),
        warnings: report.warnings.into_iter().map(problem).collect(),
    }
}
