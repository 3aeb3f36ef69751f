//! # opa-vcs
//!
//! Version-control backends for OPA-rs: local git repositories (the embedded default), GitLab and
//! GitHub. They implement the `Vcs` trait defined in opa-core.
