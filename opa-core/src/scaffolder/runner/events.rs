//! What a running task tells its observer, in order. Every text and value is already redacted.

use serde::Serialize;
use serde_json::Value as Json;

use crate::scaffolder::effects::Effect;
use crate::scaffolder::logger::LogLine;

/// One thing that happened in a task (one line of `--format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "camelCase")]
#[non_exhaustive]
pub enum TaskEvent {
    /// The task started.
    #[serde(rename_all = "camelCase")]
    TaskStarted {
        /// The task's id.
        task_id: String,
        /// The template's name.
        template: String,
        /// Number of steps.
        steps: usize,
        /// Whether it is a dry run.
        dry_run: bool,
        /// The workspace directory.
        workspace: String,
    },
    /// A step started.
    #[serde(rename_all = "camelCase")]
    StepStarted {
        /// The step's id.
        step_id: String,
        /// Its name.
        name: String,
        /// Its action.
        action: String,
    },
    /// A line of the task log (`debug:log` messages included).
    Log(LogLine),
    /// A step was skipped.
    #[serde(rename_all = "camelCase")]
    StepSkipped {
        /// The step's id.
        step_id: String,
        /// Why (`if` was false; dry run).
        reason: String,
    },
    /// A step finished.
    #[serde(rename_all = "camelCase")]
    StepCompleted {
        /// The step's id.
        step_id: String,
        /// Its outputs.
        output: Json,
    },
    /// A step failed; the task stops.
    #[serde(rename_all = "camelCase")]
    StepFailed {
        /// The step's id.
        step_id: String,
        /// Stable error code.
        code: String,
        /// What went wrong.
        error: String,
    },
    /// The task finished.
    #[serde(rename_all = "camelCase")]
    TaskCompleted {
        /// The template's rendered `output`.
        output: Json,
        /// What the task changed.
        effects: Vec<Effect>,
    },
}

/// Receives a task's events as they happen (the CLI prints them; bindings forward them).
pub trait TaskObserver: Send + Sync {
    /// Called for every event, in order.
    fn on_event(&self, event: &TaskEvent);
}

impl<F: Fn(&TaskEvent) + Send + Sync> TaskObserver for F {
    fn on_event(&self, event: &TaskEvent) {
        self(event)
    }
}
