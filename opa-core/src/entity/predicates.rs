//! Pure predicates on field values, as Backstage's `KubernetesValidatorFunctions` and
//! `CommonValidatorFunctions` define them. Byte-level (no regular expressions): every rule only
//! accepts ASCII, so a byte length is the JavaScript `length` for every value that can pass.

/// `[a-z0-9]+(-+[a-z0-9]+)*`, 1 to 63 characters (`isValidDnsLabel`).
pub fn is_valid_dns_label(value: &str) -> bool {
    let b = value.as_bytes();
    if b.is_empty() || b.len() > 63 {
        return false;
    }
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    alnum(b[0]) && alnum(b[b.len() - 1]) && b.iter().all(|&c| alnum(c) || c == b'-')
}

/// Dot-separated DNS labels, 1 to 253 characters (`isValidDnsSubdomain`).
pub fn is_valid_dns_subdomain(value: &str) -> bool {
    !value.is_empty() && value.len() <= 253 && value.split('.').all(is_valid_dns_label)
}

/// `[A-Za-z0-9]` first and last, `[-A-Za-z0-9_.]` between, 1 to 63 characters
/// (`isValidObjectName`: entity names, label values, the name part of label and annotation keys).
pub fn is_valid_object_name(value: &str) -> bool {
    let b = value.as_bytes();
    if b.is_empty() || b.len() > 63 {
        return false;
    }
    let inner = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.');
    b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|&c| inner(c))
}

/// `<suffix>` or `<prefix>/<suffix>` with each part checked (`isValidPrefixAndOrSuffix`).
fn prefix_and_or_suffix(
    value: &str,
    prefix: impl Fn(&str) -> bool,
    suffix: impl Fn(&str) -> bool,
) -> bool {
    let mut parts = value.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(s), None, _) => suffix(s),
        (Some(p), Some(s), None) => prefix(p) && suffix(s),
        _ => false,
    }
}

/// `[dns-subdomain/]name` where name is `[a-zA-Z0-9]{1,63}` (`isValidApiVersion`).
pub fn is_valid_api_version(value: &str) -> bool {
    prefix_and_or_suffix(value, is_valid_dns_subdomain, |n| {
        !n.is_empty() && n.len() <= 63 && n.bytes().all(|c| c.is_ascii_alphanumeric())
    })
}

/// `[a-zA-Z][a-zA-Z0-9]*`, 1 to 63 characters (`isValidKind`).
pub fn is_valid_kind(value: &str) -> bool {
    let b = value.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphabetic()
        && b.iter().all(|c| c.is_ascii_alphanumeric())
}

/// An entity name (`isValidEntityName`, which is `isValidObjectName`).
pub fn is_valid_entity_name(value: &str) -> bool {
    is_valid_object_name(value)
}

/// A namespace: a DNS label (`isValidNamespace`).
pub fn is_valid_namespace(value: &str) -> bool {
    is_valid_dns_label(value)
}

/// `[dns-subdomain/]object-name` (`isValidLabelKey`).
pub fn is_valid_label_key(value: &str) -> bool {
    prefix_and_or_suffix(value, is_valid_dns_subdomain, is_valid_object_name)
}

/// Empty, or an object name (`isValidLabelValue`).
pub fn is_valid_label_value(value: &str) -> bool {
    value.is_empty() || is_valid_object_name(value)
}

/// `[dns-subdomain/]object-name` (`isValidAnnotationKey`).
pub fn is_valid_annotation_key(value: &str) -> bool {
    prefix_and_or_suffix(value, is_valid_dns_subdomain, is_valid_object_name)
}

/// `[a-z0-9:+#]+(-[a-z0-9:+#]+)*`, 1 to 63 characters (the catalog's `isValidTag`).
pub fn is_valid_tag(value: &str) -> bool {
    let b = value.as_bytes();
    if b.is_empty() || b.len() > 63 {
        return false;
    }
    let part =
        |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b':' | b'+' | b'#');
    part(b[0])
        && part(b[b.len() - 1])
        && b.iter().all(|&c| part(c) || c == b'-')
        && !value.contains("--")
}

/// A URL as the WHATWG URL parser (JavaScript's `new URL(value)`) accepts it (`isValidUrl`).
pub fn is_valid_url(value: &str) -> bool {
    url::Url::parse(value).is_ok()
}

/// A string with something other than whitespace (`isNonEmptyString`; JavaScript's `trim`).
pub fn is_non_empty_string(value: &str) -> bool {
    value
        .chars()
        .any(|c| !(c.is_whitespace() || c == '\u{feff}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_labels() {
        for ok in ["a", "a-b", "a--b", "0", "abc123"] {
            assert!(is_valid_dns_label(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "A", "a_b", "a.b", &"a".repeat(64)] {
            assert!(!is_valid_dns_label(bad), "{bad}");
        }
    }

    #[test]
    fn object_names() {
        for ok in ["a", "A.b_c-D", "x1", &"a".repeat(63)] {
            assert!(is_valid_object_name(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", ".a", "a b", "ä", &"a".repeat(64)] {
            assert!(!is_valid_object_name(bad), "{bad}");
        }
    }

    #[test]
    fn api_versions_and_kinds() {
        assert!(is_valid_api_version("backstage.io/v1alpha1"));
        assert!(is_valid_api_version("v1"));
        assert!(!is_valid_api_version("a/b/c"));
        assert!(!is_valid_api_version("Backstage.io/v1"));
        assert!(!is_valid_api_version("backstage.io/v1-alpha"));
        assert!(is_valid_kind("Component"));
        assert!(!is_valid_kind("1Component"));
        assert!(!is_valid_kind("My-Kind"));
    }

    #[test]
    fn keys_tags_urls() {
        assert!(is_valid_label_key("backstage.io/source-location"));
        assert!(!is_valid_label_key("Backstage.io/x"));
        assert!(!is_valid_label_key("a/b/c"));
        assert!(is_valid_label_value(""));
        assert!(is_valid_tag("c++"));
        assert!(is_valid_tag("c#"));
        assert!(is_valid_tag("a:b"));
        assert!(!is_valid_tag("a--b"));
        assert!(!is_valid_tag("Java"));
        assert!(!is_valid_tag("-a"));
        assert!(is_valid_url("https://example.com"));
        assert!(is_valid_url("mailto:a@b.c"));
        assert!(!is_valid_url("example.com"));
        assert!(!is_valid_url(""));
        assert!(is_non_empty_string(" x "));
        assert!(!is_non_empty_string(" \t\u{feff}"));
    }
}
