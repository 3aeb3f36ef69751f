//! # opa-vcs
//!
//! Version-control backends of OPA-rs, implementing [`opa_core::vcs::Vcs`]:
//!
//! - [`LocalGit`]: the embedded default, a directory acting as a git host
//!   (`<root>/<owner>/<repo>.git` bare repositories) that plain `git clone` reads;
//! - GitLab and GitHub (later).
//!
//! [`ConfigVcs`] picks the backend for each host from `opa.yaml`'s `integrations`.

mod config_vcs;
mod local;

pub use config_vcs::ConfigVcs;
pub use local::LocalGit;
