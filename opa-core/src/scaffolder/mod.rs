//! The scaffolder: Backstage templates (`scaffolder.backstage.io/v1beta3`) parsed, their values
//! validated, and their steps run by actions, as Backstage runs them.

pub mod action;
pub mod actions;
pub mod catalog;
pub mod effects;
pub mod error;
pub mod logger;
pub mod parameters;
pub mod redact;
pub mod runner;
pub mod template;
pub mod templating;
pub mod urls;
pub mod workspace;

pub use action::{Action, ActionContext, ActionError, ActionRegistry, Backends, UserInfo};
pub use effects::Effect;
pub use error::ScaffolderError;
pub use parameters::{ParameterProblem, ParameterValues, validate_parameters};
pub use runner::{TaskEvent, TaskFailure, TaskObserver, TaskRequest, TaskResult, TaskRunner};
pub use template::{ParameterPage, Step, Template};
