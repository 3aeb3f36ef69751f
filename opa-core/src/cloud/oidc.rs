//! Which pipeline runs an OIDC trust lets assume a provisioning role: a branch, or a GitHub
//! deployment environment — the part after `repo:<org>/<repo>:` of GitHub's `sub` claim.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// A pipeline run a provisioning role trusts through OIDC.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OidcSubject {
    /// Runs on a branch: GitHub `repo:<org>/<repo>:ref:refs/heads/<branch>`, GitLab
    /// `project_path:<group>/<project>:ref_type:branch:ref:<branch>`.
    Branch(String),
    /// GitHub jobs that deploy to a GitHub environment: `repo:<org>/<repo>:environment:<env>`.
    /// GitLab's `sub` claim names no environment, so GitLab trusts ignore these.
    Environment(String),
}

impl OidcSubject {
    /// The subjects bootstrap trusts when none are given: branch `main` and the GitHub
    /// environment named like the platform environment.
    pub fn defaults(env_name: &str) -> Vec<OidcSubject> {
        vec![
            OidcSubject::Branch("main".into()),
            OidcSubject::Environment(env_name.into()),
        ]
    }

    /// GitHub's `sub` claim for `repo` (`ORG/REPO`).
    pub fn github_sub(&self, repo: &str) -> String {
        format!("repo:{repo}:{self}")
    }

    /// GitLab's `sub` claim for `project` (`GROUP/PROJECT`); `None` for an environment.
    pub fn gitlab_sub(&self, project: &str) -> Option<String> {
        match self {
            OidcSubject::Branch(b) => {
                Some(format!("project_path:{project}:ref_type:branch:ref:{b}"))
            }
            OidcSubject::Environment(_) => None,
        }
    }
}

impl fmt::Display for OidcSubject {
    /// `ref:refs/heads/<branch>` or `environment:<env>`, as in GitHub's `sub` claim.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OidcSubject::Branch(b) => write!(f, "ref:refs/heads/{b}"),
            OidcSubject::Environment(e) => write!(f, "environment:{e}"),
        }
    }
}

/// Why a subject could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "OIDC subject \"{0}\" must be ref:refs/heads/<branch>, branch:<branch> or environment:<env> (names without spaces, quotes or wildcards other than *)"
)]
pub struct InvalidOidcSubject(pub String);

impl FromStr for OidcSubject {
    type Err = InvalidOidcSubject;

    /// Reads `ref:refs/heads/<branch>`, `branch:<branch>` or `environment:<env>`. A `*` in the
    /// name is IAM's `StringLike` wildcard (`release/*`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || InvalidOidcSubject(s.to_string());
        let s = s.trim();
        let (make, name): (fn(String) -> OidcSubject, &str) =
            if let Some(b) = s.strip_prefix("ref:refs/heads/") {
                (OidcSubject::Branch, b)
            } else if let Some(b) = s.strip_prefix("branch:") {
                (OidcSubject::Branch, b)
            } else if let Some(e) = s.strip_prefix("environment:") {
                (OidcSubject::Environment, e)
            } else {
                return Err(bad());
            };
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '"' | '?' | ':'));
        if valid {
            Ok(make(name.to_string()))
        } else {
            Err(bad())
        }
    }
}

impl Serialize for OidcSubject {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_branches_and_environments() {
        assert_eq!(
            "ref:refs/heads/release/2.x".parse(),
            Ok(OidcSubject::Branch("release/2.x".into()))
        );
        assert_eq!(
            "branch:develop".parse(),
            Ok(OidcSubject::Branch("develop".into()))
        );
        assert_eq!(
            "environment:prod".parse(),
            Ok(OidcSubject::Environment("prod".into()))
        );
        assert_eq!(
            "branch:release/*".parse(),
            Ok(OidcSubject::Branch("release/*".into()))
        );
        for bad in [
            "main",
            "branch:",
            "environment:",
            "tag:v1",
            "branch:a b",
            "branch:a\"b",
            "environment:a:b",
        ] {
            assert!(bad.parse::<OidcSubject>().is_err(), "{bad} must be refused");
        }
    }

    #[test]
    fn claims_for_github_and_gitlab() {
        let b = OidcSubject::Branch("develop".into());
        let e = OidcSubject::Environment("qa".into());
        assert_eq!(
            b.github_sub("acme/infra"),
            "repo:acme/infra:ref:refs/heads/develop"
        );
        assert_eq!(e.github_sub("acme/infra"), "repo:acme/infra:environment:qa");
        assert_eq!(
            b.gitlab_sub("platform/infra").as_deref(),
            Some("project_path:platform/infra:ref_type:branch:ref:develop")
        );
        assert_eq!(e.gitlab_sub("platform/infra"), None);
        assert_eq!(
            serde_json::to_value(&b).unwrap(),
            serde_json::json!("ref:refs/heads/develop")
        );
        assert_eq!(
            OidcSubject::defaults("dev"),
            vec![
                OidcSubject::Branch("main".into()),
                OidcSubject::Environment("dev".into())
            ]
        );
    }
}
