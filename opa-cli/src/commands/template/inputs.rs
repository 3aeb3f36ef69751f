//! Reading values and secrets for templates from files and `KEY=VALUE` arguments.

use std::path::Path;

use anyhow::{Context, bail};
use opa_core::scaffolder::action::Secrets;
use opa_core::yaml::{Limits, Node, Value, parse_single};
use serde_json::{Map, Value as Json};

/// A JSON or YAML file as JSON (an empty file is `null`).
pub fn read_data_file(path: &Path) -> anyhow::Result<Json> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let root = parse_single(&text, &Limits::default()).map_err(|d| {
        anyhow::anyhow!("{}:{}:{}: {}", path.display(), d.line, d.column, d.message)
    })?;
    Ok(root.map(|n| n.to_json()).unwrap_or(Json::Null))
}

/// The values: `--values FILE` then every `--set key=value` on top.
pub fn values(file: Option<&Path>, sets: &[String]) -> anyhow::Result<Json> {
    let mut values = match file {
        Some(path) => match read_data_file(path)? {
            Json::Object(m) => m,
            Json::Null => Map::new(),
            other => bail!(
                "{}: the values must be an object, found {}",
                path.display(),
                other
            ),
        },
        None => Map::new(),
    };
    for set in sets {
        let (key, raw) = set
            .split_once('=')
            .with_context(|| format!("--set {set:?}: expected KEY=VALUE"))?;
        if key.is_empty() {
            bail!("--set {set:?}: the key is empty");
        }
        let value = scalar(raw);
        insert_dotted(&mut values, key, value);
    }
    Ok(Json::Object(values))
}

/// A `--set` value read as a YAML scalar (or flow collection): `true`, `3`, `[a, b]`, `"x"`.
fn scalar(raw: &str) -> Json {
    if raw.is_empty() {
        return Json::String(String::new());
    }
    match parse_single(raw, &Limits::default()) {
        Ok(Some(Node {
            value: Value::Map(_),
            ..
        })) if !raw.trim_start().starts_with('{') => Json::String(raw.to_string()),
        Ok(Some(node)) => node.to_json(),
        _ => Json::String(raw.to_string()),
    }
}

fn insert_dotted(map: &mut Map<String, Json>, key: &str, value: Json) {
    match key.split_once('.') {
        None => {
            map.insert(key.to_string(), value);
        }
        Some((head, rest)) => {
            let slot = map
                .entry(head.to_string())
                .or_insert_with(|| Json::Object(Map::new()));
            if !slot.is_object() {
                *slot = Json::Object(Map::new());
            }
            if let Json::Object(inner) = slot {
                insert_dotted(inner, rest, value);
            }
        }
    }
}

/// The secrets: `--secrets-file FILE` then every `--secret KEY=VALUE`.
pub fn secrets(file: Option<&Path>, pairs: &[String]) -> anyhow::Result<Secrets> {
    let mut secrets = Secrets::new();
    if let Some(path) = file {
        match read_data_file(path)? {
            Json::Object(m) => {
                for (k, v) in m {
                    let v = match v {
                        Json::String(s) => s,
                        Json::Null => String::new(),
                        other => other.to_string(),
                    };
                    secrets.insert(k, v);
                }
            }
            Json::Null => {}
            _ => bail!("{}: secrets must be an object of strings", path.display()),
        }
    }
    for pair in pairs {
        // Never echo the value in an error.
        let Some((key, value)) = pair.split_once('=') else {
            bail!("--secret: expected KEY=VALUE");
        };
        if key.is_empty() {
            bail!("--secret: the key is empty");
        }
        secrets.insert(key, value);
    }
    Ok(secrets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_values_are_typed_and_nested() {
        let v = values(
            None,
            &[
                "name=web".into(),
                "replicas=3".into(),
                "public=true".into(),
                "repo.owner=acme".into(),
                "tags=[a, b]".into(),
                "quoted=\"true\"".into(),
                "url=github.com?owner=a&repo=b".into(),
                "colon=a: b".into(),
            ],
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"name": "web", "replicas": 3, "public": true, "repo": {"owner": "acme"},
                   "tags": ["a", "b"], "quoted": "true", "url": "github.com?owner=a&repo=b",
                   "colon": "a: b"})
        );
    }

    #[test]
    fn secret_errors_do_not_echo_values() {
        let err = secrets(None, &["novalue-s3cret".into()]).unwrap_err();
        assert!(!err.to_string().contains("s3cret"));
    }
}
