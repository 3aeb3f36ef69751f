//! [`Bootstrapper`] on IAM, S3, DynamoDB and SSM: what bootstrap wants (the same resources and
//! documents as the local cloud's bootstrap), compared with what the account has, as a plan;
//! then applied resource by resource. Applying twice changes nothing; a role whose trust policy
//! was changed by hand is drift, replaced only when forced.

use std::collections::BTreeMap;

use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};
use aws_sdk_s3::types::{
    BucketLocationConstraint, BucketVersioningStatus, CreateBucketConfiguration,
    PublicAccessBlockConfiguration, ServerSideEncryption, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, ServerSideEncryptionRule, VersioningConfiguration,
};
use opa_core::cloud::{
    BootstrapPlan, BootstrapRequest, Bootstrapper, ChangeAction, CloudError, CloudSession,
    PlannedChange, ProvisionedResources, SecretString,
};
use opa_core::platform::aws_ids::{is_account_id, is_region};
use serde_json::Value;

use super::audit_dynamodb::{self, ALL_INDEX, APP_INDEX, ENV_INDEX, USER_INDEX};
use super::config::AwsConfig;
use super::error::{cloud_error, code};
use crate::local::policy::{
    GITHUB_OIDC_URL, STS_AUDIENCE, check_oidc_subjects, gitlab_oidc_url, oidc_provider_arn,
    operations_policy, operations_trust, provisioning_policy, provisioning_trust,
};

/// The name of the inline policy bootstrap puts on its roles.
pub const ROLE_POLICY_NAME: &str = "opa-bootstrap";
/// GitHub's OIDC certificate thumbprints (IAM no longer checks them for GitHub, but older
/// accounts and tools still expect some).
const GITHUB_THUMBPRINTS: [&str; 2] = [
    "6938fd4d98bab03faadb97b34396831e3780aea1",
    "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
];

/// One resource bootstrap wants.
#[derive(Debug, Clone)]
enum Desired {
    Oidc {
        url: String,
    },
    Role {
        name: String,
        trust: Value,
        policy: Value,
    },
    Bucket {
        name: String,
    },
    LockTable {
        name: String,
    },
    AuditTable {
        name: String,
    },
    Parameter {
        name: String,
        value: String,
    },
    /// A Secrets Manager secret holding `{"apiToken": …}`; `token` `None` keeps an existing
    /// value and makes a new secret with an empty token.
    Secret {
        name: String,
        token: Option<SecretString>,
    },
}

impl Desired {
    fn resource(&self) -> &'static str {
        match self {
            Desired::Oidc { .. } => "iam-oidc-provider",
            Desired::Role { .. } => "iam-role",
            Desired::Bucket { .. } => "s3-bucket",
            Desired::LockTable { .. } | Desired::AuditTable { .. } => "dynamodb-table",
            Desired::Parameter { .. } => "ssm-parameter",
            Desired::Secret { .. } => "secret",
        }
    }

    fn name(&self) -> &str {
        match self {
            Desired::Oidc { url: name }
            | Desired::Role { name, .. }
            | Desired::Bucket { name }
            | Desired::LockTable { name }
            | Desired::AuditTable { name }
            | Desired::Parameter { name, .. }
            | Desired::Secret { name, .. } => name,
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
    });
    out.push(Desired::LockTable {
        name: request.lock_table(),
    });
    out.push(Desired::AuditTable {
        name: request.audit_table(),
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
    if request.github_repo.is_some() {
        out.push(Desired::Secret {
            name: request.github_secret(),
            token: request.github_token.clone(),
        });
    }
    if request.gitlab_host.is_some() {
        out.push(Desired::Secret {
            name: request.gitlab_secret(),
            token: request.gitlab_token.clone(),
        });
    }
    out
}

/// What a plan says about creating `d`, when there is something to say.
fn create_detail(d: &Desired) -> Option<String> {
    match d {
        Desired::Secret { token: None, .. } => Some(
            "empty apiToken: no token given (GITHUB_TOKEN or GITLAB_TOKEN); set it and apply again"
                .into(),
        ),
        _ => None,
    }
}

/// The `apiToken` of a secret's JSON value.
fn secret_token(value: &str) -> Option<String> {
    serde_json::from_str::<Value>(value)
        .ok()?
        .get("apiToken")?
        .as_str()
        .map(str::to_string)
}

/// `now` (a JSON object, else nothing) with its `apiToken` set to `token`.
fn secret_value(now: Option<&str>, token: &str) -> SecretString {
    let mut value = now
        .and_then(|v| serde_json::from_str::<Value>(v).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Default::default()));
    value["apiToken"] = Value::String(token.to_string());
    SecretString::new(value.to_string())
}

