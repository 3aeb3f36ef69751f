//! Backstage's own template filters (`parseRepoUrl`, `parseEntityRef`, `pick`, `projectSlug`),
//! giving the outputs of Backstage's filter examples.
//!
//! In Backstage these run outside the template sandbox: their arguments and results cross it
//! as JSON, so `undefined` arrives as `null` and a result of `undefined` is an error.

use super::methods::object;
use super::render::{R, Renderer};
use super::value::{Value, to_json};
use crate::entity::parse_ref_parts;

const FILTERS: &[&str] = &["parseRepoUrl", "parseEntityRef", "pick", "projectSlug"];

pub(crate) fn is_filter(name: &str) -> bool {
    FILTERS.contains(&name)
}

/// The version-control kind a host is configured as (`github`, `gitlab`, `bitbucket`, …).
pub(crate) fn default_host_kinds() -> Vec<(String, String)> {
    [
        ("github.com", "github"),
        ("gitlab.com", "gitlab"),
        ("bitbucket.org", "bitbucket"),
        ("dev.azure.com", "azure"),
    ]
    .into_iter()
    .map(|(h, k)| (h.to_string(), k.to_string()))
    .collect()
}

/// Crosses the sandbox boundary: what a value looks like once it is JSON.
fn bridged(r: &Renderer<'_>, v: &Value) -> R<Value> {
    // A million nodes: far beyond any real filter argument, small enough to stop shared arrays.
    let mut budget = 1_000_000;
    match to_json(v, &mut budget) {
        Ok(Some(json)) => Ok(Value::from(&json)),
        Ok(None) => Ok(Value::Null),
        Err(_) => r.check_len(usize::MAX).map(|()| Value::Null),
    }
}

pub(crate) fn apply(
    r: &mut Renderer<'_>,
    name: &str,
    target: &Value,
    args: &[Value],
    pos: usize,
) -> R<Value> {
    let target = bridged(r, target)?;
    let arg0 = match args.first() {
        Some(a) => bridged(r, a)?,
        None => Value::Undefined,
    };
    let result = match name {
        "parseRepoUrl" => parse_repo_url(r, &target).map(|spec| spec.to_value()),
        "projectSlug" => parse_repo_url(r, &target).map(|spec| {
            Value::string(format!(
                "{}/{}",
                spec.owner.as_deref().unwrap_or("undefined"),
                spec.repo.as_deref().unwrap_or("undefined")
            ))
        }),
        "parseEntityRef" => parse_entity_ref(&target, &arg0),
        _ => pick(&target, &arg0),
    };
    match result {
        Ok(Value::Undefined) => Err(r.error(pos, "\"undefined\" is not valid JSON")),
        Ok(v) => bridged(r, &v),
        Err(message) => Err(r.error(pos, message)),
    }
}

/// What `parseRepoUrl` returns (Backstage's `RepoSpec`).
struct RepoSpec {
    host: String,
    owner: Option<String>,
    repo: Option<String>,
    organization: Option<String>,
    workspace: Option<String>,
    project: Option<String>,
}

impl RepoSpec {
    fn to_value(&self) -> Value {
        let mut entries = vec![("host", Value::str(&self.host))];
        for (k, v) in [
            ("owner", &self.owner),
            ("repo", &self.repo),
            ("organization", &self.organization),
            ("workspace", &self.workspace),
            ("project", &self.project),
        ] {
            if let Some(v) = v {
                entries.push((k, Value::str(v)));
            }
        }
        object(entries)
    }
}

