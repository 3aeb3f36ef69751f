//! What an action's handler gets: its input, the workspace, the task's secrets and user, the
//! backends, a logger, and where to put outputs and report what it changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value as Json};
use tokio_util::sync::CancellationToken;

use super::{ActionError, Backends};
use crate::scaffolder::effects::Effect;
use crate::scaffolder::logger::StepLogger;
use crate::scaffolder::workspace::{display_relative, resolve_safe_child};

/// The task's secrets, by name. `Debug` shows only the names.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets(BTreeMap<String, String>);

impl Secrets {
    /// No secrets.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a secret.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }

    /// The secret `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every value (for redaction).
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.0.values().map(String::as_str)
    }

    /// As a JSON object, for the `secrets` templating context.
    pub fn to_json(&self) -> Json {
        Json::Object(
            self.0
                .iter()
                .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                .collect(),
        )
    }

    /// The same names with every value `***`.
    pub fn masked_json(&self) -> Json {
        Json::Object(
            self.0
                .keys()
                .map(|k| (k.clone(), Json::String("***".into())))
                .collect(),
        )
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Secrets {
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        Self(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// The user running the task: `user.entity` and `user.ref` in templates.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UserInfo {
    /// The User entity, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<Json>,
    /// The user's entity ref (`user:default/jane`).
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub entity_ref: Option<String>,
}

/// Everything a handler works with.
#[derive(Debug)]
pub struct ActionContext {
    /// The step's rendered input (validated against the action's input schema).
    pub input: Json,
    /// The workspace directory (absolute). Every path written must stay inside.
    pub workspace: PathBuf,
    /// The template's directory: relative `url` inputs are read from there.
    pub template_dir: Option<PathBuf>,
    /// The task's secrets.
    pub secrets: Arc<Secrets>,
    /// The user running the task.
    pub user: Arc<UserInfo>,
    /// The task's id.
    pub task_id: String,
    /// The step's id.
    pub step_id: String,
    /// The step's name.
    pub step_name: String,
    /// Whether this is a dry run.
    pub dry_run: bool,
    /// The backends.
    pub backends: Backends,
    /// The step's logger (redacted).
    pub logger: StepLogger,
    /// Cancelled when the task is.
    pub cancel: CancellationToken,
    outputs: Map<String, Json>,
    effects: Vec<Effect>,
}

impl ActionContext {
    /// A context for running an action (the runner builds one per step and iteration).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        input: Json,
        workspace: PathBuf,
        step_id: impl Into<String>,
        backends: Backends,
        logger: StepLogger,
    ) -> Self {
        let step_id = step_id.into();
        Self {
            input,
            workspace,
            template_dir: None,
            secrets: Arc::new(Secrets::new()),
            user: Arc::new(UserInfo::default()),
            task_id: String::new(),
            step_name: step_id.clone(),
            step_id,
            dry_run: false,
            backends,
            logger,
            cancel: CancellationToken::new(),
            outputs: Map::new(),
            effects: Vec::new(),
        }
    }

    /// Sets an output of the step (`steps.<id>.output.<name>`).
    pub fn output(&mut self, name: impl Into<String>, value: impl Into<Json>) {
        self.outputs.insert(name.into(), value.into());
    }

    /// Reports something the action changed.
    pub fn record(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// Reports files written, given their absolute paths.
    pub fn record_written(&mut self, paths: &[PathBuf]) {
        if paths.is_empty() {
            return;
        }
        let paths = paths
            .iter()
            .map(|p| display_relative(&self.workspace, p))
            .collect();
        self.effects.push(Effect::FilesWritten {
            step_id: self.step_id.clone(),
            paths,
        });
    }

    /// The outputs set so far.
    pub fn outputs(&self) -> &Map<String, Json> {
        &self.outputs
    }

    /// Takes the outputs and effects (the runner does this after the handler returns).
    pub fn take_results(&mut self) -> (Map<String, Json>, Vec<Effect>) {
        (
            std::mem::take(&mut self.outputs),
            std::mem::take(&mut self.effects),
        )
    }

    /// The string input `key`, if it is a string.
    pub fn input_str(&self, key: &str) -> Option<&str> {
        self.input.get(key).and_then(Json::as_str)
    }

    /// The string input `key`, which must be there.
    pub fn required_str(&self, key: &str) -> Result<&str, ActionError> {
        self.input_str(key)
            .ok_or_else(|| ActionError::InvalidInput(format!("input {key:?} is required")))
    }

    /// The boolean input `key` (default `false`).
    pub fn input_bool(&self, key: &str) -> bool {
        self.input.get(key).and_then(Json::as_bool).unwrap_or(false)
    }

    /// `relative` inside the workspace, refusing absolute paths, `..` that climbs out and
    /// symlinks that lead out.
    pub fn workspace_path(&self, relative: &str) -> Result<PathBuf, ActionError> {
        Ok(resolve_safe_child(
            &self.workspace,
            relative,
            "the workspace",
        )?)
    }

    /// The local path a `url` input is read from.
    pub fn resolve_url(&self, url: &str) -> Result<PathBuf, ActionError> {
        Ok(self
            .backends
            .urls
            .resolve(url, self.template_dir.as_deref())?)
    }

    /// A path for messages: relative to the workspace when inside it.
    pub fn display(&self, path: &Path) -> String {
        display_relative(&self.workspace, path)
    }

    /// Fails with [`ActionError::Cancelled`] when the task was cancelled.
    pub fn check_cancelled(&self) -> Result<(), ActionError> {
        if self.cancel.is_cancelled() {
            Err(ActionError::Cancelled)
        } else {
            Ok(())
        }
    }
}