/// IAM returns policy documents URL-encoded.
fn policy_document(text: &str) -> Value {
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
    serde_json::from_str(&decoded).unwrap_or(Value::Null)
}

/// What is there for a resource: missing, or how it compares (with what differs).
type Found = Option<(ChangeAction, Option<String>)>;

/// The clients of one account and region.
struct Clients {
    iam: aws_sdk_iam::Client,
    s3: aws_sdk_s3::Client,
    dynamodb: aws_sdk_dynamodb::Client,
    ssm: aws_sdk_ssm::Client,
    secrets: aws_sdk_secretsmanager::Client,
}

impl Clients {
    fn new(config: &AwsConfig, sdk: &SdkConfig) -> Self {
        Self {
            iam: config.iam(sdk),
            s3: config.s3(sdk),
            dynamodb: config.dynamodb(sdk),
            ssm: config.ssm(sdk),
            secrets: config.secrets_manager(sdk),
        }
    }

    async fn inspect(&self, account: &str, d: &Desired) -> Result<Found, CloudError> {
        match d {
            Desired::Oidc { url } => self.inspect_oidc(account, url).await,
            Desired::Role {
                name,
                trust,
                policy,
            } => self.inspect_role(name, trust, policy).await,
            Desired::Bucket { name } => self.inspect_bucket(name).await,
            Desired::LockTable { name } => {
                self.inspect_table(name, &[("LockID", KeyType::Hash)], &[], false)
                    .await
            }
            Desired::AuditTable { name } => {
                self.inspect_table(
                    name,
                    &[("id", KeyType::Hash), ("createdAt", KeyType::Range)],
                    &[APP_INDEX, ENV_INDEX, USER_INDEX, ALL_INDEX],
                    true,
                )
                .await
            }
            Desired::Parameter { name, value } => {
                match self.ssm.get_parameter().name(name).send().await {
                    Ok(out) => {
                        let now = out.parameter().and_then(|p| p.value()).unwrap_or_default();
                        Ok(Some(if now == value {
                            (ChangeAction::Unchanged, None)
                        } else {
                            (ChangeAction::Update, Some(format!("value is \"{now}\"")))
                        }))
                    }
                    Err(e) if code(&e) == Some("ParameterNotFound") => Ok(None),
                    Err(e) => Err(cloud_error(e, "ssm:GetParameter", "parameter", name)),
                }
            }
            Desired::Secret { name, token } => self.inspect_secret(name, token.as_ref()).await,
        }
    }

    /// A secret: missing (or scheduled for deletion: applying restores it), or whether its
    /// `apiToken` is the one given. The plan says only whether the value differs.
    async fn inspect_secret(
        &self,
        name: &str,
        token: Option<&SecretString>,
    ) -> Result<Found, CloudError> {
        match self.secrets.describe_secret().secret_id(name).send().await {
            Ok(out) if out.deleted_date().is_some() => {
                return Ok(Some((
                    ChangeAction::Create,
                    Some(
                        match token {
                            Some(_) => {
                                "restores it from its scheduled deletion, with the token given"
                            }
                            None => "restores it from its scheduled deletion, with its value",
                        }
                        .into(),
                    ),
                )));
            }
            Ok(_) => {}
            Err(e) if code(&e) == Some("ResourceNotFoundException") => return Ok(None),
            Err(e) => {
                return Err(cloud_error(
                    e,
                    "secretsmanager:DescribeSecret",
                    "secret",
                    name,
                ));
            }
        }
        let Some(token) = token else {
            return Ok(Some((ChangeAction::Unchanged, None)));
        };
        let now = self
            .secrets
            .get_secret_value()
            .secret_id(name)
            .send()
            .await
            .map_err(|e| cloud_error(e, "secretsmanager:GetSecretValue", "secret", name))?;
        let same = secret_token(now.secret_string().unwrap_or_default())
            .is_some_and(|t| t == token.expose());
        Ok(Some(if same {
            (ChangeAction::Unchanged, None)
        } else {
            (ChangeAction::Update, Some("apiToken differs".into()))
        }))
    }