/// `parseRepoUrl` from `@backstage/plugin-scaffolder-node`: reads `host?owner=…&repo=…` with
/// `new URL('https://' + url)` (the WHATWG parser of the `url` crate), then checks the
/// parameters the host's kind needs.
fn parse_repo_url(r: &Renderer<'_>, url: &Value) -> Result<RepoSpec, String> {
    let raw = url.to_js_string();
    let parsed = url::Url::parse(&format!("https://{raw}")).map_err(|_| {
        format!("Invalid repo URL passed to publisher, got {raw}, TypeError: Invalid URL")
    })?;
    // `URL.host`: the host, and the port when it is not https' default.
    let host = match (parsed.host_str(), parsed.port()) {
        (Some(h), Some(port)) => format!("{h}:{port}"),
        (Some(h), None) => h.to_string(),
        (None, _) => String::new(),
    };
    // `URLSearchParams.get`: the first value, form-decoded.
    let param = |name: &str| -> Option<String> {
        parsed
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let spec = RepoSpec {
        owner: param("owner"),
        repo: param("repo"),
        organization: param("organization"),
        workspace: param("workspace"),
        project: param("project"),
        host,
    };
    let kind = r
        .config
        .host_kinds
        .iter()
        .find(|(h, _)| *h == spec.host)
        .map(|(_, k)| k.as_str());
    let kind = match kind {
        Some(k) => k,
        None if r.config.strict_hosts => {
            return Err(format!(
                "No matching integration configuration for host {}, please check your integrations config",
                spec.host
            ));
        }
        None => "local",
    };
    let shown = parsed.as_str();
    let require = |names: &[&str]| -> Result<(), String> {
        for name in names {
            if param(name).is_none() {
                return Err(format!(
                    "Invalid repo URL passed to publisher: {shown}, missing {name}"
                ));
            }
        }
        Ok(())
    };
    match kind {
        "bitbucket" => {
            if spec.host == "www.bitbucket.org" {
                require(&["workspace"])?;
            }
            require(&["project", "repo"])?;
        }
        "azure" => require(&["project", "repo"])?,
        "gitlab" => {
            if spec.project.is_none() {
                require(&["owner", "repo"])?;
            }
        }
        "gitea" | "gerrit" => require(&["repo"])?,
        _ => require(&["repo", "owner"])?,
    }
    Ok(spec)
}

/// `parseEntityRef` from `@backstage/catalog-model`.
fn parse_entity_ref(reference: &Value, context: &Value) -> Result<Value, String> {
    if !reference.truthy() {
        return Err("Entity reference must not be empty".to_string());
    }
    let field = |v: &Value, name: &str| -> Option<String> {
        match v {
            Value::Object(map) => match map.get(name) {
                Some(Value::Undefined | Value::Null) | None => None,
                Some(x) => Some(x.to_js_string()),
            },
            _ => None,
        }
    };
    let default_kind = field(context, "defaultKind");
    let default_namespace = field(context, "defaultNamespace")
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "default".to_string());
    let (kind, namespace, name) = match reference {
        Value::Str(s) => {
            let parts = parse_ref_parts(s).map_err(|e| e.to_string())?;
            (
                parts.kind.map(str::to_string).or(default_kind),
                parts
                    .namespace
                    .map(str::to_string)
                    .or(Some(default_namespace)),
                Some(parts.name.to_string()),
            )
        }
        other => (
            field(other, "kind").or(default_kind),
            field(other, "namespace").or(Some(default_namespace)),
            field(other, "name"),
        ),
    };
    let textual = || {
        super::json::json_stringify(reference, &Value::Undefined, 1 << 20)
            .ok()
            .flatten()
            .unwrap_or_else(|| "undefined".to_string())
    };
    let check = |v: &Option<String>, what: &str| -> Result<String, String> {
        match v {
            Some(s) if !s.is_empty() => Ok(s.clone()),
            _ => Err(if what == "kind" {
                format!(
                    "Entity reference {} had missing or empty kind (e.g. did not start with \"component:\" or similar)",
                    textual()
                )
            } else {
                format!("Entity reference {} had missing or empty {what}", textual())
            }),
        }
    };
    let kind = check(&kind, "kind")?;
    let namespace = check(&namespace, "namespace")?;
    let name = check(&name, "name")?;
    Ok(object(vec![
        ("kind", Value::string(kind)),
        ("namespace", Value::string(namespace)),
        ("name", Value::string(name)),
    ]))
}

/// `pick`: lodash's `get(object, path)` (`a.b`, `a[0].b`, `a["b"]`).
fn pick(target: &Value, path: &Value) -> Result<Value, String> {
    let path = match path {
        Value::Array(items) => items.iter().map(Value::to_js_string).collect(),
        other => path_keys(&other.to_js_string()),
    };
    let mut cur = target.clone();
    for key in path {
        cur = match &cur {
            Value::Object(map) => map.get(key.as_str()).cloned().unwrap_or(Value::Undefined),
            Value::Array(items) => key
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).cloned())
                .unwrap_or_else(|| {
                    if key == "length" {
                        Value::Num(items.len() as f64)
                    } else {
                        Value::Undefined
                    }
                }),
            Value::Str(s) if key == "length" => Value::Num(s.chars().count() as f64),
            _ => Value::Undefined,
        };
        if cur.is_undefined() {
            break;
        }
    }
    Ok(cur)
}

/// lodash's `stringToPath`.
fn path_keys(path: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => keys.push(std::mem::take(&mut cur)),
            '[' => {
                if !cur.is_empty() {
                    keys.push(std::mem::take(&mut cur));
                }
                let quote = match chars.peek() {
                    Some(&q @ ('"' | '\'')) => {
                        chars.next();
                        Some(q)
                    }
                    _ => None,
                };
                let mut key = String::new();
                for c in chars.by_ref() {
                    if Some(c) == quote {
                        continue;
                    }
                    if c == ']' {
                        break;
                    }
                    key.push(c);
                }
                keys.push(key);
                if chars.peek() == Some(&'.') {
                    chars.next();
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() || keys.is_empty() {
        keys.push(cur);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lodash_paths_split_on_dots_and_brackets() {
        assert_eq!(path_keys("a.b[0].c"), ["a", "b", "0", "c"]);
        assert_eq!(path_keys("a[\"b.c\"]"), ["a", "b.c"]);
        assert_eq!(path_keys("name"), ["name"]);
    }
}
