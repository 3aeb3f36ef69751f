//! String helpers of nunjucks' filters: capitalization, HTML escaping, `urlize`, `striptags`
//! and `encodeURIComponent`, each as nunjucks (JavaScript) does it.

use super::value::is_js_space;

pub(crate) fn capitalize_str(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(crate) fn title_str(s: &str) -> String {
    s.split(' ')
        .map(capitalize_str)
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// nunjucks' `urlize`: links words that look like URLs, `www.` hosts, e-mail addresses or
/// `.org`/`.net`/`.com` names.
pub(crate) fn urlize(s: &str, length: Option<f64>, nofollow: bool) -> String {
    use std::sync::OnceLock;
    struct Res {
        space: regex::Regex,
        punct: regex::Regex,
        email: regex::Regex,
        http: regex::Regex,
        tld: regex::Regex,
    }
    static RES: OnceLock<Res> = OnceLock::new();
    let re = RES.get_or_init(|| Res {
        space: regex::Regex::new(r"\s+").expect("valid regex"),
        punct: regex::Regex::new(r"^(?:\(|<|&lt;)?(.*?)(?:\.|,|\)|\n|&gt;)?$")
            .expect("valid regex"),
        email: regex::Regex::new(r"(?i)^[\w.!#$%&'*+\-/=?^`{|}~]+@[a-z\d\-]+(\.[a-z\d\-]+)+$")
            .expect("valid regex"),
        http: regex::Regex::new(r"^https?://").expect("valid regex"),
        tld: regex::Regex::new(r"\.(?:org|net|com)(?::|/|$)").expect("valid regex"),
    });
    let nofollow = if nofollow { " rel=\"nofollow\"" } else { "" };
    // `str.split(/(\s+)/)`: words and the spaces between them.
    let mut parts = Vec::new();
    let mut last = 0;
    for m in re.space.find_iter(s) {
        parts.push(&s[last..m.start()]);
        parts.push(m.as_str());
        last = m.end();
    }
    parts.push(&s[last..]);
    let mut out = String::with_capacity(s.len());
    for word in parts.into_iter().filter(|w| !w.is_empty()) {
        let url = re
            .punct
            .captures(word)
            .and_then(|c| c.get(1))
            .map_or(word, |m| m.as_str());
        let short: String = match length {
            Some(n) if n.is_nan() => url.to_string(),
            Some(n) => {
                let units: Vec<u16> = url.encode_utf16().collect();
                let end = if n <= 0.0 {
                    0
                } else {
                    (n as usize).min(units.len())
                };
                String::from_utf16_lossy(&units[..end])
            }
            None => url.to_string(),
        };
        if re.http.is_match(url) {
            out.push_str(&format!("<a href=\"{url}\"{nofollow}>{short}</a>"));
        } else if url.starts_with("www.") {
            out.push_str(&format!("<a href=\"http://{url}\"{nofollow}>{short}</a>"));
        } else if re.email.is_match(url) {
            out.push_str(&format!("<a href=\"mailto:{url}\">{url}</a>"));
        } else if re.tld.is_match(url) {
            out.push_str(&format!("<a href=\"http://{url}\"{nofollow}>{short}</a>"));
        } else {
            out.push_str(word);
        }
    }
    out
}

pub(crate) fn striptags(input: &str, preserve_linebreaks: bool) -> String {
    use std::sync::OnceLock;
    static TAGS: OnceLock<regex::Regex> = OnceLock::new();
    let tags = TAGS.get_or_init(|| {
        regex::Regex::new(r"(?is)</?([a-z][a-z0-9]*)\b[^>]*>|<!--.*?-->").expect("valid regex")
    });
    let stripped = tags.replace_all(input, "");
    let trimmed = stripped.trim_matches(is_js_space);
    if preserve_linebreaks {
        let lines: Vec<&str> = trimmed.split('\n').map(|l| l.trim_matches(' ')).collect();
        let joined = lines.join("\n");
        let mut squashed = String::new();
        let mut prev_space = false;
        for c in joined.chars() {
            if c == ' ' {
                if !prev_space {
                    squashed.push(c);
                }
                prev_space = true;
            } else {
                prev_space = false;
                squashed.push(c);
            }
        }
        let mut s = squashed.replace("\r\n", "\n");
        while s.contains("\n\n\n") {
            s = s.replace("\n\n\n", "\n\n");
        }
        s
    } else {
        let mut out = String::new();
        let mut in_space = false;
        for c in trimmed.chars() {
            if is_js_space(c) {
                if !in_space {
                    out.push(' ');
                }
                in_space = true;
            } else {
                in_space = false;
                out.push(c);
            }
        }
        out
    }
}

/// JavaScript's `encodeURIComponent`.
pub(crate) fn encode_uri_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
