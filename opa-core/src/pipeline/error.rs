//! Failures to generate a pipeline.

/// Why a pipeline could not be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// The app is deployed to no environment.
    #[error("app {0} has no environment to deploy to (add an AWSEnvironment to spec.dependsOn)")]
    NoEnvironments(String),
    /// An environment has no provider.
    #[error("environment {0} has no environment provider (spec.dependsOn)")]
    NoProviders(String),
    /// Neither the app nor its providers say which IaC tool deploys it.
    #[error("app {0} has no IaC type: set metadata.iacType to cdk or terraform")]
    NoIacType(String),
    /// A provider's provisioning role is not an IAM role ARN.
    #[error(
        "the provisioning role of {provider} is not an IAM role ARN (found \"{value}\"); resolve SSM parameter names before generating a pipeline"
    )]
    RoleNotArn {
        /// The provider.
        provider: String,
        /// What it holds.
        value: String,
    },
    /// The YAML emitter failed.
    #[error("cannot write the pipeline as YAML: {0}")]
    Emit(String),
}
