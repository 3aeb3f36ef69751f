//! The scaffolder: Backstage software templates (`scaffolder.backstage.io/v1beta3`) run in Rust.

pub mod templating;
