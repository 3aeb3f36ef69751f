//! Opt-in stricter rules: the annotation formats of Roadie's `backstage-entity-validator`
//! (`annotations.schema.json`), for teams that used it. Off by default: Backstage accepts these.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::codes;
use crate::entity::validate::Problems;
use crate::yaml::Node;

/// How an annotation's value must look.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// A location reference: `url:`, `gitlab:`, `github:`, `azure/api:` or `dir:` then anything.
    Location,
    /// A location reference ending in `/` (a folder).
    Folder,
    /// An absolute URI.
    Uri,
    /// A UUID.
    Uuid,
}

/// Roadie's annotation rules (annotations it only types as strings are checked by Backstage).
const RULES: &[(&str, Rule)] = &[
    ("backstage.io/managed-by-location", Rule::Location),
    ("backstage.io/managed-by-origin-location", Rule::Location),
    ("backstage.io/techdocs-ref", Rule::Location),
    ("backstage.io/source-location", Rule::Folder),
    ("backstage.io/view-url", Rule::Uri),
    ("backstage.io/edit-url", Rule::Uri),
    ("graph.microsoft.com/group-id", Rule::Uuid),
    ("graph.microsoft.com/user-id", Rule::Uuid),
    ("datadog/dashboard-url", Rule::Uri),
    ("backstage.io/ldap-uuid", Rule::Uuid),
];

/// Roadie's patterns, unanchored at the start as ajv applies them; `.` does not cross lines.
static LOCATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(url|gitlab|github|azure/api|dir):").expect("static pattern"));
static FOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(url|gitlab|github|azure/api|dir):[^\n\r\u{2028}\u{2029}]*/\z")
        .expect("static pattern")
});
static UUID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\A(urn:uuid:)?[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}\z")
        .expect("static pattern")
});

/// Reports annotations that break Roadie's rules.
pub fn check(root: &Node, out: &mut Problems) {
    let Some(annotations) = root
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(Node::as_map)
    else {
        return;
    };
    for (key, rule) in RULES {
        let Some(value) = annotations.get(key) else {
            continue;
        };
        let Some(text) = value.as_str() else {
            continue; // not a string: Backstage's own rules report it
        };
        let expectation = match rule {
            Rule::Location if !LOCATION.is_match(text) => {
                "a location reference such as \"url:https://…\" or \"dir:.\" (pattern \"(url|gitlab|github|azure/api|dir):.*\")"
            }
            Rule::Folder if !FOLDER.is_match(text) => {
                "a location reference to a folder, ending in \"/\", such as \"url:https://github.com/org/repo/tree/main/\" (pattern \"(url|gitlab|github|azure/api|dir):.*/$\")"
            }
            Rule::Uri if url::Url::parse(text).is_err() => "an absolute URI (format \"uri\")",
            Rule::Uuid if !UUID.is_match(text) => "a UUID (format \"uuid\")",
            _ => continue,
        };
        let path = format!("metadata.annotations.{key}");
        out.push(
            codes::STRICT,
            path.clone(),
            format!("\"{path}\" must be {expectation}, found \"{text}\" (strict: Roadie's annotation rules)"),
            value.pos,
        );
    }
}
