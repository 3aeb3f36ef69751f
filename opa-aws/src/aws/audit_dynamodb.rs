//! [`AuditLog`] on a DynamoDB table: one item per record, written with a condition so a
//! retried write never duplicates, read with Query on an index (never Scan), page by page.
//!
//! The table (as bootstrap makes it): hash key `id` (String), range key `createdAt` (String),
//! on-demand, point-in-time recovery, and global secondary indexes with `createdAt` as their
//! range key: `appName-createdAt-index`, `envName-createdAt-index`, `userKey-createdAt-index`
//! (the lowercased `initiatedBy`, since users compare case-insensitively) and
//! `recordType-createdAt-index` (every record, for a query with no app, environment or user).

use std::collections::HashMap;

use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, GlobalSecondaryIndex, KeySchemaElement,
    KeyType, PointInTimeRecoverySpecification, Projection, ProjectionType, ScalarAttributeType,
};
use opa_core::audit::{AuditLog, AuditQuery, AuditRecord, AuditStatus};
use opa_core::cloud::{CloudError, CloudSession};

use super::config::AwsConfig;
use super::error::{cloud_error, code};

/// The index for queries by app and time.
pub const APP_INDEX: &str = "appName-createdAt-index";
/// The index for queries by environment and time.
pub const ENV_INDEX: &str = "envName-createdAt-index";
/// The index for queries by user (lowercased) and time.
pub const USER_INDEX: &str = "userKey-createdAt-index";
/// The index of every record by time.
pub const ALL_INDEX: &str = "recordType-createdAt-index";
/// The `recordType` of audit records.
const RECORD_TYPE: &str = "audit";

/// The audit log on DynamoDB.
#[derive(Debug, Clone)]
pub struct DynamoDbAuditLog {
    client: Client,
    table: String,
    page_size: i32,
}

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn item(r: &AuditRecord) -> HashMap<String, AttributeValue> {
    let mut m = HashMap::from([
        ("id".to_string(), s(&r.id)),
        ("createdAt".to_string(), s(r.created_at.to_string())),
        ("initiatedBy".to_string(), s(&r.initiated_by)),
        ("owner".to_string(), s(&r.owner)),
        ("assumedRole".to_string(), s(&r.assumed_role)),
        ("targetAccount".to_string(), s(&r.target_account)),
        ("targetRegion".to_string(), s(&r.target_region)),
        ("prefix".to_string(), s(&r.prefix)),
        ("providerName".to_string(), s(&r.provider_name)),
        ("envName".to_string(), s(&r.env_name)),
        ("appName".to_string(), s(&r.app_name)),
        ("actionType".to_string(), s(&r.action_type)),
        ("actionName".to_string(), s(&r.action_name)),
        ("request".to_string(), s(r.request.to_string())),
        ("status".to_string(), s(r.status.as_str())),
        ("message".to_string(), s(&r.message)),
        ("recordType".to_string(), s(RECORD_TYPE)),
    ]);
    // Index keys may not be empty strings: a record without one is left out of that index.
    if !r.initiated_by.is_empty() {
        m.insert("userKey".into(), s(r.initiated_by.to_lowercase()));
    }
    for key in ["appName", "envName"] {
        if matches!(m.get(key), Some(AttributeValue::S(v)) if v.is_empty()) {
            m.remove(key);
        }
    }
    m
}

fn record(item: &HashMap<String, AttributeValue>) -> Result<AuditRecord, CloudError> {
    let get = |k: &str| -> String {
        match item.get(k) {
            Some(AttributeValue::S(v)) => v.clone(),
            _ => String::new(),
        }
    };
    let id = get("id");
    let bad = |what: &str, e: String| {
        CloudError::Backend(format!("audit record {id}: invalid {what}: {e}"))
    };
    Ok(AuditRecord {
        created_at: get("createdAt").parse().map_err(|e| bad("createdAt", e))?,
        initiated_by: get("initiatedBy"),
        owner: get("owner"),
        assumed_role: get("assumedRole"),
        target_account: get("targetAccount"),
        target_region: get("targetRegion"),
        prefix: get("prefix"),
        provider_name: get("providerName"),
        env_name: get("envName"),
        app_name: get("appName"),
        action_type: get("actionType"),
        action_name: get("actionName"),
        request: serde_json::from_str(&get("request"))
            .map_err(|e| bad("request", e.to_string()))?,
        status: AuditStatus::parse(&get("status")).ok_or_else(|| bad("status", get("status")))?,
        message: get("message"),
        id: id.clone(),
    })
}

