//! # opa-aws
//!
//! Cloud backends for OPA-rs: AWS (STS, IAM, DynamoDB, S3, Secrets Manager) and the embedded
//! local cloud. They implement the cloud traits defined in opa-core.
