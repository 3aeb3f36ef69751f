//! Failures of the platform model: an entity that is missing, of the wrong kind or not usable
//! yet (a provider that is not provisioned).

use std::fmt;

use serde::Serialize;

use crate::entity::EntityRef;

/// A failure to build or resolve the platform model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PlatformError {
    /// No entity with this reference is in the catalog.
    #[error("{0} is not in the catalog")]
    NotFound(EntityRef),
    /// The entity is not of the kind the model needs.
    #[error("{entity} is a {found}, not {expected}")]
    WrongKind {
        /// The entity.
        entity: EntityRef,
        /// What the model needs (`an AWSEnvironment`, `a Component of type aws-app`).
        expected: &'static str,
        /// What it is.
        found: String,
    },
    /// A field of an entity does not have the form the model needs.
    #[error("{entity}: {path}: {message}")]
    InvalidField {
        /// The entity.
        entity: EntityRef,
        /// The dotted path of the field (`metadata.level`).
        path: String,
        /// The expectation and what was found.
        message: String,
    },
    /// A provider lacks parts that provisioning fills in.
    #[error(transparent)]
    NotProvisioned(#[from] NotProvisioned),
}

impl PlatformError {
    /// A stable kebab-case code for `--format json` and the bindings.
    pub fn code(&self) -> &'static str {
        match self {
            PlatformError::NotFound(_) => "not-found",
            PlatformError::WrongKind { .. } => "wrong-kind",
            PlatformError::InvalidField { .. } => "invalid-field",
            PlatformError::NotProvisioned(_) => "not-provisioned",
        }
    }
}

/// A part of an environment provider, named as the provider entity's metadata names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ProviderPart {
    /// `metadata.awsAccount`.
    Account,
    /// `metadata.awsRegion`.
    Region,
    /// `metadata.prefix`.
    Prefix,
    /// `metadata.envType`.
    RuntimeType,
    /// `metadata.iacType`.
    IacType,
    /// `metadata.provisioningRole`.
    ProvisioningRole,
    /// `metadata.operationRole`.
    OperationsRole,
    /// `metadata.auditTable`.
    AuditTable,
    /// `metadata.vpc` (required for ECS and EKS).
    Vpc,
    /// `metadata.clusterName` (required for ECS and EKS).
    Cluster,
}

impl ProviderPart {
    /// The metadata field holding this part.
    pub fn field(self) -> &'static str {
        match self {
            ProviderPart::Account => "awsAccount",
            ProviderPart::Region => "awsRegion",
            ProviderPart::Prefix => "prefix",
            ProviderPart::RuntimeType => "envType",
            ProviderPart::IacType => "iacType",
            ProviderPart::ProvisioningRole => "provisioningRole",
            ProviderPart::OperationsRole => "operationRole",
            ProviderPart::AuditTable => "auditTable",
            ProviderPart::Vpc => "vpc",
            ProviderPart::Cluster => "clusterName",
        }
    }

    /// What the part is, in words.
    pub fn describe(self) -> &'static str {
        match self {
            ProviderPart::Account => "AWS account",
            ProviderPart::Region => "AWS region",
            ProviderPart::Prefix => "prefix",
            ProviderPart::RuntimeType => "runtime type",
            ProviderPart::IacType => "IaC type",
            ProviderPart::ProvisioningRole => "provisioning role",
            ProviderPart::OperationsRole => "operations role",
            ProviderPart::AuditTable => "audit table",
            ProviderPart::Vpc => "VPC",
            ProviderPart::Cluster => "cluster",
        }
    }
}

impl fmt::Display for ProviderPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (metadata.{})", self.describe(), self.field())
    }
}

/// A provider whose required parts are missing or empty, naming each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct NotProvisioned {
    /// The provider.
    pub provider: EntityRef,
    /// The missing parts, in the order of [`ProviderPart`].
    pub missing: Vec<ProviderPart>,
}

impl fmt::Display for NotProvisioned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "environment provider {} is not provisioned: missing ",
            self.provider
        )?;
        for (i, part) in self.missing.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{part}")?;
        }
        Ok(())
    }
}
