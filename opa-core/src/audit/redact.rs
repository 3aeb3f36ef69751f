//! Keeping secrets out of audit records: values under secret-looking names, and values that
//! look like credentials whatever their name, become `***`.

use serde_json::Value;

use super::record::REDACTED;

/// Name segments that mark a secret (`DB_PASSWORD`, `apiKey`, `x-auth-token`).
const SECRET_SEGMENTS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "secrets",
    "token",
    "tokens",
    "key",
    "apikey",
    "credential",
    "credentials",
    "auth",
    "authorization",
    "cookie",
    "private",
    "signature",
    "passphrase",
    "cert",
    "certificate",
    "dsn",
];

/// Whether a name (an environment variable, a JSON key) names a secret: one of its segments
/// (split on `_`, `-`, `.` and lower→upper case changes) is a secret word.
pub fn is_secret_name(name: &str) -> bool {
    let mut segments: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if matches!(c, '_' | '-' | '.' | ' ' | '/') {
            segments.push(std::mem::take(&mut current));
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower {
            segments.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    segments.push(current);
    segments
        .iter()
        .any(|s| SECRET_SEGMENTS.contains(&s.as_str()))
        || SECRET_SEGMENTS
            .iter()
            .any(|w| w.len() > 5 && name.to_ascii_lowercase().contains(w))
}

/// Whether a value looks like a credential whatever its name: AWS access keys, GitLab/GitHub
/// tokens, private keys, URLs with a password.
fn looks_secret(value: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "AKIA",
        "ASIA",
        "glpat-",
        "gldt-",
        "ghp_",
        "gho_",
        "ghs_",
        "ghu_",
        "github_pat_",
        "xoxb-",
        "xoxp-",
        "sk-",
    ];
    let v = value.trim();
    PREFIXES.iter().any(|p| v.starts_with(p) && v.len() >= 16)
        || v.contains("-----BEGIN")
        || url_with_password(v)
}

fn url_with_password(v: &str) -> bool {
    let Some((_, rest)) = v.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

/// A copy of `request` with secrets replaced by `***`: every value (of any type) under a
/// secret-looking key, and every string that looks like a credential. Objects of the form
/// `{"KEY": value}` inside a `vars` map are judged by the variable's name.
pub fn redact_request(request: &Value) -> Value {
    match request {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if is_secret_name(k) && !v.is_null() {
                        Value::String(REDACTED.into())
                    } else {
                        redact_request(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact_request).collect()),
        Value::String(s) if looks_secret(s) => Value::String(REDACTED.into()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names() {
        for secret in [
            "DB_PASSWORD",
            "apiKey",
            "API_KEY",
            "x-auth-token",
            "GITHUB_TOKEN",
            "client_secret",
            "privateKey",
            "SESSION_COOKIE",
            "DATABASE_DSN",
            "mysecretvalue",
        ] {
            assert!(is_secret_name(secret), "{secret}");
        }
        for plain in [
            "LOG_LEVEL",
            "PORT",
            "MONKEY",
            "KEYBOARD_LAYOUT",
            "author",
            "region",
        ] {
            assert!(!is_secret_name(plain), "{plain}");
        }
    }

    #[test]
    fn requests() {
        let r = json!({
            "vars": {"DB_PASSWORD": "hunter2", "LOG_LEVEL": "debug",
                     "DB_URL": "postgres://app:hunter2@db:5432/app", "NOTE": "AKIAIOSFODNN7EXAMPLE"},
            "keys": ["DB_PASSWORD"],
            "version": "1.2.3"
        });
        let out = redact_request(&r);
        assert_eq!(out["vars"]["DB_PASSWORD"], REDACTED);
        assert_eq!(out["vars"]["LOG_LEVEL"], "debug");
        assert_eq!(out["vars"]["DB_URL"], REDACTED);
        assert_eq!(out["vars"]["NOTE"], REDACTED);
        // Names of variables being removed are not secrets.
        assert_eq!(out["keys"][0], "DB_PASSWORD");
        assert_eq!(out["version"], "1.2.3");
        assert!(!out.to_string().contains("hunter2"));
    }
}
