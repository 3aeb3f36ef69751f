//! The Template entity (`scaffolder.backstage.io/v1beta3`) as the runner sees it: parameter pages,
//! steps and output.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::diagnostic::{Diagnostic, Position, codes};
use crate::yaml::{Limits, Node, Value, parse_single};

/// The only apiVersion the runner executes.
pub const TEMPLATE_API_VERSION: &str = "scaffolder.backstage.io/v1beta3";

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.title`.
    pub title: Option<String>,
    /// `metadata.description`.
    pub description: Option<String>,
    /// The form pages: `spec.parameters` as one page (an object) or several (an array).
    pub parameters: Vec<ParameterPage>,
    /// `spec.steps`, in order.
    pub steps: Vec<Step>,
    /// `spec.output` (`links`, `text`, any other keys), rendered at the end of a run.
    pub output: Json,
    /// The directory the template was read from: relative `url` inputs are relative to it.
    pub base_dir: Option<PathBuf>,
    /// The whole entity as JSON.
    pub entity: Json,
}

/// One page of the parameter form: a JSON Schema object.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterPage {
    /// 0-based index of the page.
    pub index: usize,
    /// The page's `title`.
    pub title: Option<String>,
    /// The page's schema (with its `ui:*` keys, which validation ignores).
    pub schema: Json,
    /// Where the page starts.
    pub pos: Position,
}

impl ParameterPage {
    /// How errors name the page: `page 2 ("Choose a location")`.
    pub fn label(&self) -> String {
        match &self.title {
            Some(t) => format!("page {} ({t:?})", self.index + 1),
            None => format!("page {}", self.index + 1),
        }
    }
}

/// One step: an action with its input.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// 0-based index of the step.
    pub index: usize,
    /// `id` (Backstage's default: `step-N`, 1-based).
    pub id: String,
    /// `name` (default: the action id).
    pub name: String,
    /// `action`: the action's id.
    pub action: String,
    /// `input`: an object, rendered before the step runs.
    pub input: Option<Json>,
    /// `if`: the step runs only when this renders truthy.
    pub r#if: Option<Json>,
    /// `each`: the step runs once per element (array) or entry (object).
    pub each: Option<Json>,
    /// Where the step starts.
    pub pos: Position,
}

impl Template {
    /// Parses a template from YAML text. Problems are returned as diagnostics with positions.
    pub fn from_yaml_str(text: &str) -> Result<Self, Vec<Diagnostic>> {
        let root = parse_single(text, &Limits::default()).map_err(|d| vec![d])?;
        let Some(root) = root else {
            return Err(vec![Diagnostic::new(
                codes::MISSING_FIELD,
                "",
                "the file is empty; expected a Template entity",
                Position::new(1, 1),
            )]);
        };
        Self::from_node(&root)
    }

    /// Reads and parses a template file; `base_dir` is set to the file's directory.
    pub fn from_file(path: &Path) -> Result<Self, super::ScaffolderError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| super::ScaffolderError::io(path, source))?;
        let mut template = Self::from_yaml_str(&text).map_err(|diagnostics| {
            super::ScaffolderError::InvalidTemplate {
                file: path.display().to_string(),
                diagnostics,
            }
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        template.base_dir = Some(std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()));
        Ok(template)
    }

    /// Builds a template from a parsed YAML document.
    pub fn from_node(root: &Node) -> Result<Self, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let Some(map) = root.as_map() else {
            return Err(vec![type_problem("", root, "an object")]);
        };
        match map.get("apiVersion") {
            Some(v) if v.as_str() == Some(TEMPLATE_API_VERSION) => {}
            Some(v) => problems.push(Diagnostic::new(
                codes::INVALID_API_VERSION,
                "apiVersion",
                format!(
                    "apiVersion must be {TEMPLATE_API_VERSION:?}, found {}",
                    describe(v)
                ),
                v.pos,
            )),
            None => problems.push(missing("", "apiVersion", root.pos)),
        }
        match map.get("kind") {
            Some(v) if v.as_str() == Some("Template") => {}
            Some(v) => problems.push(Diagnostic::new(
                codes::INVALID_KIND,
                "kind",
                format!("kind must be \"Template\", found {}", describe(v)),
                v.pos,
            )),
            None => problems.push(missing("", "kind", root.pos)),
        }
        let metadata = map.get("metadata");
        let name = match metadata.and_then(|m| m.get("name")) {
            Some(n) => match n.as_str() {
                Some(s) if !s.is_empty() => s.to_string(),
                _ => {
                    problems.push(type_problem("metadata.name", n, "a non-empty string"));
                    String::new()
                }
            },
            None => {
                problems.push(missing(
                    "metadata",
                    "name",
                    metadata.map_or(root.pos, |m| m.pos),
                ));
                String::new()
            }
        };
        let meta_str = |key: &str| {
            metadata
                .and_then(|m| m.get(key))
                .and_then(Node::as_str)
                .map(str::to_string)
        };
        let spec = match map.get("spec") {
            Some(spec) if spec.as_map().is_some() => Some(spec),
            Some(spec) => {
                problems.push(type_problem("spec", spec, "an object"));
                None
            }
            None => {
                problems.push(missing("", "spec", root.pos));
                None
            }
        };
        let mut parameters = Vec::new();
        let mut steps = Vec::new();
        let mut output = Json::Null;
        if let Some(spec) = spec {
            if let Some(p) = spec.get("parameters") {
                parameters = parse_parameters(p, &mut problems);
            }
            match spec.get("steps") {
                Some(s) => steps = parse_steps(s, &mut problems),
                None => problems.push(missing("spec", "steps", spec.pos)),
            }
            if let Some(o) = spec.get("output") {
                if o.as_map().is_some() || o.is_null() {
                    output = o.to_json();
                } else {
                    problems.push(type_problem("spec.output", o, "an object"));
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            name,
            title: meta_str("title"),
            description: meta_str("description"),
            parameters,
            steps,
            output,
            base_dir: None,
            entity: root.to_json(),
        })
    }

    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}

fn parse_parameters(node: &Node, problems: &mut Vec<Diagnostic>) -> Vec<ParameterPage> {
    let page = |index: usize, path: String, n: &Node, problems: &mut Vec<Diagnostic>| {
        if n.as_map().is_none() {
            problems.push(type_problem(&path, n, "a JSON Schema object"));
            return None;
        }
        let schema = n.to_json();
        if let Some(props) = n.get("properties") {
            if props.as_map().is_none() {
                problems.push(type_problem(
                    &format!("{path}.properties"),
                    props,
                    "an object",
                ));
            }
        }
        if let Some(req) = n.get("required") {
            let ok = req
                .as_seq()
                .is_some_and(|items| items.iter().all(|i| i.as_str().is_some()));
            if !ok {
                problems.push(type_problem(
                    &format!("{path}.required"),
                    req,
                    "an array of strings",
                ));
            }
        }
        Some(ParameterPage {
            index,
            title: n.get("title").and_then(Node::as_str).map(str::to_string),
            schema,
            pos: n.pos,
        })
    };
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| page(i, format!("spec.parameters.{i}"), n, problems))
            .collect(),
        Value::Map(_) => page(0, "spec.parameters".into(), node, problems)
            .into_iter()
            .collect(),
        Value::Null => Vec::new(),
        _ => {
            problems.push(type_problem(
                "spec.parameters",
                node,
                "an object or an array of objects",
            ));
            Vec::new()
        }
    }
}

fn parse_steps(node: &Node, problems: &mut Vec<Diagnostic>) -> Vec<Step> {
    let Some(items) = node.as_seq() else {
        problems.push(type_problem("spec.steps", node, "an array"));
        return Vec::new();
    };
    let mut steps: Vec<Step> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let path = format!("spec.steps.{index}");
        if item.as_map().is_none() {
            problems.push(type_problem(&path, item, "an object"));
            continue;
        }
        let string = |key: &str, problems: &mut Vec<Diagnostic>| match item.get(key) {
            None => None,
            Some(v) => match v.as_str() {
                Some(s) => Some(s.to_string()),
                None => {
                    problems.push(type_problem(&format!("{path}.{key}"), v, "a string"));
                    None
                }
            },
        };
        let action = string("action", problems);
        if action.is_none() && item.get("action").is_none() {
            problems.push(missing(&path, "action", item.pos));
        }
        let id = string("id", problems).unwrap_or_else(|| format!("step-{}", index + 1));
        if let Some(previous) = steps.iter().find(|s| s.id == id) {
            problems.push(Diagnostic::new(
                codes::INVALID_VALUE,
                format!("{path}.id"),
                format!(
                    "step id {id:?} is already used by step {} (ids must be unique)",
                    previous.index + 1
                ),
                item.get("id").map_or(item.pos, |n| n.pos),
            ));
        }
        let input = item.get("input").and_then(|i| match &i.value {
            Value::Map(_) => Some(i.to_json()),
            Value::Null => None,
            _ => {
                problems.push(type_problem(&format!("{path}.input"), i, "an object"));
                None
            }
        });
        let name = string("name", problems).unwrap_or_else(|| action.clone().unwrap_or_default());
        steps.push(Step {
            index,
            id,
            name,
            action: action.unwrap_or_default(),
            input,
            r#if: item.get("if").map(Node::to_json),
            each: item.get("each").map(Node::to_json),
            pos: item.pos,
        });
    }
    steps
}

fn describe(node: &Node) -> String {
    match node.as_str() {
        Some(s) => format!("{s:?}"),
        None => node.type_name().to_string(),
    }
}

fn missing(parent: &str, key: &str, at: Position) -> Diagnostic {
    let path = if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    };
    Diagnostic::new(codes::MISSING_FIELD, path, format!("{key} is required"), at)
}

fn type_problem(path: &str, node: &Node, expected: &str) -> Diagnostic {
    Diagnostic::new(
        codes::INVALID_TYPE,
        path,
        format!(
            "{} must be {expected}, found {}",
            if path.is_empty() {
                "the document"
            } else {
                path
            },
            node.type_name()
        ),
        node.pos,
    )
}
