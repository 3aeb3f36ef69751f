//! The platform model of OPA on AWS.
//!
//! - The catalog kinds: environments ([`AwsEnvironment`]) and the environment providers they
//!   deploy to ([`AwsEnvironmentProvider`]). Both have `apiVersion: aws.backstage.io/v1alpha`
//!   and are validated with the built-in kinds.
//! - [`model`]: the resolved domain types read from catalog entities — [`EnvironmentProvider`],
//!   [`Environment`], [`Application`] — and the resolution environment → providers → accounts,
//!   regions and roles ([`ResolvedEnvironment`], what OPA's `opa:get-env-providers` returns)
//!   that pipelines, operations and the scaffolder's `opa:*` actions work with.

pub mod actions;
pub mod aws_ids;
mod checks;
pub mod environment;
pub mod model;
pub mod provider;

pub use environment::{AwsEnvironment, EnvironmentMetadata, EnvironmentSpec};
pub use model::{
    Application, EntityIndex, EntityLookup, Environment, EnvironmentProvider, IacType, Membership,
    NotProvisioned, PlatformError, ProviderPart, ResolvedEnvironment, ResolvedProvider,
    RuntimeType,
};
pub use provider::{AwsEnvironmentProvider, ProviderMetadata, ProviderSpec};

/// The `apiVersion` of the platform kinds.
pub const PLATFORM_API_VERSION: &str = "aws.backstage.io/v1alpha";
