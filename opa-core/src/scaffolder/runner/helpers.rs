//! Backstage's runner helpers: truthiness and example outputs for dry runs.

use serde_json::{Value as Json, json};

/// Backstage's `isTruthy`: `false`, `null`, `""`, `0` and `[]` are false, as in Handlebars.
pub fn is_truthy(value: &Json) -> bool {
    match value {
        Json::Null => false,
        Json::Bool(b) => *b,
        Json::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Json::String(s) => !s.is_empty(),
        Json::Array(a) => !a.is_empty(),
        Json::Object(_) => true,
    }
}

/// Backstage's `generateExampleOutput`: the output a dry run reports for an action that does not
/// support dry runs, from its output schema.
pub fn example_output(schema: &Json) -> Json {
    if let Some(first) = schema
        .get("examples")
        .and_then(Json::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    match schema.get("type").and_then(Json::as_str) {
        Some("object") => Json::Object(
            schema
                .get("properties")
                .and_then(Json::as_object)
                .map(|props| {
                    props
                        .iter()
                        .map(|(k, v)| (k.clone(), example_output(v)))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        Some("array") => {
            let first = match schema.get("items") {
                Some(Json::Array(items)) => items.first(),
                Some(item) => Some(item),
                None => None,
            };
            match first {
                Some(item) => json!([example_output(item)]),
                None => json!([]),
            }
        }
        Some("string") => json!("<example>"),
        Some("number") => json!(0),
        Some("boolean") => json!(false),
        _ => json!("<unknown>"),
    }
}

/// The iterations of `each`: JavaScript's `Object.entries` of the rendered value (array indexes
/// and string positions become string keys).
pub fn each_entries(value: &Json) -> Vec<(String, Json)> {
    match value {
        Json::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        Json::Object(m) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Json::String(s) => s
            .chars()
            .enumerate()
            .map(|(i, c)| (i.to_string(), Json::String(c.to_string())))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truthiness_as_backstage() {
        for falsy in [
            json!(false),
            json!(null),
            json!(""),
            json!(0),
            json!([]),
            json!(0.0),
        ] {
            assert!(!is_truthy(&falsy), "{falsy}");
        }
        for truthy in [json!(true), json!("false"), json!(1), json!([0]), json!({})] {
            assert!(is_truthy(&truthy), "{truthy}");
        }
    }

    #[test]
    fn example_outputs_follow_the_schema() {
        let schema = json!({"type": "object", "properties": {
            "remoteUrl": {"type": "string"},
            "projectId": {"type": "number"},
            "created": {"type": "boolean"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "ex": {"type": "string", "examples": ["e1", "e2"]},
            "any": {}
        }});
        assert_eq!(
            example_output(&schema),
            json!({"remoteUrl": "<example>", "projectId": 0, "created": false,
                   "tags": ["<example>"], "ex": "e1", "any": "<unknown>"})
        );
    }
}
