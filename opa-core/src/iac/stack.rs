//! What a runner reports: its stacks and the runs it starts.

use serde::{Deserialize, Serialize};

/// An infrastructure stack. `--format json` and the bindings use these field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stack {
    /// The stack's id (Spacelift: its slug, e.g. `payments-dev`), what [`trigger_run`] takes.
    ///
    /// [`trigger_run`]: super::IacRunner::trigger_run
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The state of its latest run, as the runner names it (Spacelift: `NONE`, `FINISHED`,
    /// `FAILED`, `UNCONFIRMED`, `APPLYING`…).
    pub state: String,
    /// The branch it tracks.
    pub branch: String,
    /// The repository it runs (Spacelift: the repository name, without the owner namespace).
    pub repository: String,
    /// The space it belongs to (Spacelift: the space id, e.g. `root` or `team-a-01HXYZ…`).
    pub space: String,
    /// Its labels.
    #[serde(default)]
    pub labels: Vec<String>,
}

/// A run that was just triggered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TriggeredRun {
    /// The stack it runs.
    pub stack: String,
    /// The run's id (Spacelift: a ULID).
    pub run_id: String,
    /// The run's state when it was created (Spacelift: usually `QUEUED`).
    pub state: String,
}
