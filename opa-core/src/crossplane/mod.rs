//! Crossplane compositions, rendered offline with the semantics of Crossplane v1.20's native
//! patch-and-transform (the same semantics live on in function-patch-and-transform).
//!
//! Platform teams give developers self-service through Crossplane claims; OPA-rs renders a claim
//! with its CompositeResourceDefinition and Composition before anything reaches a cluster, with
//! no Docker and no function runtime:
//!
//! ```
//! use opa_core::crossplane::{Inputs, render_text};
//!
//! let xrd = r#"
//! apiVersion: apiextensions.crossplane.io/v1
//! kind: CompositeResourceDefinition
//! metadata: {name: xbuckets.example.org}
//! spec:
//!   group: example.org
//!   names: {kind: XBucket, plural: xbuckets}
//!   claimNames: {kind: Bucket, plural: buckets}
//!   versions:
//!   - name: v1alpha1
//!     served: true
//!     referenceable: true
//!     schema:
//!       openAPIV3Schema:
//!         type: object
//!         properties:
//!           spec:
//!             type: object
//!             properties:
//!               region: {type: string, default: eu-west-1}
//! "#;
//! let composition = r#"
//! apiVersion: apiextensions.crossplane.io/v1
//! kind: Composition
//! metadata: {name: buckets}
//! spec:
//!   compositeTypeRef: {apiVersion: example.org/v1alpha1, kind: XBucket}
//!   resources:
//!   - name: bucket
//!     base: {apiVersion: s3.aws.upbound.io/v1beta1, kind: Bucket}
//!     patches:
//!     - fromFieldPath: spec.region
//!       toFieldPath: spec.forProvider.region
//! "#;
//! let claim = "apiVersion: example.org/v1alpha1\nkind: Bucket\nmetadata: {name: logs, namespace: team-a}\nspec: {}\n";
//!
//! let rendered = render_text(&Inputs { xrd, composition, resource: claim }).unwrap();
//! assert!(rendered.is_ok());
//! let bucket = &rendered.composed[0].resource;
//! assert_eq!(bucket["spec"]["forProvider"]["region"], "eu-west-1");
//! assert_eq!(bucket["metadata"]["generateName"], "logs-");
//! ```

pub mod claim;
pub mod composition;
pub mod error;
pub mod fieldpath;
pub mod gofmt;
pub mod gojson;
pub mod merge;
pub mod patch;
pub mod paved;
pub mod quantity;
pub mod render;
pub mod schema;
pub mod source;
pub mod transform;
pub mod xrd;

pub use composition::Composition;
pub use error::PatchError;
pub use render::{ComposedResource, Problem, Rendered, Source, render};
pub use xrd::Xrd;

use crate::diagnostic::{Diagnostic, Position, codes};
use crate::yaml::{Limits, Node, parse_documents};

/// The three inputs of a render, as YAML text (each may hold other documents too).
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The CompositeResourceDefinition (the first document of that kind is used).
    pub xrd: &'a str,
    /// The Composition (the first document of that kind is used).
    pub composition: &'a str,
    /// The claim or composite resource (the first document of a kind the XRD defines).
    pub resource: &'a str,
}

/// Why the inputs could not be read, with the input it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    /// Which input.
    pub source: Source,
    /// What and where.
    pub diagnostic: Diagnostic,
}

/// The first document of `text` whose `kind` is `kind` (any non-empty one when `kind` is
/// `None`).
pub fn find_document(text: &str, kind: Option<&str>) -> Result<Node, Diagnostic> {
    let mut first_error = None;
    for doc in parse_documents(text, &Limits::default()) {
        if let Some(e) = doc.error {
            first_error.get_or_insert(e);
            continue;
        }
        let Some(root) = doc.root else { continue };
        let matches = match kind {
            None => true,
            Some(k) => root.get("kind").and_then(Node::as_str) == Some(k),
        };
        if matches {
            return Ok(root);
        }
    }
    Err(first_error.unwrap_or_else(|| {
        Diagnostic::new(
            codes::MISSING_FIELD,
            "",
            match kind {
                Some(k) => format!("no document of kind {k}"),
                None => "no document".to_string(),
            },
            Position::new(1, 1),
        )
    }))
}

/// What a render produced, as the CLI's `--format json` and the Node and Python bindings give
/// it: the resources (composite first) and the problems, an unreadable input among them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RenderReport {
    /// Whether everything rendered without a problem.
    pub valid: bool,
    /// The composite resource, then the composed resources in composition-resource-name order.
    pub resources: Vec<serde_json::Value>,
    /// Problems: an input that cannot be read, an invalid claim, a patch that failed.
    pub problems: Vec<Problem>,
    /// What the API server would quietly change (pruned unknown fields).
    pub warnings: Vec<Problem>,
}

/// Renders and reports, folding an unreadable input into the problems.
pub fn render_report(inputs: &Inputs<'_>) -> RenderReport {
    match render_text(inputs) {
        Ok(r) => RenderReport {
            valid: r.is_ok(),
            resources: r.resources().into_iter().cloned().collect(),
            problems: r.problems,
            warnings: r.warnings,
        },
        Err(e) => RenderReport {
            valid: false,
            resources: Vec::new(),
            problems: vec![Problem {
                source: e.source,
                diagnostic: e.diagnostic,
            }],
            warnings: Vec::new(),
        },
    }
}

/// Parses the three inputs and renders; an input that cannot be read is the `Err`.
pub fn render_text(inputs: &Inputs<'_>) -> Result<Rendered, InputProblem> {
    let problem = |source| move |diagnostic| InputProblem { source, diagnostic };
    let xrd = find_document(inputs.xrd, Some("CompositeResourceDefinition"))
        .and_then(|n| Xrd::from_node(&n))
        .map_err(problem(Source::Xrd))?;
    let composition = find_document(inputs.composition, Some("Composition"))
        .and_then(|n| Composition::from_node(&n))
        .map_err(problem(Source::Composition))?;
    let resource = find_resource(&xrd, inputs.resource).map_err(problem(Source::Resource))?;
    Ok(render(&xrd, &composition, &resource))
}

/// The claim or composite resource among the documents of `text`: the first one the XRD
/// defines, else the first non-empty one (which is then refused by name).
fn find_resource(xrd: &Xrd, text: &str) -> Result<Node, Diagnostic> {
    let defined = parse_documents(text, &Limits::default())
        .into_iter()
        .filter_map(|d| d.root)
        .find(|root| {
            let field = |k: &str| root.get(k).and_then(Node::as_str).unwrap_or_default();
            xrd.resolve(field("apiVersion"), field("kind")).is_some()
        });
    match defined {
        Some(root) => Ok(root),
        None => find_document(text, None),
    }
}
