//! Bulk upserts: many entities of one blueprint per call, at most [`BULK_LIMIT`] at a time, with
//! the entities Port refused reported one by one (Port answers 207 when some failed).

use opa_core::port::PortEntity;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};

use crate::client::{PortClient, UpsertOptions, segment};
use crate::error::PortError;

/// Port takes at most this many entities per bulk call.
pub const BULK_LIMIT: usize = 20;

/// An entity Port stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkSuccess {
    /// The entity's index in the list given to [`PortClient::bulk_upsert`].
    pub index: usize,
    /// Its identifier (Port's, when it made one up).
    pub identifier: String,
    /// Whether Port created it (rather than updated it), when Port says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<bool>,
}

/// An entity Port refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkFailure {
    /// The entity's index in the list given to [`PortClient::bulk_upsert`].
    pub index: usize,
    /// Its identifier, when it has one.
    pub identifier: Option<String>,
    /// The HTTP status Port gave it.
    pub status: u16,
    /// Port's error id.
    pub error: String,
    /// Port's message.
    pub message: String,
}

/// What a bulk upsert did, entity by entity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BulkReport {
    /// Entities stored.
    pub succeeded: Vec<BulkSuccess>,
    /// Entities refused.
    pub failed: Vec<BulkFailure>,
    /// How many calls were made.
    pub calls: usize,
}

impl BulkReport {
    /// Whether every entity was stored.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
    }
}

#[derive(Deserialize)]
struct Stored {
    index: usize,
    #[serde(default)]
    identifier: String,
    #[serde(default)]
    created: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Refused {
    index: usize,
    #[serde(default)]
    identifier: Option<String>,
    #[serde(default)]
    status_code: Option<u16>,
    #[serde(default)]
    error: String,
    #[serde(default)]
    message: String,
}

impl PortClient {
    /// Upserts entities of one blueprint (`POST /v1/blueprints/{blueprint}/entities/bulk`),
    /// [`BULK_LIMIT`] per call. Entities Port refuses are in the report's `failed`; a call that
    /// fails as a whole (401 twice, 5xx, unreachable) is an error.
    pub async fn bulk_upsert(
        &self,
        blueprint: &str,
        entities: &[PortEntity],
        options: UpsertOptions,
    ) -> Result<BulkReport, PortError> {
        if let Some(other) = entities.iter().find(|e| e.blueprint != blueprint) {
            return Err(PortError::Invalid(format!(
                "a bulk upsert takes entities of one blueprint ({blueprint}); {} is of {:?}",
                other.identifier.as_deref().unwrap_or("an entity"),
                other.blueprint
            )));
        }
        let path = format!("/v1/blueprints/{}/entities/bulk", segment(blueprint));
        let mut report = BulkReport::default();
        for (chunk_no, chunk) in entities.chunks(BULK_LIMIT).enumerate() {
            let offset = chunk_no * BULK_LIMIT;
            let operation = format!(
                "bulk upsert of entities {}..{} of blueprint {blueprint}",
                offset,
                offset + chunk.len()
            );
            let body = json!({ "entities": chunk });
            let (_, answer) = self
                .send(Method::POST, &path, &options.query(), &body, &operation)
                .await?;
            report.calls += 1;
            let decode = |field: &str| {
                answer
                    .get(field)
                    .cloned()
                    .unwrap_or(Json::Array(Vec::new()))
            };
            let stored: Vec<Stored> =
                serde_json::from_value(decode("entities")).map_err(|e| PortError::Decode {
                    operation: operation.clone(),
                    message: e.to_string(),
                })?;
            let refused: Vec<Refused> =
                serde_json::from_value(decode("errors")).map_err(|e| PortError::Decode {
                    operation: operation.clone(),
                    message: e.to_string(),
                })?;
            let mut answered = vec![false; chunk.len()];
            for s in stored.into_iter().filter(|s| s.index < chunk.len()) {
                answered[s.index] = true;
                report.succeeded.push(BulkSuccess {
                    index: offset + s.index,
                    identifier: s.identifier,
                    created: s.created,
                });
            }
            for r in refused.into_iter().filter(|r| r.index < chunk.len()) {
                answered[r.index] = true;
                report.failed.push(BulkFailure {
                    index: offset + r.index,
                    identifier: r.identifier.or_else(|| chunk[r.index].identifier.clone()),
                    status: r.status_code.unwrap_or(422),
                    error: r.error,
                    message: r.message,
                });
            }
            for (i, _) in answered.iter().enumerate().filter(|(_, a)| !**a) {
                report.failed.push(BulkFailure {
                    index: offset + i,
                    identifier: chunk[i].identifier.clone(),
                    status: 0,
                    error: "no_answer".to_string(),
                    message: "port's answer does not mention this entity".to_string(),
                });
            }
        }
        report.succeeded.sort_by_key(|s| s.index);
        report.failed.sort_by_key(|f| f.index);
        Ok(report)
    }
}