    async fn inspect_oidc(&self, account: &str, url: &str) -> Result<Found, CloudError> {
        let arn = oidc_provider_arn(account, url);
        match self
            .iam
            .get_open_id_connect_provider()
            .open_id_connect_provider_arn(&arn)
            .send()
            .await
        {
            Ok(out) => Ok(Some(
                if out.client_id_list().iter().any(|c| c == STS_AUDIENCE) {
                    (ChangeAction::Unchanged, None)
                } else {
                    (
                        ChangeAction::Update,
                        Some(format!("audience {STS_AUDIENCE} missing")),
                    )
                },
            )),
            Err(e) if code(&e) == Some("NoSuchEntity") => Ok(None),
            Err(e) => Err(cloud_error(
                e,
                "iam:GetOpenIDConnectProvider",
                "oidc-provider",
                &arn,
            )),
        }
    }

    async fn inspect_role(
        &self,
        name: &str,
        trust: &Value,
        policy: &Value,
    ) -> Result<Found, CloudError> {
        let role = match self.iam.get_role().role_name(name).send().await {
            Ok(out) => out.role().cloned(),
            Err(e) if code(&e) == Some("NoSuchEntity") => return Ok(None),
            Err(e) => return Err(cloud_error(e, "iam:GetRole", "role", name)),
        };
        let now_trust = role
            .as_ref()
            .and_then(|r| r.assume_role_policy_document())
            .map(policy_document)
            .unwrap_or(Value::Null);
        if now_trust != *trust {
            return Ok(Some((
                ChangeAction::Drift,
                Some(
                    "trust policy differs from bootstrap's; apply with --force to replace it"
                        .into(),
                ),
            )));
        }
        let now_policy = match self
            .iam
            .get_role_policy()
            .role_name(name)
            .policy_name(ROLE_POLICY_NAME)
            .send()
            .await
        {
            Ok(out) => policy_document(out.policy_document()),
            Err(e) if code(&e) == Some("NoSuchEntity") => Value::Null,
            Err(e) => return Err(cloud_error(e, "iam:GetRolePolicy", "role", name)),
        };
        Ok(Some(if now_policy == *policy {
            (ChangeAction::Unchanged, None)
        } else {
            (
                ChangeAction::Update,
                Some("permissions policy differs".into()),
            )
        }))
    }

