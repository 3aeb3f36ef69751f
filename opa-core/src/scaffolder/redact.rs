//! Secret values, and values derived from them, replaced by `***` in logs, errors and outputs.

use serde_json::Value as Json;

/// The text that replaces a secret.
pub const REDACTED: &str = "***";

/// The strings to hide.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    // Longest first, so that a secret containing another is hidden whole.
    values: Vec<String>,
}

impl Redactor {
    /// Hides nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also hides `value` (empty strings are ignored).
    pub fn add(&mut self, value: &str) {
        if value.is_empty() || self.values.iter().any(|v| v == value) {
            return;
        }
        self.values.push(value.to_string());
        self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    }

    /// Whether there is anything to hide.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with every hidden value replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for v in &self.values {
            if out.contains(v.as_str()) {
                out = out.replace(v.as_str(), REDACTED);
            }
        }
        out
    }

    /// `value` with every string (keys included) redacted.
    pub fn redact_json(&self, value: &Json) -> Json {
        if self.values.is_empty() {
            return value.clone();
        }
        match value {
            Json::String(s) => Json::String(self.redact(s)),
            Json::Array(a) => Json::Array(a.iter().map(|v| self.redact_json(v)).collect()),
            Json::Object(m) => Json::Object(
                m.iter()
                    .map(|(k, v)| (self.redact(k), self.redact_json(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// Adds the strings of `with_secrets` that differ from their counterpart in
    /// `without_secrets`: values derived from secrets while rendering (as Backstage does).
    pub fn add_derived(&mut self, with_secrets: &Json, without_secrets: Option<&Json>) {
        match with_secrets {
            Json::String(s) if without_secrets.and_then(Json::as_str) != Some(s.as_str()) => {
                self.add(s);
            }
            Json::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    self.add_derived(v, without_secrets.and_then(|o| o.get(i)));
                }
            }
            Json::Object(m) => {
                for (k, v) in m {
                    self.add_derived(v, without_secrets.and_then(|o| o.get(k)));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hides_secrets_and_derived_values() {
        let mut r = Redactor::new();
        r.add("s3cret");
        r.add("");
        assert_eq!(r.redact("token=s3cret!"), "token=***!");
        r.add_derived(
            &json!({"auth": "Basic czNjcmV0", "same": "x", "list": ["a", "Zm9v"]}),
            Some(&json!({"auth": "Basic ", "same": "x", "list": ["a"]})),
        );
        assert_eq!(
            r.redact_json(&json!({"h": "Basic czNjcmV0", "x": "x", "l": ["Zm9v"]})),
            json!({"h": "***", "x": "x", "l": ["***"]})
        );
    }
}
