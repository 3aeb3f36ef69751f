//! Validating entities given as YAML or JSON texts against blueprints given the same way (what
//! the bindings and other callers without files have).

use serde::Serialize;

use super::blueprint::BlueprintSet;
use super::load::{blueprints_from_node, entities_from_node};
use super::validate::validate_blueprints;
use crate::diagnostic::Diagnostic;
use crate::yaml::{Limits, parse_documents};

/// A problem in one of the texts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortSourceProblem {
    /// Which list the text is in: `blueprint` or `entity`.
    pub source: &'static str,
    /// Its index in that list.
    pub index: usize,
    /// The problem, with its line and column in that text.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

/// The outcome of one entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortEntityReport {
    /// The index of the entity text it is in.
    pub index: usize,
    /// Its identifier.
    pub identifier: Option<String>,
    /// Its blueprint.
    pub blueprint: String,
    /// Whether it was a Backstage entity, mapped.
    pub from_backstage: bool,
    /// Whether it has no problem.
    pub valid: bool,
    /// Its problems, at their line and column in its text.
    pub errors: Vec<Diagnostic>,
}

/// What validating the texts found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortSourceReport {
    /// No text, blueprint or entity had a problem.
    pub valid: bool,
    /// Problems of the blueprints and of texts that could not be read.
    pub problems: Vec<PortSourceProblem>,
    /// One entry per entity.
    pub entities: Vec<PortEntityReport>,
}

/// Reads blueprints and entities from texts and validates them. Never fails.
pub fn validate_sources(blueprints: &[&str], entities: &[&str]) -> PortSourceReport {
    let mut problems = Vec::new();
    let mut read = Vec::new();
    for (index, text) in blueprints.iter().enumerate() {
        for doc in parse_documents(text, &Limits::default()) {
            if let Some(diagnostic) = doc.error {
                problems.push(PortSourceProblem {
                    source: "blueprint",
                    index,
                    diagnostic,
                });
                continue;
            }
            let Some(root) = doc.root.filter(|r| !r.is_null()) else {
                continue;
            };
            let file = blueprints_from_node(&root);
            problems.extend(
                file.problems
                    .into_iter()
                    .map(|diagnostic| PortSourceProblem {
                        source: "blueprint",
                        index,
                        diagnostic,
                    }),
            );
            read.extend(file.blueprints.into_iter().map(|(b, n)| (b, n, index)));
        }
    }
    let plain: Vec<_> = read.iter().map(|(b, _, _)| b.clone()).collect();
    for (i, mut diagnostic) in validate_blueprints(&plain) {
        let (_, node, index) = &read[i];
        let path: Vec<&str> = diagnostic.path.split('.').collect();
        let at = node.locate(&path);
        (diagnostic.line, diagnostic.column) = (at.line, at.column);
        problems.push(PortSourceProblem {
            source: "blueprint",
            index: *index,
            diagnostic,
        });
    }
    let set = BlueprintSet::new(plain);
    let mut reports = Vec::new();
    for (index, text) in entities.iter().enumerate() {
        for doc in parse_documents(text, &Limits::default()) {
            if let Some(diagnostic) = doc.error {
                problems.push(PortSourceProblem {
                    source: "entity",
                    index,
                    diagnostic,
                });
                continue;
            }
            let Some(root) = doc.root.filter(|r| !r.is_null()) else {
                continue;
            };
            let (docs, unreadable) = entities_from_node(&root);
            problems.extend(unreadable.into_iter().map(|diagnostic| PortSourceProblem {
                source: "entity",
                index,
                diagnostic,
            }));
            for d in docs {
                let errors = d.validate(&set);
                reports.push(PortEntityReport {
                    index,
                    identifier: d.entity.identifier.clone(),
                    blueprint: d.entity.blueprint.clone(),
                    from_backstage: d.from_backstage,
                    valid: errors.is_empty(),
                    errors,
                });
            }
        }
    }
    PortSourceReport {
        valid: problems.is_empty() && reports.iter().all(|r| r.valid),
        problems,
        entities: reports,
    }
}