    async fn inspect_bucket(&self, name: &str) -> Result<Found, CloudError> {
        match self.s3.head_bucket().bucket(name).send().await {
            Ok(_) => {}
            Err(e)
                if e.as_service_error().is_some_and(|s| s.is_not_found())
                    || code(&e) == Some("NotFound")
                    || code(&e) == Some("NoSuchBucket") =>
            {
                return Ok(None);
            }
            Err(e) => return Err(cloud_error(e, "s3:HeadBucket", "bucket", name)),
        }
        let mut differs = Vec::new();
        let versioning = self
            .s3
            .get_bucket_versioning()
            .bucket(name)
            .send()
            .await
            .map_err(|e| cloud_error(e, "s3:GetBucketVersioning", "bucket", name))?;
        if versioning.status() != Some(&BucketVersioningStatus::Enabled) {
            differs.push("versioning off");
        }
        match self.s3.get_bucket_encryption().bucket(name).send().await {
            Ok(out) => {
                let kms = out
                    .server_side_encryption_configuration()
                    .map(|c| c.rules())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|r| r.apply_server_side_encryption_by_default())
                    .any(|d| d.sse_algorithm() == &ServerSideEncryption::AwsKms);
                if !kms {
                    differs.push("not encrypted with KMS");
                }
            }
            Err(e) if code(&e) == Some("ServerSideEncryptionConfigurationNotFoundError") => {
                differs.push("no default encryption");
            }
            Err(e) => return Err(cloud_error(e, "s3:GetBucketEncryption", "bucket", name)),
        }
        match self.s3.get_public_access_block().bucket(name).send().await {
            Ok(out) => {
                let blocked = out.public_access_block_configuration().is_some_and(|c| {
                    c.block_public_acls() == Some(true)
                        && c.ignore_public_acls() == Some(true)
                        && c.block_public_policy() == Some(true)
                        && c.restrict_public_buckets() == Some(true)
                });
                if !blocked {
                    differs.push("public access not fully blocked");
                }
            }
            Err(e) if code(&e) == Some("NoSuchPublicAccessBlockConfiguration") => {
                differs.push("public access not blocked");
            }
            Err(e) => return Err(cloud_error(e, "s3:GetPublicAccessBlock", "bucket", name)),
        }
        Ok(Some(if differs.is_empty() {
            (ChangeAction::Unchanged, None)
        } else {
            (ChangeAction::Update, Some(differs.join(", ")))
        }))
    }

    async fn inspect_table(
        &self,
        name: &str,
        keys: &[(&str, KeyType)],
        indexes: &[&str],
        pitr: bool,
    ) -> Result<Found, CloudError> {
        let table = match self.dynamodb.describe_table().table_name(name).send().await {
            Ok(out) => out.table().cloned(),
            Err(e) if code(&e) == Some("ResourceNotFoundException") => return Ok(None),
            Err(e) => return Err(cloud_error(e, "dynamodb:DescribeTable", "table", name)),
        };
        let Some(table) = table else { return Ok(None) };
        let now_keys: Vec<(&str, &KeyType)> = table
            .key_schema()
            .iter()
            .map(|k| (k.attribute_name(), k.key_type()))
            .collect();
        let want_keys: Vec<(&str, &KeyType)> = keys.iter().map(|(n, t)| (*n, t)).collect();
        if now_keys != want_keys {
            return Ok(Some((
                ChangeAction::Drift,
                Some(format!(
                    "keys are {now_keys:?}, bootstrap wants {want_keys:?}; a table's keys cannot change"
                )),
            )));
        }
        let mut differs = Vec::new();
        let on_demand = table.billing_mode_summary().and_then(|b| b.billing_mode())
            == Some(&BillingMode::PayPerRequest);
        if !on_demand {
            differs.push("not on-demand".to_string());
        }
        let have: Vec<&str> = table
            .global_secondary_indexes()
            .iter()
            .filter_map(|i| i.index_name())
            .collect();
        let missing: Vec<&str> = indexes
            .iter()
            .copied()
            .filter(|i| !have.contains(i))
            .collect();
        if !missing.is_empty() {
            return Ok(Some((
                ChangeAction::Drift,
                Some(format!("indexes missing: {}", missing.join(", "))),
            )));
        }
        if pitr {
            let out = self
                .dynamodb
                .describe_continuous_backups()
                .table_name(name)
                .send()
                .await
                .map_err(|e| cloud_error(e, "dynamodb:DescribeContinuousBackups", "table", name))?;
            let on = out
                .continuous_backups_description()
                .and_then(|d| d.point_in_time_recovery_description())
                .and_then(|p| p.point_in_time_recovery_status())
                .is_some_and(|s| s.as_str() == "ENABLED");
            if !on {
                differs.push("point-in-time recovery off".into());
            }
        }
        Ok(Some(if differs.is_empty() {
            (ChangeAction::Unchanged, None)
        } else {
            (ChangeAction::Update, Some(differs.join(", ")))
        }))
    }

    async fn create_or_update(
        &self,
        request: &BootstrapRequest,
        d: &Desired,
        action: ChangeAction,
    ) -> Result<(), CloudError> {
        match d {
            Desired::Oidc { url } => {
                if action == ChangeAction::Create {
                    let mut req = self
                        .iam
                        .create_open_id_connect_provider()
                        .url(url)
                        .client_id_list(STS_AUDIENCE)
                        .tags(iam_tag(request)?);
                    if url == GITHUB_OIDC_URL {
                        for t in GITHUB_THUMBPRINTS {
                            req = req.thumbprint_list(t);
                        }
                    }
                    req.send().await.map_err(|e| {
                        cloud_error(e, "iam:CreateOpenIDConnectProvider", "oidc-provider", url)
                    })?;
                } else {
                    self.iam
                        .add_client_id_to_open_id_connect_provider()
                        .open_id_connect_provider_arn(oidc_provider_arn(&request.account, url))
                        .client_id(STS_AUDIENCE)
                        .send()
                        .await
                        .map_err(|e| {
                            cloud_error(
                                e,
                                "iam:AddClientIDToOpenIDConnectProvider",
                                "oidc-provider",
                                url,
                            )
                        })?;
                }
            }
            Desired::Role {
                name,
                trust,
                policy,
            } => {
                match action {
                    ChangeAction::Create => {
                        self.iam
                            .create_role()
                            .role_name(name)
                            .assume_role_policy_document(trust.to_string())
                            .description(format!(
                                "OPA {} role of {}-{}, made by opa bootstrap",
                                if name.ends_with("provisioning-role") {
                                    "provisioning"
                                } else {
                                    "operations"
                                },
                                request.prefix,
                                request.env_name
                            ))
                            .tags(iam_tag(request)?)
                            .send()
                            .await
                            .map_err(|e| cloud_error(e, "iam:CreateRole", "role", name))?;
                    }
                    ChangeAction::Drift => {
                        self.iam
                            .update_assume_role_policy()
                            .role_name(name)
                            .policy_document(trust.to_string())
                            .send()
                            .await
                            .map_err(|e| {
                                cloud_error(e, "iam:UpdateAssumeRolePolicy", "role", name)
                            })?;
                    }
                    _ => {}
                }
                self.iam
                    .put_role_policy()
                    .role_name(name)
                    .policy_name(ROLE_POLICY_NAME)
                    .policy_document(policy.to_string())
                    .send()
                    .await
                    .map_err(|e| cloud_error(e, "iam:PutRolePolicy", "role", name))?;
            }
            Desired::Bucket { name } => self.make_bucket(request, name, action).await?,
            Desired::LockTable { name } => {
                if action == ChangeAction::Create {
                    self.dynamodb
                        .create_table()
                        .table_name(name)
                        .billing_mode(BillingMode::PayPerRequest)
                        .attribute_definitions(
                            AttributeDefinition::builder()
                                .attribute_name("LockID")
                                .attribute_type(ScalarAttributeType::S)
                                .build()
                                .map_err(audit_dynamodb::build_error)?,
                        )
                        .key_schema(
                            KeySchemaElement::builder()
                                .attribute_name("LockID")
                                .key_type(KeyType::Hash)
                                .build()
                                .map_err(audit_dynamodb::build_error)?,
                        )
                        .send()
                        .await
                        .map_err(|e| cloud_error(e, "dynamodb:CreateTable", "table", name))?;
                    audit_dynamodb::wait_active(&self.dynamodb, name).await?;
                } else {
                    self.on_demand(name).await?;
                }
            }
            Desired::AuditTable { name } => {
                if action == ChangeAction::Create {
                    audit_dynamodb::create_audit_table(&self.dynamodb, name).await?;
                } else {
                    self.on_demand(name).await?;
                    audit_dynamodb::enable_pitr(&self.dynamodb, name).await?;
                }
            }
            Desired::Parameter { name, value } => {
                self.ssm
                    .put_parameter()
                    .name(name)
                    .value(value)
                    .r#type(aws_sdk_ssm::types::ParameterType::String)
                    .overwrite(true)
                    .send()
                    .await
                    .map_err(|e| cloud_error(e, "ssm:PutParameter", "parameter", name))?;
            }
            Desired::Secret { name, token } => {
                self.make_secret(request, name, token.as_ref(), action)
                    .await?;
            }
        }
        Ok(())
    }

    async fn make_secret(
        &self,
        request: &BootstrapRequest,
        name: &str,
        token: Option<&SecretString>,
        action: ChangeAction,
    ) -> Result<(), CloudError> {
        if action == ChangeAction::Create {
            // A destroy only schedules a secret's deletion: such a secret is restored, since
            // its name cannot be taken again until it is gone.
            let scheduled = match self.secrets.describe_secret().secret_id(name).send().await {
                Ok(out) => out.deleted_date().is_some(),
                Err(e) if code(&e) == Some("ResourceNotFoundException") => false,
                Err(e) => {
                    return Err(cloud_error(
                        e,
                        "secretsmanager:DescribeSecret",
                        "secret",
                        name,
                    ));
                }
            };
            if scheduled {
                self.secrets
                    .restore_secret()
                    .secret_id(name)
                    .send()
                    .await
                    .map_err(|e| cloud_error(e, "secretsmanager:RestoreSecret", "secret", name))?;
                if token.is_none() {
                    return Ok(());
                }
            } else {
                self.secrets
                    .create_secret()
                    .name(name)
                    .description(format!(
                        "Git credentials of OPA {}-{} (apiToken), made by opa bootstrap",
                        request.prefix, request.env_name
                    ))
                    .secret_string(
                        secret_value(None, token.map_or("", SecretString::expose)).expose(),
                    )
                    .tags(
                        aws_sdk_secretsmanager::types::Tag::builder()
                            .key("opa:bootstrap")
                            .value(format!("{}-{}", request.prefix, request.env_name))
                            .build(),
                    )
                    .send()
                    .await
                    .map_err(|e| cloud_error(e, "secretsmanager:CreateSecret", "secret", name))?;
                return Ok(());
            }
        }
        // Keep what else the secret holds (OPA's GitLab secret has username and password).
        let now = self
            .secrets
            .get_secret_value()
            .secret_id(name)
            .send()
            .await
            .map_err(|e| cloud_error(e, "secretsmanager:GetSecretValue", "secret", name))?;
        self.secrets
            .put_secret_value()
            .secret_id(name)
            .secret_string(
                secret_value(now.secret_string(), token.map_or("", SecretString::expose)).expose(),
            )
            .send()
            .await
            .map_err(|e| cloud_error(e, "secretsmanager:PutSecretValue", "secret", name))?;
        Ok(())
    }

    async fn on_demand(&self, name: &str) -> Result<(), CloudError> {
        let now = self
            .dynamodb
            .describe_table()
            .table_name(name)
            .send()
            .await
            .map_err(|e| cloud_error(e, "dynamodb:DescribeTable", "table", name))?;
        let on_demand = now
            .table()
            .and_then(|t| t.billing_mode_summary())
            .and_then(|b| b.billing_mode())
            == Some(&BillingMode::PayPerRequest);
        if !on_demand {
            self.dynamodb
                .update_table()
                .table_name(name)
                .billing_mode(BillingMode::PayPerRequest)
                .send()
                .await
                .map_err(|e| cloud_error(e, "dynamodb:UpdateTable", "table", name))?;
            audit_dynamodb::wait_active(&self.dynamodb, name).await?;
        }
        Ok(())
    }

    async fn make_bucket(
        &self,
        request: &BootstrapRequest,
        name: &str,
        action: ChangeAction,
    ) -> Result<(), CloudError> {
        if action == ChangeAction::Create {
            let mut req = self.s3.create_bucket().bucket(name);
            // us-east-1 is the one region that takes no location constraint.
            if request.region != "us-east-1" {
                req = req.create_bucket_configuration(
                    CreateBucketConfiguration::builder()
                        .location_constraint(BucketLocationConstraint::from(
                            request.region.as_str(),
                        ))
                        .build(),
                );
            }
            req.send()
                .await
                .map_err(|e| cloud_error(e, "s3:CreateBucket", "bucket", name))?;
        }
        self.s3
            .put_public_access_block()
            .bucket(name)
            .public_access_block_configuration(
                PublicAccessBlockConfiguration::builder()
                    .block_public_acls(true)
                    .ignore_public_acls(true)
                    .block_public_policy(true)
                    .restrict_public_buckets(true)
                    .build(),
            )
            .send()
            .await
            .map_err(|e| cloud_error(e, "s3:PutPublicAccessBlock", "bucket", name))?;
        self.s3
            .put_bucket_versioning()
            .bucket(name)
            .versioning_configuration(
                VersioningConfiguration::builder()
                    .status(BucketVersioningStatus::Enabled)
                    .build(),
            )
            .send()
            .await
            .map_err(|e| cloud_error(e, "s3:PutBucketVersioning", "bucket", name))?;
        let default = ServerSideEncryptionByDefault::builder()
            .sse_algorithm(ServerSideEncryption::AwsKms)
            .build()
            .map_err(|e| CloudError::InvalidRequest(e.to_string()))?;
        self.s3
            .put_bucket_encryption()
            .bucket(name)
            .server_side_encryption_configuration(
                ServerSideEncryptionConfiguration::builder()
                    .rules(
                        ServerSideEncryptionRule::builder()
                            .apply_server_side_encryption_by_default(default)
                            .bucket_key_enabled(true)
                            .build(),
                    )
                    .build()
                    .map_err(|e| CloudError::InvalidRequest(e.to_string()))?,
            )
            .send()
            .await
            .map_err(|e| cloud_error(e, "s3:PutBucketEncryption", "bucket", name))?;
        Ok(())
    }

    async fn delete(&self, request: &BootstrapRequest, d: &Desired) -> Result<(), CloudError> {
        match d {
            Desired::Oidc { url } => {
                let arn = oidc_provider_arn(&request.account, url);
                self.iam
                    .delete_open_id_connect_provider()
                    .open_id_connect_provider_arn(&arn)
                    .send()
                    .await
                    .map_err(|e| {
                        cloud_error(e, "iam:DeleteOpenIDConnectProvider", "oidc-provider", &arn)
                    })?;
            }
            Desired::Role { name, .. } => {
                match self
                    .iam
                    .delete_role_policy()
                    .role_name(name)
                    .policy_name(ROLE_POLICY_NAME)
                    .send()
                    .await
                {
                    Ok(_) => {}
                    Err(e) if code(&e) == Some("NoSuchEntity") => {}
                    Err(e) => return Err(cloud_error(e, "iam:DeleteRolePolicy", "role", name)),
                }
                self.iam
                    .delete_role()
                    .role_name(name)
                    .send()
                    .await
                    .map_err(|e| cloud_error(e, "iam:DeleteRole", "role", name))?;
            }
            Desired::Bucket { name } => {
                // Terraform state is not thrown away by a teardown: a bucket holding objects
                // (or old versions of them) stays until someone empties it on purpose.
                let listed = self
                    .s3
                    .list_object_versions()
                    .bucket(name)
                    .max_keys(1)
                    .send()
                    .await
                    .map_err(|e| cloud_error(e, "s3:ListObjectVersions", "bucket", name))?;
                if !listed.versions().is_empty() || !listed.delete_markers().is_empty() {
                    return Err(CloudError::InvalidRequest(format!(
                        "bucket {name} holds Terraform state; empty it (all versions) before --destroy"
                    )));
                }
                self.s3
                    .delete_bucket()
                    .bucket(name)
                    .send()
                    .await
                    .map_err(|e| cloud_error(e, "s3:DeleteBucket", "bucket", name))?;
            }
            Desired::LockTable { name } | Desired::AuditTable { name } => {
                self.dynamodb
                    .delete_table()
                    .table_name(name)
                    .send()
                    .await
                    .map_err(|e| cloud_error(e, "dynamodb:DeleteTable", "table", name))?;
            }
            Desired::Secret { name, .. } => {
                self.secrets
                    .delete_secret()
                    .secret_id(name)
                    .recovery_window_in_days(7)
                    .send()
                    .await
                    .map_err(|e| cloud_error(e, "secretsmanager:DeleteSecret", "secret", name))?;
            }
            Desired::Parameter { name, .. } => {
                self.ssm
                    .delete_parameter()
                    .name(name)
                    .send()
                    .await
                    .map_err(|e| cloud_error(e, "ssm:DeleteParameter", "parameter", name))?;
            }
        }
        Ok(())
    }
}

