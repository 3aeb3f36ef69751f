//! The task log: what each step says, redacted, sent to the task's observer and kept.

use std::sync::{Arc, Mutex, RwLock};

use serde::Serialize;

use super::redact::Redactor;
use super::runner::{TaskEvent, TaskObserver};

/// Severity of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Details.
    Debug,
    /// Progress.
    Info,
    /// Something to look at.
    Warn,
    /// A failure.
    Error,
}

/// One line of the task log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogLine {
    /// The step, when the line belongs to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
    /// Severity.
    pub level: LogLevel,
    /// The text, secrets redacted.
    pub message: String,
}

pub(crate) struct TaskLog {
    pub(crate) redactor: RwLock<Redactor>,
    pub(crate) observer: Option<Arc<dyn TaskObserver>>,
    pub(crate) lines: Mutex<Vec<LogLine>>,
}

impl TaskLog {
    pub(crate) fn new(redactor: Redactor, observer: Option<Arc<dyn TaskObserver>>) -> Self {
        Self {
            redactor: RwLock::new(redactor),
            observer,
            lines: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn redactor(&self) -> Redactor {
        self.redactor
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn add_redactions(&self, f: impl FnOnce(&mut Redactor)) {
        f(&mut self.redactor.write().unwrap_or_else(|e| e.into_inner()));
    }

    pub(crate) fn redact(&self, text: &str) -> String {
        self.redactor
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .redact(text)
    }

    /// Sends an event (already redacted by the caller) to the observer.
    pub(crate) fn emit(&self, event: TaskEvent) {
        if let Some(o) = &self.observer {
            o.on_event(&event);
        }
    }

    pub(crate) fn log(&self, step_id: Option<&str>, level: LogLevel, message: &str) {
        let line = LogLine {
            step_id: step_id.map(str::to_string),
            level,
            message: self.redact(message),
        };
        self.lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(line.clone());
        self.emit(TaskEvent::Log(line));
    }

    pub(crate) fn lines(&self) -> Vec<LogLine> {
        self.lines.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The logger a step's action writes to. Every line is redacted before anyone sees it.
#[derive(Clone)]
pub struct StepLogger {
    pub(crate) log: Arc<TaskLog>,
    pub(crate) step_id: String,
}

impl std::fmt::Debug for StepLogger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StepLogger")
            .field("step_id", &self.step_id)
            .finish()
    }
}

impl StepLogger {
    /// A logger that only keeps lines (for running an action outside a task, e.g. in tests).
    pub fn detached(step_id: impl Into<String>) -> Self {
        Self {
            log: Arc::new(TaskLog::new(Redactor::new(), None)),
            step_id: step_id.into(),
        }
    }

    /// Writes a line.
    pub fn log(&self, level: LogLevel, message: impl AsRef<str>) {
        self.log.log(Some(&self.step_id), level, message.as_ref());
    }

    /// Writes an info line.
    pub fn info(&self, message: impl AsRef<str>) {
        self.log(LogLevel::Info, message);
    }

    /// Writes a warning.
    pub fn warn(&self, message: impl AsRef<str>) {
        self.log(LogLevel::Warn, message);
    }

    /// The lines written so far by the whole task.
    pub fn lines(&self) -> Vec<LogLine> {
        self.log.lines()
    }
}
