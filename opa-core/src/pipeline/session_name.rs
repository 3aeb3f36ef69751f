//! STS role session names: 2–64 characters of `[\w+=,.@-]`. Pipelines and operations name
//! their sessions after the app, environment and provider, so CloudTrail shows who deployed.

/// The shortest session name STS accepts.
pub const MIN_LEN: usize = 2;
/// The longest session name STS accepts.
pub const MAX_LEN: usize = 64;

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '=' | ',' | '.' | '@' | '-')
}

/// Makes a valid STS session name from `raw`: every character outside `[\w+=,.@-]` becomes
/// `-` (runs collapse to one), leading and trailing `-` go, the result is cut to 64 characters
/// and padded with `-x` characters up to 2 when shorter (`""` → `"opa"`).
///
/// ```
/// use opa_core::pipeline::session_name::sanitize;
/// assert_eq!(sanitize("opa/my app:dev"), "opa-my-app-dev");
/// assert_eq!(sanitize("user:default/jane.doe@example.com"), "user-default-jane.doe@example.com");
/// assert_eq!(sanitize(&"a".repeat(100)).len(), 64);
/// ```
pub fn sanitize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len().min(MAX_LEN));
    for c in raw.chars() {
        if allowed(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    let mut name: String = trimmed.chars().take(MAX_LEN).collect();
    // Cutting may leave a trailing separator; drop it for a tidy name.
    while name.len() > MIN_LEN && name.ends_with('-') {
        name.pop();
    }
    if name.is_empty() {
        return "opa".to_string();
    }
    while name.len() < MIN_LEN {
        name.push('x');
    }
    name
}

/// Whether `name` is a valid STS session name as it stands.
pub fn is_valid(name: &str) -> bool {
    (MIN_LEN..=MAX_LEN).contains(&name.len()) && name.chars().all(allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn always_valid() {
        for raw in [
            "",
            "a",
            "-",
            "opa-app-dev-provider",
            "ünïcödé name with spaces",
            "user:default/jane",
            &"x/".repeat(80),
            "a+b=c,d.e@f_g-h",
        ] {
            let s = sanitize(raw);
            assert!(is_valid(&s), "{raw:?} -> {s:?}");
        }
        assert_eq!(sanitize("a+b=c,d.e@f_g-h"), "a+b=c,d.e@f_g-h");
        assert_eq!(sanitize("a"), "ax");
        assert_eq!(sanitize("é"), "opa");
        assert!(!is_valid("a b") && !is_valid("a") && !is_valid(&"a".repeat(65)));
    }
}
