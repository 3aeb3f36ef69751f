//! A team's request for a namespace, and its validation.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Position, codes};

/// The CPU quota when the request does not say.
pub const DEFAULT_CPU: &str = "4";
/// The memory quota when the request does not say.
pub const DEFAULT_MEMORY: &str = "8Gi";

/// The environments a team namespace can be for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// `dev`.
    Dev,
    /// `staging`.
    Staging,
    /// `production`.
    Production,
}

impl Environment {
    /// The environment's name as it appears in the namespace name.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Dev => "dev",
            Environment::Staging => "staging",
            Environment::Production => "production",
        }
    }
}

impl std::str::FromStr for Environment {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "dev" => Ok(Environment::Dev),
            "staging" => Ok(Environment::Staging),
            "production" => Ok(Environment::Production),
            other => Err(format!(
                "environment must be one of dev, staging, production; found {other:?}"
            )),
        }
    }
}

/// A request for a team namespace: `teamName`, `environment`, and the quota
/// (`resourceQuota.cpuLimit`, `resourceQuota.memoryLimit`), as the scaffolder action takes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceRequest {
    /// The team (a DNS label: lowercase letters, digits and `-`).
    pub team_name: String,
    /// `dev`, `staging` or `production`.
    pub environment: String,
    /// The quota.
    #[serde(default)]
    pub resource_quota: QuotaRequest,
}

/// The quota part of a [`NamespaceRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotaRequest {
    /// CPU for the whole namespace, a Kubernetes quantity (`4`, `2500m`); default `4`.
    #[serde(default = "default_cpu")]
    pub cpu_limit: String,
    /// Memory for the whole namespace, a Kubernetes quantity (`8Gi`); default `8Gi`.
    #[serde(default = "default_memory")]
    pub memory_limit: String,
}

fn default_cpu() -> String {
    DEFAULT_CPU.to_string()
}

fn default_memory() -> String {
    DEFAULT_MEMORY.to_string()
}

impl Default for QuotaRequest {
    fn default() -> Self {
        Self {
            cpu_limit: default_cpu(),
            memory_limit: default_memory(),
        }
    }
}

static DNS_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$").expect("valid regex"));
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$")
        .expect("valid regex")
});

impl NamespaceRequest {
    /// A request with the default quota.
    pub fn new(team: impl Into<String>, environment: impl Into<String>) -> Self {
        Self {
            team_name: team.into(),
            environment: environment.into(),
            resource_quota: QuotaRequest::default(),
        }
    }

    /// Sets the CPU quota.
    pub fn with_cpu(mut self, cpu: impl Into<String>) -> Self {
        self.resource_quota.cpu_limit = cpu.into();
        self
    }

    /// Sets the memory quota.
    pub fn with_memory(mut self, memory: impl Into<String>) -> Self {
        self.resource_quota.memory_limit = memory.into();
        self
    }

    /// The namespace name: `<team>-<environment>`.
    pub fn namespace_name(&self) -> String {
        format!("{}-{}", self.team_name, self.environment)
    }

    /// Every problem of the request (empty when it is valid). Paths are the scaffolder input's
    /// (`teamName`, `environment`, `resourceQuota.cpuLimit`, `resourceQuota.memoryLimit`).
    pub fn problems(&self) -> Vec<Diagnostic> {
        let at = Position::new(1, 1);
        let mut out = Vec::new();
        if !DNS_LABEL.is_match(&self.team_name) {
            out.push(Diagnostic::new(
                codes::INVALID_VALUE,
                "teamName",
                format!(
                    "teamName must be lowercase letters, digits and '-', starting and ending with a letter or digit; found {:?}",
                    self.team_name
                ),
                at,
            ));
        }
        if let Err(e) = self.environment.parse::<Environment>() {
            out.push(Diagnostic::new(codes::INVALID_VALUE, "environment", e, at));
        }
        let name = self.namespace_name();
        if out.is_empty() && name.len() > 63 {
            out.push(Diagnostic::new(
                codes::INVALID_VALUE,
                "teamName",
                format!(
                    "the namespace name {name:?} is {} characters, more than Kubernetes' 63",
                    name.len()
                ),
                at,
            ));
        }
        for (path, value) in [
            ("resourceQuota.cpuLimit", &self.resource_quota.cpu_limit),
            (
                "resourceQuota.memoryLimit",
                &self.resource_quota.memory_limit,
            ),
        ] {
            if !QUANTITY.is_match(value) {
                out.push(Diagnostic::new(
                    codes::INVALID_VALUE,
                    path,
                    format!("{path} must be a Kubernetes quantity such as \"4\", \"500m\" or \"8Gi\"; found {value:?}"),
                    at,
                ));
            }
        }
        out
    }
}
