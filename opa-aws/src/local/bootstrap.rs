//! Local bootstrap: the same resources the AWS bootstrapper makes, recorded in the state with
//! their settings, planned as a diff against what is there.

use std::collections::BTreeMap;

use async_trait::async_trait;
use opa_core::cloud::{
    BootstrapPlan, BootstrapRequest, Bootstrapper, ChangeAction, CloudError, CloudSession,
    PlannedChange, ProvisionedResources,
};
use opa_core::platform::aws_ids::{is_account_id, is_region};
use serde_json::Value;

use super::cloud::LocalCloud;
use super::policy::{
    GITHUB_OIDC_URL, STS_AUDIENCE, gitlab_oidc_url, oidc_provider_arn, operations_policy,
    operations_trust, provisioning_policy, provisioning_trust,
};
use super::state::{BucketState, LocalState, OidcProviderState, RoleState, TableState};

/// One resource bootstrap wants.
enum Desired {
    Role {
        name: String,
        trust: Value,
        policy: Value,
    },
    Oidc {
        url: String,
    },
    Bucket {
        name: String,
        settings: BucketState,
    },
    Table {
        name: String,
        settings: TableState,
    },
    Parameter {
        name: String,
        value: String,
    },
}

impl Desired {
    fn resource(&self) -> &'static str {
        match self {
            Desired::Role { .. } => "iam-role",
            Desired::Oidc { .. } => "iam-oidc-provider",
            Desired::Bucket { .. } => "s3-bucket",
            Desired::Table { .. } => "dynamodb-table",
            Desired::Parameter { .. } => "ssm-parameter",
        }
    }

    fn name(&self) -> &str {
        match self {
            Desired::Role { name, .. }
            | Desired::Bucket { name, .. }
            | Desired::Table { name, .. }
            | Desired::Parameter { name, .. } => name,
            Desired::Oidc { url } => url,
        }
    }
}

fn role_arn(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:role/{name}")
}

fn parameter_names(request: &BootstrapRequest) -> [String; 3] {
    let base = format!("/{}/{}", request.prefix, request.env_name);
    [
        format!("{base}/provisioning-role-arn"),
        format!("{base}/operations-role-arn"),
        format!("{base}/audit-table"),
    ]
}

fn desired(request: &BootstrapRequest, platform_account: &str) -> Vec<Desired> {
    let account = &request.account;
    let mut out = Vec::new();
    if request.github_repo.is_some() {
        out.push(Desired::Oidc {
            url: GITHUB_OIDC_URL.to_string(),
        });
    }
    if let (Some(host), Some(_)) = (&request.gitlab_host, &request.gitlab_project) {
        out.push(Desired::Oidc {
            url: gitlab_oidc_url(host),
        });
    }
    out.push(Desired::Role {
        name: request.provisioning_role(),
        trust: provisioning_trust(request, platform_account),
        policy: provisioning_policy(request),
    });
    out.push(Desired::Role {
        name: request.operations_role(),
        trust: operations_trust(platform_account),
        policy: operations_policy(request),
    });
    out.push(Desired::Bucket {
        name: request.state_bucket(),
        settings: BucketState {
            region: request.region.clone(),
            versioning: true,
            encryption: "aws:kms".into(),
            public_access_blocked: true,
        },
    });
    out.push(Desired::Table {
        name: request.lock_table(),
        settings: TableState {
            hash_key: ("LockID".into(), "S".into()),
            range_key: None,
            indexes: BTreeMap::new(),
            on_demand: true,
            point_in_time_recovery: false,
        },
    });
    out.push(Desired::Table {
        name: request.audit_table(),
        settings: TableState {
            hash_key: ("id".into(), "S".into()),
            range_key: Some(("createdAt".into(), "S".into())),
            indexes: BTreeMap::from([(
                "appName-createdAt-index".to_string(),
                ("appName".to_string(), "createdAt".to_string()),
            )]),
            on_demand: true,
            point_in_time_recovery: true,
        },
    });
    let [prov, ops, audit] = parameter_names(request);
    out.push(Desired::Parameter {
        name: prov,
        value: role_arn(account, &request.provisioning_role()),
    });
    out.push(Desired::Parameter {
        name: ops,
        value: role_arn(account, &request.operations_role()),
    });
    out.push(Desired::Parameter {
        name: audit,
        value: request.audit_table(),
    });
    out
}

