//! `opa template validate|run|render`.

mod inputs;
pub mod render;
pub mod run;
pub mod validate;
