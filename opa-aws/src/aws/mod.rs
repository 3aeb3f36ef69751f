//! The AWS backends, on the `aws-sdk-*` crates (cargo feature `aws`, on by default).
//!
//! - [`AwsCredentials`]: the platform's credentials (the default provider chain: environment,
//!   profiles, SSO, credential processes, instance roles; or explicit temporary credentials),
//!   and role assumption with session tags, cached until shortly before expiry;
//! - [`DynamoDbAuditLog`]: the audit log on a DynamoDB table (conditional writes, Query on
//!   indexes, pagination, throttling retried with backoff);
//! - [`SsmParameters`] and [`SecretsManagerSecrets`]: parameters and secrets;
//! - [`AwsAppRuntime`]: operating apps on ECS services and Lambda functions (start, stop,
//!   restart, environment variables, releases); EKS apps are not operated yet;
//! - [`AwsBootstrapper`]: plans and applies an account's platform resources (IAM roles and OIDC
//!   providers, the Terraform state bucket and lock table, the audit table, parameters).
//!
//! Every client is built from an [`AwsConfig`] (endpoint override for moto or LocalStack,
//! retries, interceptors) and, for calls inside an account, from a
//! [`CloudSession`](opa_core::cloud::CloudSession).

/// Log filter directives (`tracing-subscriber` `EnvFilter` syntax) that any program logging the
/// AWS backends at TRACE must add: at TRACE the SDK's request signer (`aws_sigv4`) logs the
/// canonical request and its orchestrator (`aws_smithy_runtime`) and HTTP client log whole
/// requests, with the `x-amz-security-token` header, the session token.
pub const LOG_DIRECTIVES: &[&str] = &[
    "aws_sigv4=off",
    "aws_smithy_runtime=debug",
    "aws_smithy_runtime_api=debug",
    "aws_smithy_http_client=debug",
];

mod audit_dynamodb;
mod bootstrap;
mod config;
mod credentials;
mod error;
mod parameters;
mod runtime;
mod secrets;

pub use audit_dynamodb::DynamoDbAuditLog;
pub use bootstrap::{AwsBootstrapper, ROLE_POLICY_NAME};
pub use config::AwsConfig;
pub use credentials::AwsCredentials;
pub use parameters::SsmParameters;
pub use runtime::AwsAppRuntime;
pub use secrets::SecretsManagerSecrets;
