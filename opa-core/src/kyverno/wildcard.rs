//! Kyverno's wildcard patterns: `*` matches any run of characters (the empty one too), `?` matches
//! exactly one character, anything else matches itself. So `"?*"` means "any non-empty value".
//!
//! There is no escaping and no character class, and a pattern cannot be malformed. Matching runs in
//! `O(pattern × name)`: only the last `*` seen is ever grown, as in Kyverno's `wildcard.Match`.

/// Whether `name` matches the wildcard `pattern`.
pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut px, mut nx) = (0usize, 0usize);
    // Where to resume after the last `*`: the pattern index after it and the name index it covers.
    let mut star: Option<(usize, usize)> = None;
    while nx < n.len() {
        if px < p.len() {
            if p[px] == '*' {
                px += 1;
                if px == p.len() {
                    return true;
                }
                star = Some((px, nx));
                continue;
            }
            if p[px] == '?' || p[px] == n[nx] {
                px += 1;
                nx += 1;
                continue;
            }
        }
        match star {
            None => return false,
            Some((sp, sn)) => {
                star = Some((sp, sn + 1));
                px = sp;
                nx = sn + 1;
            }
        }
    }
    p[px..].iter().all(|c| *c == '*')
}

/// Whether `s` holds a wildcard character (`*` or `?`).
pub fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn star_and_question_mark() {
        assert!(matches("*", ""));
        assert!(matches("*", "anything"));
        assert!(matches("?*", "x"));
        assert!(!matches("?*", ""));
        assert!(matches("team-*", "team-a"));
        assert!(!matches("team-*", "teams"));
        assert!(matches("a*a*a*b", "aaaaaaaaab"));
        assert!(!matches("a*a*a*b", "aaaaaaaaaa"));
        assert!(matches("?é", "aé"));
        assert!(matches("kube-*", "kube-system"));
        assert!(matches("*-prod", "x-prod"));
        assert!(!matches("", "x"));
        assert!(matches("", ""));
        assert!(matches("a**", "a"));
    }
}
