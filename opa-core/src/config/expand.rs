//! `${VAR}` in configuration values reads the environment.

/// Replaces every `${NAME}` in `text` with the environment variable `NAME` (read by `lookup`).
/// `$${NAME}` writes a literal `${NAME}`. Unset variables become empty and are reported in
/// `missing`.
pub fn expand_env(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    missing: &mut Vec<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let escaped = rest[..start].ends_with('$');
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        let is_name =
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if escaped && is_name {
            out.push_str(&rest[..start - 1]);
            out.push_str(&rest[start..start + 3 + end]);
        } else if is_name {
            out.push_str(&rest[..start]);
            match lookup(name) {
                Some(value) => out.push_str(&value),
                None => missing.push(name.to_string()),
            }
        } else {
            out.push_str(&rest[..start + 3 + end]);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_variables() {
        let lookup = |n: &str| (n == "TOKEN").then(|| "abc".to_string());
        let mut missing = Vec::new();
        assert_eq!(
            expand_env(
                "t=${TOKEN} u=${UNSET} l=$${TOKEN} x=${not a var}",
                &lookup,
                &mut missing
            ),
            "t=abc u= l=${TOKEN} x=${not a var}"
        );
        assert_eq!(missing, vec!["UNSET"]);
    }
}
