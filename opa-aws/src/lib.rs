//! # opa-aws
//!
//! Cloud backends for OPA-rs: AWS (STS, IAM, DynamoDB, S3, Secrets Manager) and the embedded
//! local cloud ([`local`]). They implement the cloud traits defined in opa-core
//! ([`opa_core::cloud`], [`opa_core::audit::AuditLog`]).

#[cfg(feature = "aws")]
pub mod aws;
pub mod local;
