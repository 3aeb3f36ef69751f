//! The string formats of Port properties, and whether a value has one.

use std::sync::LazyLock;

use regex::Regex;

/// The formats a property of type `string` (or the items of an array) may have.
pub const FORMATS: &[&str] = &[
    "date-time",
    "url",
    "email",
    "ipv4",
    "ipv6",
    "yaml",
    "markdown",
    "user",
    "team",
    "timer",
    "proto",
    "entity",
];

static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
        .expect("valid regex")
});
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+[^\s]*$").expect("valid regex")
});
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^@\s]+@[^@\s]+\.[^@\s]+$").expect("valid regex"));

/// Why `value` does not have `format` (`None` when it does, or the format checks nothing).
pub fn format_problem(format: &str, value: &str) -> Option<String> {
    let ok = match format {
        "date-time" | "timer" => DATE_TIME.is_match(value),
        "url" => URL.is_match(value),
        "email" => EMAIL.is_match(value),
        "ipv4" => value.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => value.parse::<std::net::Ipv6Addr>().is_ok(),
        "yaml" => crate::yaml::parse_single(value, &crate::yaml::Limits::default()).is_ok(),
        _ => true,
    };
    if ok {
        None
    } else {
        Some(match format {
            "date-time" | "timer" => {
                "an ISO 8601 date-time such as 2024-05-01T12:00:00Z".to_string()
            }
            "url" => "a URL such as https://example.com".to_string(),
            "email" => "an email address".to_string(),
            "ipv4" => "an IPv4 address".to_string(),
            "ipv6" => "an IPv6 address".to_string(),
            _ => "valid YAML".to_string(),
        })
    }
}
