//! Command-line arguments: `opa <noun> <verb>`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// OPA-rs: catalog, scaffolder and platform engine for Backstage-style developer platforms.
#[derive(Debug, Parser)]
#[command(name = "opa", version, about, propagate_version = true)]
pub struct Cli {
    /// Configuration file (default: ./opa.yaml, else built-in defaults).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// More log output (-v info, -vv debug, -vvv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors in the log.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate catalog files as Backstage's catalog would.
    Validate(ValidateArgs),
    /// Work with a catalog: its entities and the relations between them.
    #[command(subcommand)]
    Catalog(CatalogCommand),
}

/// `opa catalog <verb>`.
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Report dangling references, duplicate entities and unreadable documents (exit 1 if any).
    Check(CatalogCheckArgs),
    /// Print the entities and their relations.
    Graph(CatalogGraphArgs),
}

/// Arguments of `opa catalog check`.
#[derive(Debug, clap::Args)]
pub struct CatalogCheckArgs {
    /// Files or directories (searched recursively for *.yaml and *.yml).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `opa catalog graph`.
#[derive(Debug, clap::Args)]
pub struct CatalogGraphArgs {
    /// Files or directories (searched recursively for *.yaml and *.yml).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
}

/// Output formats of `opa catalog graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// For people: each entity and its relations.
    Text,
    /// JSON Lines: one object per entity, `{ref, kind, file, document, line, relations}`.
    Json,
    /// Graphviz: one edge per relation, in the direction its field states.
    Dot,
}

/// Arguments of `opa validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Files or directories (searched recursively for *.yaml and *.yml).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For machines: JSON (Lines for streams).
    Json,
}
