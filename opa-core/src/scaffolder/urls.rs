//! Where a `url` input is read from: relative to the template's own directory, or a remote URL
//! served from a local folder by `opa.yaml`'s `urlRewrites`. There is no network access.

use std::path::{Path, PathBuf};

use super::workspace::resolve_safe_child;

/// A `url` input that cannot be served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// A remote URL that no `urlRewrites` prefix maps to a folder.
    #[error(
        "cannot read {0}: remote URLs are not fetched; add a urlRewrites entry to opa.yaml that maps a prefix of it to a local folder"
    )]
    NotServed(String),
    /// A relative URL, but the template has no directory (it was not read from a file).
    #[error("cannot read {0}: a relative url needs the template's directory")]
    NoTemplateDir(String),
    /// The URL leaves the folder it is read from.
    #[error("cannot read {url}: {reason}")]
    Unsafe {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
}

/// Reads `url` inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlResolver {
    /// `(prefix, folder)`, longest prefix first.
    pub rewrites: Vec<(String, PathBuf)>,
}

impl UrlResolver {
    /// A resolver with `urlRewrites` (any order).
    pub fn new(mut rewrites: Vec<(String, PathBuf)>) -> Self {
        rewrites.sort_by_key(|(prefix, _)| std::cmp::Reverse(prefix.len()));
        Self { rewrites }
    }

    /// The local path `url` is read from.
    pub fn resolve(&self, url: &str, template_dir: Option<&Path>) -> Result<PathBuf, UrlError> {
        if has_scheme(url) {
            let Some((prefix, folder)) = self
                .rewrites
                .iter()
                .find(|(p, _)| url.starts_with(p.as_str()))
            else {
                return Err(UrlError::NotServed(url.to_string()));
            };
            let rest = url[prefix.len()..]
                .split(['?', '#'])
                .next()
                .unwrap_or_default()
                .trim_start_matches('/');
            let rest = if rest.is_empty() { "." } else { rest };
            return resolve_safe_child(folder, rest, "the urlRewrites folder").map_err(|e| {
                UrlError::Unsafe {
                    url: url.to_string(),
                    reason: e.to_string(),
                }
            });
        }
        let Some(dir) = template_dir else {
            return Err(UrlError::NoTemplateDir(url.to_string()));
        };
        resolve_safe_child(dir, url, "the template directory").map_err(|e| UrlError::Unsafe {
            url: url.to_string(),
            reason: e.to_string(),
        })
    }
}

fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_and_rewritten_urls() {
        let r = UrlResolver::new(vec![
            (
                "https://h/{{ x }}/repo/-/tree/main/".into(),
                PathBuf::from("/srv/ref"),
            ),
            ("https://h/".into(), PathBuf::from("/srv/h")),
        ]);
        assert_eq!(
            r.resolve("https://h/{{ x }}/repo/-/tree/main/common/ecs", None)
                .unwrap(),
            PathBuf::from("/srv/ref/common/ecs")
        );
        assert_eq!(
            r.resolve("https://h/a", None).unwrap(),
            PathBuf::from("/srv/h/a")
        );
        let err = r.resolve("https://github.com/x", None).unwrap_err();
        assert!(err.to_string().contains("https://github.com/x"), "{err}");
        assert!(r.resolve("https://h/../etc", None).is_err());
        assert_eq!(
            r.resolve("./skeleton", Some(Path::new("/t"))).unwrap(),
            PathBuf::from("/t/skeleton")
        );
        assert!(r.resolve("../../etc", Some(Path::new("/t"))).is_err());
        assert!(r.resolve("./x", None).is_err());
    }
}
