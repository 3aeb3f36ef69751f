//! One step of a running task.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Map, Value as Json, json};

use super::helpers::{each_entries, example_output, is_truthy};
use super::{StepReport, TaskEvent, TaskFailure, TaskRequest, TaskRunner};
use crate::scaffolder::action::{Action, ActionContext};
use crate::scaffolder::effects::Effect;
use crate::scaffolder::logger::{LogLevel, StepLogger, TaskLog};
use crate::scaffolder::template::Step;

/// Why a step failed: `(code, message)`.
pub(super) type StepError = (&'static str, String);

pub(super) struct TaskState<'a> {
    pub(super) runner: &'a TaskRunner,
    pub(super) request: &'a TaskRequest,
    pub(super) task_id: String,
    pub(super) workspace: PathBuf,
    pub(super) log: Arc<TaskLog>,
    pub(super) context: Map<String, Json>,
    pub(super) effects: Vec<Effect>,
    pub(super) reports: Vec<StepReport>,
    pub(super) validators: HashMap<String, Arc<jsonschema::Validator>>,
}

struct Iteration {
    each: Option<(String, Json)>,
    input: Json,
}

impl TaskState<'_> {
    /// The failure of the task at `step`, with what was done so far.
    pub(super) fn fail(&self, step: &Step, code: &'static str, message: String) -> TaskFailure {
        let message = self.log.redact(&message);
        self.log.emit(TaskEvent::StepFailed {
            step_id: step.id.clone(),
            code: code.to_string(),
            error: message.clone(),
        });
        self.log.log(Some(&step.id), LogLevel::Error, &message);
        TaskFailure {
            code,
            message: if code == "cancelled" {
                message
            } else {
                format!("step {:?} ({}) failed: {message}", step.id, step.action)
            },
            step_id: Some(step.id.clone()),
            action: Some(step.action.clone()),
            problems: Vec::new(),
            effects: self.effects.clone(),
            log: self.log.lines(),
        }
    }

    fn render(&self, value: &Json, context: &Map<String, Json>) -> Result<Json, StepError> {
        // Render as one value so that single-expression strings keep their type.
        let wrapped = json!({ "v": value });
        let rendered = self
            .runner
            .backends
            .templates
            .render_value(&wrapped, &Json::Object(context.clone()))
            .map_err(|e| (e.code(), e.to_string()))?;
        Ok(rendered.get("v").cloned().unwrap_or(Json::Null))
    }

    fn set_output(&mut self, step: &Step, output: Json) {
        if let Some(Json::Object(steps)) = self.context.get_mut("steps") {
            steps.insert(step.id.clone(), json!({ "output": output }));
        }
    }

    fn skip(&mut self, step: &Step, status: &'static str, reason: String, output: Json) {
        self.log.log(Some(&step.id), LogLevel::Info, &reason);
        self.log.emit(TaskEvent::StepSkipped {
            step_id: step.id.clone(),
            reason,
        });
        self.reports.push(StepReport {
            id: step.id.clone(),
            status,
            output: self.log.redactor().redact_json(&output),
        });
    }

    pub(super) async fn execute(&mut self, step: &Step) -> Result<(), StepError> {
        let action = self.runner.registry.get(&step.action).ok_or((
            "unknown-action",
            format!("unknown action {:?}", step.action),
        ))?;
        self.log.emit(TaskEvent::StepStarted {
            step_id: step.id.clone(),
            name: step.name.clone(),
            action: step.action.clone(),
        });
        self.log.log(
            Some(&step.id),
            LogLevel::Info,
            &format!("Beginning step {}", step.name),
        );

        if step.each.is_none() {
            if let Some(cond) = &step.r#if {
                if !is_truthy(&self.render(cond, &self.context)?) {
                    self.skip(
                        step,
                        "skipped",
                        format!(
                            "Skipping step {} because its if condition was false",
                            step.id
                        ),
                        Json::Null,
                    );
                    return Ok(());
                }
            }
        }

        if self.request.dry_run {
            let mut masked = self.context.clone();
            masked.insert("secrets".into(), self.request.secrets.masked_json());
            let shown = match &step.input {
                Some(input) => self.render(input, &masked).unwrap_or(json!({})),
                None => json!({}),
            };
            self.log.log(
                Some(&step.id),
                LogLevel::Info,
                &format!(
                    "Running {} in dry-run mode with inputs (secrets redacted): {}",
                    action.id(),
                    serde_json::to_string_pretty(&shown).unwrap_or_default()
                ),
            );
            if !action.supports_dry_run() {
                let output = action
                    .output_schema()
                    .map(|s| example_output(&s))
                    .unwrap_or_else(|| json!({}));
                self.set_output(step, output.clone());
                self.skip(
                    step,
                    "dry-run-skipped",
                    format!("Skipping because {} does not support dry-run", action.id()),
                    output,
                );
                return Ok(());
            }
        }

        let iterations = self.iterations(step, action.as_ref())?;
        for it in &iterations {
            self.validate_input(step, action.as_ref(), it)?;
        }

        let mut step_output = Map::new();
        for it in iterations {
            self.request
                .cancel
                .is_cancelled()
                .then_some(())
                .map_or(Ok(()), |_| {
                    Err((
                        "cancelled",
                        format!(
                            "Step {} ({}) of task {} has been cancelled.",
                            step.id, step.name, self.task_id
                        ),
                    ))
                })?;
            if let Some((key, value)) = &it.each {
                let shown = json!({ "key": key, "value": stringify(value) });
                self.log.log(
                    Some(&step.id),
                    LogLevel::Info,
                    &format!("Running step each: {shown}"),
                );
            }
            let mut ctx = self.action_context(step, it.input);
            let result = action.handle(&mut ctx).await;
            let (outputs, effects) = ctx.take_results();
            self.effects.extend(effects);
            result.map_err(|e| (e.code(), e.to_string()))?;
            for (name, value) in outputs {
                if step.each.is_some() {
                    let slot = step_output
                        .entry(name)
                        .or_insert_with(|| Json::Array(Vec::new()));
                    if let Json::Array(items) = slot {
                        items.push(value);
                    }
                } else {
                    step_output.insert(name, value);
                }
            }
        }
        let output = Json::Object(step_output);
        self.set_output(step, output.clone());
        let shown = self.log.redactor().redact_json(&output);
        self.log.emit(TaskEvent::StepCompleted {
            step_id: step.id.clone(),
            output: shown.clone(),
        });
        self.log.log(
            Some(&step.id),
            LogLevel::Info,
            &format!("Finished step {}", step.name),
        );
        self.reports.push(StepReport {
            id: step.id.clone(),
            status: "completed",
            output: shown,
        });
        Ok(())
    }

    /// The step's iterations with their rendered inputs; iterations whose `if` is false are
    /// dropped (and logged).
    fn iterations(
        &mut self,
        step: &Step,
        action: &dyn Action,
    ) -> Result<Vec<Iteration>, StepError> {
        let use_secrets = !self.request.dry_run && !self.request.secrets.is_empty();
        let entries = match &step.each {
            None => None,
            Some(each) => {
                let resolved = self.render(each, &self.context)?;
                if matches!(&resolved, Json::Null | Json::Bool(false))
                    || resolved.as_str() == Some("")
                    || resolved.as_f64() == Some(0.0)
                {
                    return Err((
                        "invalid-input",
                        format!(
                            "Invalid value on action {}.each parameter, {} cannot be resolved to a value",
                            action.id(),
                            serde_json::to_string(each).unwrap_or_default()
                        ),
                    ));
                }
                Some(each_entries(&resolved))
            }
        };
        let mut out = Vec::new();
        let list: Vec<Option<(String, Json)>> = match entries {
            None => vec![None],
            Some(e) => e.into_iter().map(Some).collect(),
        };
        for each in list {
            let mut ctx = self.context.clone();
            if let Some((key, value)) = &each {
                ctx.insert("each".into(), json!({ "key": key, "value": value }));
                if let Some(cond) = &step.r#if {
                    if !is_truthy(&self.render(cond, &ctx)?) {
                        self.log.log(
                            Some(&step.id),
                            LogLevel::Info,
                            &format!(
                                "Skipping step each: {}",
                                json!({ "key": key, "value": stringify(value) })
                            ),
                        );
                        continue;
                    }
                }
            }
            let input = match &step.input {
                None => json!({}),
                Some(input) => {
                    let mut with_secrets = ctx.clone();
                    let secrets = if self.request.dry_run {
                        json!({})
                    } else {
                        self.request.secrets.to_json()
                    };
                    with_secrets.insert("secrets".into(), secrets);
                    let rendered = self.render(input, &with_secrets)?;
                    if use_secrets {
                        // Values that change when the secrets are removed were derived from them.
                        ctx.insert("secrets".into(), json!({}));
                        match self.render(input, &ctx) {
                            Ok(plain) => self
                                .log
                                .add_redactions(|r| r.add_derived(&rendered, Some(&plain))),
                            Err(_) => self.log.add_redactions(|r| r.add_derived(&rendered, None)),
                        }
                    }
                    rendered
                }
            };
            out.push(Iteration { each, input });
        }
        Ok(out)
    }

    fn validate_input(
        &mut self,
        step: &Step,
        action: &dyn Action,
        it: &Iteration,
    ) -> Result<(), StepError> {
        let Some(schema) = action.input_schema() else {
            return Ok(());
        };
        let validator = match self.validators.get(action.id()) {
            Some(v) => v.clone(),
            None => {
                let v = Arc::new(jsonschema::draft7::new(&schema).map_err(|e| {
                    (
                        "invalid-schema",
                        format!("action {}'s input schema is invalid: {e}", action.id()),
                    )
                })?);
                self.validators.insert(action.id().to_string(), v.clone());
                v
            }
        };
        let errors: Vec<String> = validator
            .iter_errors(&it.input)
            .map(|e| {
                let path = e.instance_path().as_str().replace('/', ".");
                if path.is_empty() {
                    e.to_string()
                } else {
                    format!("input{path}: {e}")
                }
            })
            .collect();
        if errors.is_empty() {
            return Ok(());
        }
        let id = match &it.each {
            Some((key, _)) => format!("{}[{key}]", action.id()),
            None => action.id().to_string(),
        };
        let _ = step;
        Err((
            "invalid-input",
            format!("Invalid input passed to action {id}, {}", errors.join(", ")),
        ))
    }

    fn action_context(&self, step: &Step, input: Json) -> ActionContext {
        let logger = StepLogger {
            log: self.log.clone(),
            step_id: step.id.clone(),
        };
        let mut ctx = ActionContext::new(
            input,
            self.workspace.clone(),
            step.id.clone(),
            self.runner.backends.clone(),
            logger,
        );
        ctx.step_name = step.name.clone();
        ctx.template_dir = self.request.template.base_dir.clone();
        ctx.secrets = Arc::new(self.request.secrets.clone());
        ctx.user = Arc::new(self.request.user.clone());
        ctx.task_id = self.task_id.clone();
        ctx.dry_run = self.request.dry_run;
        ctx.cancel = self.request.cancel.clone();
        ctx
    }
}

/// Backstage logs `each` with every value stringified (`String(v)`).
fn stringify(value: &Json) -> Json {
    match value {
        Json::String(_) => value.clone(),
        Json::Object(_) => Json::String("[object Object]".into()),
        Json::Array(a) => Json::String(
            a.iter()
                .map(|v| match v {
                    Json::String(s) => s.clone(),
                    Json::Null => String::new(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(","),
        ),
        other => Json::String(other.to_string()),
    }
}