fn iam_tag(request: &BootstrapRequest) -> Result<aws_sdk_iam::types::Tag, CloudError> {
    aws_sdk_iam::types::Tag::builder()
        .key("opa:bootstrap")
        .value(format!("{}-{}", request.prefix, request.env_name))
        .build()
        .map_err(|e| CloudError::InvalidRequest(e.to_string()))
}

/// Bootstraps AWS accounts. The roles bootstrap makes trust the platform's account (by default
/// the account of the session that bootstraps, for a platform that runs in the account it
/// provisions).
#[derive(Debug, Clone)]
pub struct AwsBootstrapper {
    config: AwsConfig,
    platform_account: Option<String>,
}

impl AwsBootstrapper {
    /// A bootstrapper building its clients from `config`.
    pub fn new(config: AwsConfig) -> Self {
        Self {
            config,
            platform_account: None,
        }
    }

    /// The account the platform runs in, whose principals the roles trust.
    pub fn with_platform_account(mut self, account: impl Into<String>) -> Self {
        self.platform_account = Some(account.into());
        self
    }

    async fn prepare(
        &self,
        session: &CloudSession,
        request: &BootstrapRequest,
    ) -> Result<(Clients, Vec<Desired>), CloudError> {
        check_request(request)?;
        let sdk = self.config.session(session);
        let me = self
            .config
            .sts(&sdk)
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| cloud_error(e, "sts:GetCallerIdentity", "identity", ""))?;
        let account = me.account().unwrap_or_default();
        if account != request.account {
            return Err(CloudError::AccessDenied(format!(
                "the credentials belong to account {account}, not {}",
                request.account
            )));
        }
        let platform = self.platform_account.as_deref().unwrap_or(account);
        Ok((Clients::new(&self.config, &sdk), desired(request, platform)))
    }

    async fn make_plan(
        clients: &Clients,
        request: &BootstrapRequest,
        wanted: &[Desired],
    ) -> Result<(BootstrapPlan, Vec<usize>), CloudError> {
        let mut changes = Vec::new();
        let mut indexes = Vec::new();
        // Teardown goes in reverse: parameters and tables before roles and providers.
        let order: Vec<usize> = if request.destroy {
            (0..wanted.len()).rev().collect()
        } else {
            (0..wanted.len()).collect()
        };
        for i in order {
            let d = &wanted[i];
            let found = clients.inspect(&request.account, d).await?;
            let (action, detail) = match (request.destroy, found) {
                // Only something to create again (a secret scheduled for deletion): gone.
                (true, Some((ChangeAction::Create, _))) => continue,
                (true, Some(_)) => (ChangeAction::Delete, None),
                (true, None) => continue,
                (false, None) => (ChangeAction::Create, create_detail(d)),
                (false, Some(f)) => f,
            };
            changes.push(PlannedChange {
                resource: d.resource().into(),
                name: d.name().to_string(),
                action,
                detail,
            });
            indexes.push(i);
        }
        Ok((
            BootstrapPlan {
                account: request.account.clone(),
                region: request.region.clone(),
                changes,
            },
            indexes,
        ))
    }
}

