//! # opa-spacelift
//!
//! The Spacelift backend of OPA-rs: [`SpaceliftClient`] implements
//! [`opa_core::iac::IacRunner`] on Spacelift's GraphQL API (`https://<account>.app.spacelift.io/graphql`).
//! It exchanges an API key for a JWT (`apiKeyUser(id, secret) { jwt }`), keeps the JWT for about
//! a minute and renews it (at once when Spacelift answers 401), lists stacks
//! (`stacks { id name state branch repository space labels }`) and triggers runs
//! (`runTrigger(stack) { id state }`).
//!
//! What the client sees is what the API key may see: an admin key every stack of the account,
//! any other key the stacks its spaces and access policies allow.
//!
//! The API key's secret and the JWT never appear in `Debug`, an error or a log line.
//!
//! ```no_run
//! # async fn run() -> Result<(), opa_spacelift::SpaceliftError> {
//! use opa_core::config::SecretString;
//! use opa_spacelift::{ApiKey, SpaceliftClient};
//!
//! let key = ApiKey::new("01HCJMP2X7R0N8Q4M3V5Y6Z7AB", SecretString::new("secret"));
//! let client = SpaceliftClient::new("https://acme.app.spacelift.io/graphql", key);
//! for stack in client.stacks().await? {
//!     println!("{} {} {}", stack.id, stack.state, stack.branch);
//! }
//! # Ok(()) }
//! ```

mod client;
mod credentials;
mod error;
mod graphql;
mod runner;

pub use client::{DEFAULT_TOKEN_TTL, SpaceliftClient};
pub use credentials::ApiKey;
pub use error::SpaceliftError;
pub use runner::runner_from_access;