/// What is there for `d`: `None` when missing, else whether it matches (and what differs).
fn compare(state: &LocalState, request: &BootstrapRequest, d: &Desired) -> Option<ChangeAction> {
    let account = state.accounts.get(&request.account)?;
    let region = account.regions.get(&request.region);
    Some(match d {
        Desired::Role {
            name,
            trust,
            policy,
        } => {
            let role = account.roles.get(name)?;
            if role.trust_policy != *trust {
                ChangeAction::Drift
            } else if role.policy != *policy {
                ChangeAction::Update
            } else {
                ChangeAction::Unchanged
            }
        }
        Desired::Oidc { url } => {
            let p = account.oidc_providers.get(url)?;
            if p.audiences == [STS_AUDIENCE] {
                ChangeAction::Unchanged
            } else {
                ChangeAction::Update
            }
        }
        Desired::Bucket { name, settings } => {
            if account.buckets.get(name)? == settings {
                ChangeAction::Unchanged
            } else {
                ChangeAction::Update
            }
        }
        Desired::Table { name, settings } => {
            if region?.tables.get(name)? == settings {
                ChangeAction::Unchanged
            } else {
                ChangeAction::Update
            }
        }
        Desired::Parameter { name, value } => {
            if region?.parameters.get(name)? == value {
                ChangeAction::Unchanged
            } else {
                ChangeAction::Update
            }
        }
    })
}

fn detail(action: ChangeAction, d: &Desired) -> Option<String> {
    match (action, d) {
        (ChangeAction::Drift, _) => {
            Some("trust policy differs from bootstrap's; apply with --force to replace it".into())
        }
        (ChangeAction::Update, Desired::Role { .. }) => Some("permissions policy differs".into()),
        (ChangeAction::Update, _) => Some("settings differ".into()),
        _ => None,
    }
}

/// The plan, and for each change the index of its resource in `wanted`.
fn make_plan(
    state: &LocalState,
    request: &BootstrapRequest,
    wanted: &[Desired],
) -> (BootstrapPlan, Vec<usize>) {
    let (changes, indexes) = wanted
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let found = compare(state, request, d);
            let action = match (request.destroy, found) {
                (true, Some(_)) => ChangeAction::Delete,
                (true, None) => return None,
                (false, None) => ChangeAction::Create,
                (false, Some(a)) => a,
            };
            Some((
                PlannedChange {
                    resource: d.resource().into(),
                    name: d.name().to_string(),
                    action,
                    detail: detail(action, d),
                },
                i,
            ))
        })
        .unzip();
    (
        BootstrapPlan {
            account: request.account.clone(),
            region: request.region.clone(),
            changes,
        },
        indexes,
    )
}

fn check_request(session: &CloudSession, request: &BootstrapRequest) -> Result<(), CloudError> {
    if !is_account_id(&request.account) {
        return Err(CloudError::InvalidRequest(format!(
            "account \"{}\" is not a 12-digit AWS account id",
            request.account
        )));
    }
    if !is_region(&request.region) {
        return Err(CloudError::InvalidRequest(format!(
            "region \"{}\" is not an AWS region",
            request.region
        )));
    }
    for (what, v) in [
        ("prefix", &request.prefix),
        ("environment", &request.env_name),
    ] {
        if v.is_empty() || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(CloudError::InvalidRequest(format!(
                "{what} \"{v}\" must be letters, digits and -"
            )));
        }
    }
    super::policy::check_oidc_subjects(request).map_err(CloudError::InvalidRequest)?;
    if session.credentials.account != request.account {
        return Err(CloudError::AccessDenied(format!(
            "the credentials belong to account {}, not {}",
            session.credentials.account, request.account
        )));
    }
    Ok(())
}

