//! `opa:trigger-stack-run`: triggers a run of an infrastructure stack (a Spacelift stack) from a
//! template, e.g. after publishing the IaC repository a stack tracks.

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::IacRunner;
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `opa:trigger-stack-run`: input `stack` (the stack id); outputs `runId` and `state`.
#[derive(Clone)]
pub struct TriggerStackRun {
    runner: Arc<dyn IacRunner>,
}

impl TriggerStackRun {
    /// The action over `runner`.
    pub fn new(runner: Arc<dyn IacRunner>) -> Self {
        Self { runner }
    }
}

impl std::fmt::Debug for TriggerStackRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TriggerStackRun")
            .field("runner", &self.runner.kind())
            .field("read_only", &self.runner.is_read_only())
            .finish()
    }
}

#[async_trait]
impl Action for TriggerStackRun {
    fn id(&self) -> &str {
        "opa:trigger-stack-run"
    }

    fn description(&self) -> &str {
        "Triggers a run of an infrastructure stack (Spacelift) and returns the run's id and state."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["stack"],
            "properties": {
                "stack": {
                    "type": "string",
                    "minLength": 1,
                    "title": "Stack",
                    "description": "The id of the stack to run (as `opa stacks list` shows it)"
                }
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {
                "runId": {"type": "string", "title": "The id of the run"},
                "state": {"type": "string", "title": "The run's state when it was created"}
            }
        }))
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let stack = ctx.required_str("stack")?.trim().to_string();
        if stack.is_empty() {
            return Err(ActionError::InvalidInput("input \"stack\" is empty".into()));
        }
        let run = self.runner.trigger_run(&stack).await.map_err(|e| {
            ActionError::Failed(format!(
                "cannot trigger a {} run of stack {stack}: {e}",
                self.runner.kind()
            ))
        })?;
        ctx.logger.info(format!(
            "triggered run {} of stack {} ({})",
            run.run_id, run.stack, run.state
        ));
        ctx.output("runId", run.run_id);
        ctx.output("state", run.state);
        Ok(())
    }
}
