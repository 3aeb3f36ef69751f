//! Actions: the named operations that steps run (`fetch:template`, `publish:gitlab`, …).
//!
//! An [`Action`] declares its id, a description, JSON Schemas for its input and output, and
//! whether it can run in a dry run; its handler gets an [`ActionContext`]. Actions are added to
//! an [`ActionRegistry`] — built-in ones from Rust, later ones from Node and Python.

mod backends;
mod context;
mod error;
mod registry;

pub use backends::Backends;
pub use context::{ActionContext, Secrets, UserInfo};
pub use error::ActionError;
pub use registry::ActionRegistry;

use async_trait::async_trait;
use serde_json::Value as Json;

/// A scaffolder action.
#[async_trait]
pub trait Action: Send + Sync {
    /// The id steps name it by (`fetch:template`).
    fn id(&self) -> &str;

    /// What it does, for people.
    fn description(&self) -> &str {
        ""
    }

    /// The JSON Schema (draft-07) of its input; the runner validates every step's input against
    /// it before the step runs. `None`: any object.
    fn input_schema(&self) -> Option<Json> {
        None
    }

    /// The JSON Schema of its output; a dry run synthesizes outputs from it for actions that do
    /// not support dry runs.
    fn output_schema(&self) -> Option<Json> {
        None
    }

    /// Whether it runs in a dry run (against the workspace only, changing nothing elsewhere).
    fn supports_dry_run(&self) -> bool {
        false
    }

    /// Runs the action.
    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError>;
}