fn apply_one(state: &mut LocalState, request: &BootstrapRequest, d: &Desired, delete: bool) {
    let account_id = request.account.clone();
    let account = state.account_mut(&account_id);
    match d {
        Desired::Role {
            name,
            trust,
            policy,
        } => {
            if delete {
                account.roles.remove(name);
            } else {
                account.roles.insert(
                    name.clone(),
                    RoleState {
                        arn: role_arn(&account_id, name),
                        trust_policy: trust.clone(),
                        policy: policy.clone(),
                    },
                );
            }
        }
        Desired::Oidc { url } => {
            if delete {
                account.oidc_providers.remove(url);
            } else {
                account.oidc_providers.insert(
                    url.clone(),
                    OidcProviderState {
                        arn: oidc_provider_arn(&account_id, url),
                        audiences: vec![STS_AUDIENCE.into()],
                    },
                );
            }
        }
        Desired::Bucket { name, settings } => {
            if delete {
                account.buckets.remove(name);
            } else {
                account.buckets.insert(name.clone(), settings.clone());
            }
        }
        Desired::Table { name, settings } => {
            let region = state.region_mut(&account_id, &request.region);
            if delete {
                region.tables.remove(name);
            } else {
                region.tables.insert(name.clone(), settings.clone());
            }
        }
        Desired::Parameter { name, value } => {
            let region = state.region_mut(&account_id, &request.region);
            if delete {
                region.parameters.remove(name);
            } else {
                region.parameters.insert(name.clone(), value.clone());
            }
        }
    }
}

fn resources(request: &BootstrapRequest, wanted: &[Desired]) -> ProvisionedResources {
    let account = &request.account;
    ProvisionedResources {
        provisioning_role_arn: role_arn(account, &request.provisioning_role()),
        operations_role_arn: role_arn(account, &request.operations_role()),
        audit_table: request.audit_table(),
        state_bucket: request.state_bucket(),
        lock_table: request.lock_table(),
        oidc_providers: wanted
            .iter()
            .filter_map(|d| match d {
                Desired::Oidc { url } => Some(oidc_provider_arn(account, url)),
                _ => None,
            })
            .collect(),
        parameters: wanted
            .iter()
            .filter_map(|d| match d {
                Desired::Parameter { name, value } => Some((name.clone(), value.clone())),
                _ => None,
            })
            .collect(),
        // The local cloud keeps no Git credentials: its pipelines run on the local git backend.
        secrets: Vec::new(),
    }
}

#[async_trait]
impl Bootstrapper for LocalCloud {
    async fn plan(
        &self,
        session: &CloudSession,
        request: &BootstrapRequest,
    ) -> Result<BootstrapPlan, CloudError> {
        check_request(session, request)?;
        let wanted = desired(request, self.platform_account());
        self.read(|state| {
            LocalCloud::check_session(state, session, &request.account)?;
            Ok(make_plan(state, request, &wanted).0)
        })
    }

    async fn apply(
        &self,
        session: &CloudSession,
        request: &BootstrapRequest,
    ) -> Result<(BootstrapPlan, ProvisionedResources), CloudError> {
        check_request(session, request)?;
        let wanted = desired(request, self.platform_account());
        self.update(|state| {
            LocalCloud::check_session(state, session, &request.account)?;
            let (plan, indexes) = make_plan(state, request, &wanted);
            if plan.has_drift() && !request.force {
                let drifted: Vec<&str> = plan
                    .changes
                    .iter()
                    .filter(|c| c.action == ChangeAction::Drift)
                    .map(|c| c.name.as_str())
                    .collect();
                return Err(CloudError::Drift(format!(
                    "{} changed outside bootstrap; apply with --force to replace",
                    drifted.join(", ")
                )));
            }
            for (change, &i) in plan.changes.iter().zip(&indexes) {
                if change.action != ChangeAction::Unchanged {
                    apply_one(
                        state,
                        request,
                        &wanted[i],
                        change.action == ChangeAction::Delete,
                    );
                }
            }
            let made = if request.destroy {
                ProvisionedResources::default()
            } else {
                resources(request, &wanted)
            };
            Ok((plan, made))
        })
    }
}