impl DynamoDbAuditLog {
    /// The log in `table`, acting as `session`.
    pub fn new(config: &AwsConfig, session: &CloudSession, table: impl Into<String>) -> Self {
        Self::from_sdk(config, &config.session(session), table)
    }

    /// The log in `table` in `region`, with the default provider chain's credentials.
    pub async fn default_chain(config: &AwsConfig, region: &str, table: impl Into<String>) -> Self {
        Self::from_sdk(config, &config.default_chain(region).await, table)
    }

    pub(crate) fn from_sdk(config: &AwsConfig, sdk: &SdkConfig, table: impl Into<String>) -> Self {
        Self {
            client: config.dynamodb(sdk),
            table: table.into(),
            page_size: 100,
        }
    }

    /// Reads at most `n` items per Query call (default 100).
    pub fn with_page_size(mut self, n: u32) -> Self {
        self.page_size = i32::try_from(n.max(1)).unwrap_or(i32::MAX);
        self
    }

    /// The table's name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Creates the table with its indexes (on demand) and turns on point-in-time recovery;
    /// waits until it is active. Returns false when it existed already.
    pub async fn create_table(&self) -> Result<bool, CloudError> {
        create_audit_table(&self.client, &self.table).await
    }

    async fn page(
        &self,
        index: &str,
        key: (&str, &str),
        query: &AuditQuery,
        newest_first: bool,
        start: Option<HashMap<String, AttributeValue>>,
    ) -> Result<(Vec<AuditRecord>, Option<HashMap<String, AttributeValue>>), CloudError> {
        let mut condition = "#pk = :pk".to_string();
        let mut req = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(index)
            .expression_attribute_names("#pk", key.0)
            .expression_attribute_values(":pk", s(key.1))
            .scan_index_forward(!newest_first)
            .limit(self.page_size)
            .set_exclusive_start_key(start);
        match (query.since, query.until) {
            (Some(a), Some(b)) => {
                // BETWEEN includes `until`; the exclusive end is applied on the results.
                condition.push_str(" AND #ts BETWEEN :since AND :until");
                req = req
                    .expression_attribute_values(":since", s(a.to_string()))
                    .expression_attribute_values(":until", s(b.to_string()));
            }
            (Some(a), None) => {
                condition.push_str(" AND #ts >= :since");
                req = req.expression_attribute_values(":since", s(a.to_string()));
            }
            (None, Some(b)) => {
                condition.push_str(" AND #ts < :until");
                req = req.expression_attribute_values(":until", s(b.to_string()));
            }
            (None, None) => {}
        }
        if query.since.is_some() || query.until.is_some() {
            req = req.expression_attribute_names("#ts", "createdAt");
        }
        let out = req
            .key_condition_expression(condition)
            .send()
            .await
            .map_err(|e| cloud_error(e, "dynamodb:Query", "table", &self.table))?;
        let records = out
            .items()
            .iter()
            .map(record)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((records, out.last_evaluated_key().cloned()))
    }
}

