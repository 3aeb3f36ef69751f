//! The runtime a provider offers and the infrastructure-as-code tool it is built with.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Where apps run on a provider (`metadata.envType` of a provider).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuntimeType {
    /// Amazon ECS services.
    Ecs,
    /// Amazon EKS (Kubernetes) deployments.
    Eks,
    /// AWS Lambda functions.
    Serverless,
    /// Lambda functions calling Amazon Bedrock.
    GenAiServerless,
}

impl RuntimeType {
    /// Every runtime type, in OPA's order.
    pub const ALL: [RuntimeType; 4] = [
        RuntimeType::Ecs,
        RuntimeType::Eks,
        RuntimeType::Serverless,
        RuntimeType::GenAiServerless,
    ];

    /// The name OPA writes (`ecs`, `eks`, `serverless`, `gen-ai-serverless`).
    pub fn as_str(self) -> &'static str {
        match self {
            RuntimeType::Ecs => "ecs",
            RuntimeType::Eks => "eks",
            RuntimeType::Serverless => "serverless",
            RuntimeType::GenAiServerless => "gen-ai-serverless",
        }
    }

    /// Whether the runtime needs a VPC and a cluster (ECS and EKS do).
    pub fn needs_cluster(self) -> bool {
        matches!(self, RuntimeType::Ecs | RuntimeType::Eks)
    }
}

impl fmt::Display for RuntimeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RuntimeType {
    type Err = String;

    /// Parses OPA's names, case-insensitively (OPA lowercases `envType` when it reads it).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuntimeType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("expected one of ecs, eks, serverless, gen-ai-serverless, found \"{s}\"")
            })
    }
}

/// The infrastructure-as-code tool of a provider or an app (`metadata.iacType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IacType {
    /// AWS CDK (CloudFormation underneath).
    Cdk,
    /// Terraform.
    Terraform,
}

impl IacType {
    /// The name OPA writes (`cdk`, `terraform`).
    pub fn as_str(self) -> &'static str {
        match self {
            IacType::Cdk => "cdk",
            IacType::Terraform => "terraform",
        }
    }
}

impl fmt::Display for IacType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IacType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cdk" => Ok(IacType::Cdk),
            "terraform" => Ok(IacType::Terraform),
            _ => Err(format!("expected cdk or terraform, found \"{s}\"")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_names() {
        for t in RuntimeType::ALL {
            assert_eq!(t.as_str().parse::<RuntimeType>(), Ok(t));
        }
        assert_eq!("ECS".parse::<RuntimeType>(), Ok(RuntimeType::Ecs));
        assert!("lambda".parse::<RuntimeType>().is_err());
        assert_eq!("Terraform".parse::<IacType>(), Ok(IacType::Terraform));
        assert!("pulumi".parse::<IacType>().is_err());
        assert!(RuntimeType::Eks.needs_cluster() && !RuntimeType::Serverless.needs_cluster());
    }
}