fn check_request(request: &BootstrapRequest) -> Result<(), CloudError> {
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
        if v.is_empty()
            || !v
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(CloudError::InvalidRequest(format!(
                "{what} \"{v}\" must be lowercase letters, digits and - (it names S3 buckets)"
            )));
        }
    }
    check_oidc_subjects(request).map_err(CloudError::InvalidRequest)?;
    Ok(())
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
            .collect::<BTreeMap<_, _>>(),
        secrets: wanted
            .iter()
            .filter_map(|d| match d {
                Desired::Secret { name, .. } => Some(name.clone()),
                _ => None,
            })
            .collect(),
    }
}

#[async_trait]
impl Bootstrapper for AwsBootstrapper {
    async fn plan(
        &self,
        session: &CloudSession,
        request: &BootstrapRequest,
    ) -> Result<BootstrapPlan, CloudError> {
        let (clients, wanted) = self.prepare(session, request).await?;
        Ok(Self::make_plan(&clients, request, &wanted).await?.0)
    }

    async fn apply(
        &self,
        session: &CloudSession,
        request: &BootstrapRequest,
    ) -> Result<(BootstrapPlan, ProvisionedResources), CloudError> {
        let (clients, wanted) = self.prepare(session, request).await?;
        let (plan, indexes) = Self::make_plan(&clients, request, &wanted).await?;
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
            let d = &wanted[i];
            match change.action {
                ChangeAction::Unchanged => {}
                ChangeAction::Delete => clients.delete(request, d).await?,
                ChangeAction::Drift if !matches!(d, Desired::Role { .. }) => {
                    return Err(CloudError::Drift(format!(
                        "{} {}: {}; bootstrap cannot change it, even with --force",
                        change.resource,
                        change.name,
                        change.detail.as_deref().unwrap_or("differs")
                    )));
                }
                action => clients.create_or_update(request, d, action).await?,
            }
            tracing::info!(resource = %change.resource, name = %change.name, action = ?change.action, "bootstrap");
        }
        let made = if request.destroy {
            ProvisionedResources::default()
        } else {
            resources(request, &wanted)
        };
        Ok((plan, made))
    }
}
