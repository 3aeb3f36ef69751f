//! # opa-vcs
//!
//! Version-control backends of OPA-rs, implementing [`opa_core::vcs::Vcs`]:
//!
//! - [`LocalGit`]: the embedded default, a directory acting as a git host
//!   (`<root>/<owner>/<repo>.git` bare repositories) that plain `git clone` reads;
//! - [`GitLab`]: GitLab's REST API v4 (gitlab.com and self-managed), for discovery;
//! - [`GitHub`]: GitHub's REST API (github.com and GitHub Enterprise Server): repositories,
//!   commits through the git data API, pull requests, Actions secrets, variables and workflows.
//!
//! [`ConfigVcs`] picks the backend for each host from `opa.yaml`'s `integrations`.

mod config_vcs;
pub mod discover;
pub mod github;
pub mod gitlab;
mod local;
mod task_backends;

pub use config_vcs::ConfigVcs;
pub use github::GitHub;
pub use gitlab::GitLab;
pub use local::LocalGit;
pub use task_backends::task_backends;
