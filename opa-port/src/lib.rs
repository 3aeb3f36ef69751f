//! # opa-port
//!
//! The Port (getport.io) backend of OPA-rs: an HTTP client for Port's API that exchanges
//! `clientId`/`clientSecret` for access tokens (cached until they expire), upserts entities
//! (optionally merging with what Port has) and bulk-upserts them (at most 20 per call, as Port
//! allows, with partial failures reported per entity).
//!
//! The model (blueprints, entities, validation, Backstage mapping) is in `opa_core::port`.
//!
//! ```no_run
//! # async fn run() -> Result<(), opa_port::PortError> {
//! use opa_port::{Credentials, PortClient, UpsertOptions};
//!
//! let client = PortClient::new(Credentials::new("client-id", "client-secret"));
//! let entity = serde_json::from_value(serde_json::json!({
//!     "identifier": "checkout", "blueprint": "service", "properties": {"language": "Rust"}
//! })).unwrap();
//! client.upsert_entity(&entity, UpsertOptions { merge: true, ..Default::default() }).await?;
//! # Ok(()) }
//! ```

mod bulk;
mod client;
mod credentials;
mod error;

pub use bulk::{BULK_LIMIT, BulkFailure, BulkReport, BulkSuccess};
pub use client::{DEFAULT_API_URL, PortClient, UpsertOptions};
pub use credentials::Credentials;
pub use error::PortError;
