//! Account bootstrap: compute a plan (what exists, what will be created or changed), then apply
//! it. Apply is idempotent: a second apply changes nothing.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use async_trait::async_trait;
use serde::Serialize;

use super::credentials::CloudSession;
use super::error::CloudError;
use super::oidc::OidcSubject;
use crate::config::SecretString;

/// What to bootstrap in one account and region for one environment of a platform.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BootstrapRequest {
    /// The 12-digit account; must be the one the session belongs to.
    pub account: String,
    /// The region.
    pub region: String,
    /// The platform prefix (`opa`).
    pub prefix: String,
    /// The environment (`dev`).
    pub env_name: String,
    /// `ORG/REPO` whose GitHub Actions may assume the provisioning role, if any.
    pub github_repo: Option<String>,
    /// A GitLab host (`gitlab.example.com`) whose pipelines of `gitlab_project` may assume it.
    pub gitlab_host: Option<String>,
    /// `GROUP/PROJECT` on `gitlab_host`.
    pub gitlab_project: Option<String>,
    /// The provisioning role's name (default `<prefix>-<env>-provisioning-role`).
    pub provisioning_role_name: Option<String>,
    /// The operations role's name (default `<prefix>-<env>-operations-role`).
    pub operations_role_name: Option<String>,
    /// Plan (and apply) the teardown of what bootstrap made.
    pub destroy: bool,
    /// Overwrite drifted resources.
    pub force: bool,
    /// Which pipeline runs the OIDC trusts let assume the provisioning role (branches, GitHub
    /// environments); empty: [`OidcSubject::defaults`] (branch `main` and the GitHub
    /// environment named like `env_name`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub oidc_subjects: Vec<OidcSubject>,
    /// The GitHub token stored in the secret [`BootstrapRequest::github_secret`] (as its
    /// `apiToken`); without it the secret is made empty and an existing one kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub github_token: Option<SecretString>,
    /// The GitLab token stored in the secret [`BootstrapRequest::gitlab_secret`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gitlab_token: Option<SecretString>,
}

impl BootstrapRequest {
    /// The provisioning role's name.
    pub fn provisioning_role(&self) -> String {
        self.provisioning_role_name
            .clone()
            .unwrap_or_else(|| format!("{}-{}-provisioning-role", self.prefix, self.env_name))
    }

    /// The operations role's name.
    pub fn operations_role(&self) -> String {
        self.operations_role_name
            .clone()
            .unwrap_or_else(|| format!("{}-{}-operations-role", self.prefix, self.env_name))
    }

    /// The audit table's name (`<prefix>-<env>-audit`).
    pub fn audit_table(&self) -> String {
        format!("{}-{}-audit", self.prefix, self.env_name)
    }

    /// The Terraform state bucket's name (`<prefix>-<account>-<region>-tf-state`, as the
    /// generated pipelines expect it).
    pub fn state_bucket(&self) -> String {
        format!("{}-{}-{}-tf-state", self.prefix, self.account, self.region)
    }

    /// The OIDC subjects the provisioning role trusts: the request's, else the defaults.
    pub fn oidc_subjects(&self) -> Vec<OidcSubject> {
        if self.oidc_subjects.is_empty() {
            OidcSubject::defaults(&self.env_name)
        } else {
            self.oidc_subjects.clone()
        }
    }

    /// The Secrets Manager secret holding the GitHub credentials pipelines and the platform
    /// read (`<prefix>-admin-github-secrets`, OPA's `opa-admin-github-secrets`), made when
    /// `github_repo` is set.
    pub fn github_secret(&self) -> String {
        format!("{}-admin-github-secrets", self.prefix)
    }

    /// The secret holding the GitLab credentials (`<prefix>-admin-gitlab-secrets`, OPA's
    /// `opa-admin-gitlab-secrets`), made when `gitlab_host` is set.
    pub fn gitlab_secret(&self) -> String {
        format!("{}-admin-gitlab-secrets", self.prefix)
    }

    /// The Terraform lock table's name (`<prefix>-tf-lock`).
    pub fn lock_table(&self) -> String {
        format!("{}-tf-lock", self.prefix)
    }
}

