//! The platform model of OPA on AWS: environments ([`AwsEnvironment`]) and the environment
//! providers they deploy to ([`AwsEnvironmentProvider`]). Both are catalog kinds with
//! `apiVersion: aws.backstage.io/v1alpha`, validated with the built-in kinds.

pub mod aws_ids;
mod checks;
pub mod environment;
pub mod provider;

pub use environment::{AwsEnvironment, EnvironmentMetadata, EnvironmentSpec};
pub use provider::{AwsEnvironmentProvider, ProviderMetadata, ProviderSpec};

/// The `apiVersion` of the platform kinds.
pub const PLATFORM_API_VERSION: &str = "aws.backstage.io/v1alpha";