/// Creates the audit table `name` (see the module docs); false when it exists.
pub(crate) async fn create_audit_table(client: &Client, name: &str) -> Result<bool, CloudError> {
    let attr = |n: &str| {
        AttributeDefinition::builder()
            .attribute_name(n)
            .attribute_type(ScalarAttributeType::S)
            .build()
    };
    let key = |n: &str, t: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(n)
            .key_type(t)
            .build()
    };
    let index = |name: &str, hash: &str| -> Result<GlobalSecondaryIndex, CloudError> {
        GlobalSecondaryIndex::builder()
            .index_name(name)
            .key_schema(key(hash, KeyType::Hash).map_err(build_error)?)
            .key_schema(key("createdAt", KeyType::Range).map_err(build_error)?)
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::All)
                    .build(),
            )
            .build()
            .map_err(build_error)
    };
    let mut req = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key("id", KeyType::Hash).map_err(build_error)?)
        .key_schema(key("createdAt", KeyType::Range).map_err(build_error)?);
    for a in [
        "id",
        "createdAt",
        "appName",
        "envName",
        "userKey",
        "recordType",
    ] {
        req = req.attribute_definitions(attr(a).map_err(build_error)?);
    }
    for (i, hash) in [
        (APP_INDEX, "appName"),
        (ENV_INDEX, "envName"),
        (USER_INDEX, "userKey"),
        (ALL_INDEX, "recordType"),
    ] {
        req = req.global_secondary_indexes(index(i, hash)?);
    }
    match req.send().await {
        Ok(_) => {}
        Err(e) if code(&e) == Some("ResourceInUseException") => return Ok(false),
        Err(e) => return Err(cloud_error(e, "dynamodb:CreateTable", "table", name)),
    }
    wait_active(client, name).await?;
    enable_pitr(client, name).await?;
    Ok(true)
}

/// Turns on point-in-time recovery.
pub(crate) async fn enable_pitr(client: &Client, name: &str) -> Result<(), CloudError> {
    client
        .update_continuous_backups()
        .table_name(name)
        .point_in_time_recovery_specification(
            PointInTimeRecoverySpecification::builder()
                .point_in_time_recovery_enabled(true)
                .build()
                .map_err(build_error)?,
        )
        .send()
        .await
        .map_err(|e| cloud_error(e, "dynamodb:UpdateContinuousBackups", "table", name))?;
    Ok(())
}

/// Waits (up to about a minute) until table `name` is active.
pub(crate) async fn wait_active(client: &Client, name: &str) -> Result<(), CloudError> {
    for _ in 0..120 {
        let out = client
            .describe_table()
            .table_name(name)
            .send()
            .await
            .map_err(|e| cloud_error(e, "dynamodb:DescribeTable", "table", name))?;
        let active = out
            .table()
            .and_then(|t| t.table_status())
            .is_some_and(|s| s.as_str() == "ACTIVE");
        if active {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    Err(CloudError::Backend(format!(
        "table {name} did not become active"
    )))
}

pub(crate) fn build_error(e: aws_sdk_dynamodb::error::BuildError) -> CloudError {
    CloudError::InvalidRequest(e.to_string())
}

#[async_trait]
impl AuditLog for DynamoDbAuditLog {
    async fn append(&self, record: &AuditRecord) -> Result<(), CloudError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item(record)))
            .condition_expression("attribute_not_exists(id)")
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            // Written before (a retried append, or a retry of the SDK after a lost answer):
            // the first record stays.
            Err(e) if code(&e) == Some("ConditionalCheckFailedException") => {
                tracing::debug!(id = %record.id, "audit record already written");
                Ok(())
            }
            Err(e) => Err(cloud_error(e, "dynamodb:PutItem", "table", &self.table)),
        }
    }

    async fn query(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, CloudError> {
        let user_key = query.user.as_ref().map(|u| u.to_lowercase());
        let (index, key) = if let Some(app) = &query.app {
            (APP_INDEX, ("appName", app.as_str()))
        } else if let Some(env) = &query.env {
            (ENV_INDEX, ("envName", env.as_str()))
        } else if let Some(user) = &user_key {
            (USER_INDEX, ("userKey", user.as_str()))
        } else {
            (ALL_INDEX, ("recordType", RECORD_TYPE))
        };
        // With a limit, read newest first and stop once enough match.
        let newest_first = query.limit.is_some();
        let want = query.limit.unwrap_or(usize::MAX);
        let mut found = Vec::new();
        let mut start = None;
        loop {
            let (records, next) = self.page(index, key, query, newest_first, start).await?;
            found.extend(records.into_iter().filter(|r| query.matches(r)));
            if found.len() >= want || next.is_none() {
                break;
            }
            start = next;
        }
        Ok(query.finish(found))
    }
}