/// What applying does to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeAction {
    /// It does not exist and will be created.
    Create,
    /// It exists and will be changed to match.
    Update,
    /// It exists and will be removed (`destroy`).
    Delete,
    /// It exists as it should.
    Unchanged,
    /// It exists with a different configuration; changed only when forced.
    Drift,
}

/// One resource in a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedChange {
    /// The resource type (`iam-role`, `iam-oidc-provider`, `s3-bucket`, `dynamodb-table`,
    /// `ssm-parameter`, `secret`).
    pub resource: String,
    /// Its name.
    pub name: String,
    /// What happens to it.
    pub action: ChangeAction,
    /// What differs, for updates and drift.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A bootstrap plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BootstrapPlan {
    /// The account.
    pub account: String,
    /// The region.
    pub region: String,
    /// Every resource, in the order they are applied.
    pub changes: Vec<PlannedChange>,
}

impl BootstrapPlan {
    /// Whether applying would change nothing.
    pub fn is_noop(&self) -> bool {
        self.changes
            .iter()
            .all(|c| c.action == ChangeAction::Unchanged)
    }

    /// Whether something drifted.
    pub fn has_drift(&self) -> bool {
        self.changes.iter().any(|c| c.action == ChangeAction::Drift)
    }

    /// A readable diff: `+` create, `~` update, `-` delete, `!` drift, ` ` unchanged.
    pub fn to_text(&self) -> String {
        let mut s = format!("bootstrap plan for {} in {}:\n", self.account, self.region);
        for c in &self.changes {
            let mark = match c.action {
                ChangeAction::Create => '+',
                ChangeAction::Update => '~',
                ChangeAction::Delete => '-',
                ChangeAction::Drift => '!',
                ChangeAction::Unchanged => ' ',
            };
            let _ = write!(s, "{mark} {} {}", c.resource, c.name);
            if let Some(d) = &c.detail {
                let _ = write!(s, " ({d})");
            }
            s.push('\n');
        }
        s
    }
}

/// What bootstrap made, as a provider entity's metadata needs it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionedResources {
    /// The provisioning role's ARN.
    pub provisioning_role_arn: String,
    /// The operations role's ARN.
    pub operations_role_arn: String,
    /// The audit table's name.
    pub audit_table: String,
    /// The Terraform state bucket.
    pub state_bucket: String,
    /// The Terraform lock table.
    pub lock_table: String,
    /// The OIDC providers' ARNs.
    pub oidc_providers: Vec<String>,
    /// The parameters written, by name.
    pub parameters: BTreeMap<String, String>,
    /// The secrets bootstrap made (names; never their values).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
}

impl ProvisionedResources {
    /// The provider entity's metadata fields that provisioning fills in (`provisioningRole`,
    /// `operationRole`, `auditTable`), to merge into an `AWSEnvironmentProvider`'s `metadata`.
    pub fn provider_metadata(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut m = serde_json::Map::new();
        m.insert(
            "provisioningRole".into(),
            self.provisioning_role_arn.clone().into(),
        );
        m.insert(
            "operationRole".into(),
            self.operations_role_arn.clone().into(),
        );
        m.insert("auditTable".into(), self.audit_table.clone().into());
        m
    }
}

/// Plans and applies an account's platform resources.
#[async_trait]
pub trait Bootstrapper: Send + Sync {
    /// What applying `request` would do; changes nothing.
    async fn plan(
        &self,
        session: &CloudSession,
        request: &BootstrapRequest,
    ) -> Result<BootstrapPlan, CloudError>;

    /// Applies `request` and returns the plan it carried out and what exists afterwards (empty
    /// after a destroy). Fails with [`CloudError::Drift`] when something drifted and the
    /// request is not forced, and with [`CloudError::AccessDenied`] when the session's account
    /// is not the request's.
    async fn apply(
        &self,
        session: &CloudSession,
        request: &BootstrapRequest,
    ) -> Result<(BootstrapPlan, ProvisionedResources), CloudError>;
}
