//! `opa`: the OPA-rs command line.
//!
//! Exit codes: 0 success; 1 validation failed, operation refused or failed; 2 usage,
//! configuration or I/O error.

mod cli;
mod commands;
mod manifests;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: reading a catalog allocates many small strings and vectors per entity; glibc's
/// allocator spent a third of the time of `opa catalog check` on them, mimalloc a few percent.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_tracing(cli.verbose, cli.quiet);
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn init_tracing(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        _ => "trace",
    };
    let from_env = std::env::var("OPA_LOG").ok();
    let mut filter = tracing_subscriber::EnvFilter::try_from_env("OPA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    // Even at TRACE, no credential in the log (the AWS SDK's signer logs the session token).
    // The directives cap TRACE at DEBUG; added at a quieter level they would raise those
    // targets to DEBUG, so only `=off` ones apply then.
    let tracing_all = from_env
        .as_deref()
        .map_or(level == "trace", |v| v.contains("trace"));
    for d in opa_aws::aws::LOG_DIRECTIVES {
        if !tracing_all && !d.ends_with("=off") {
            continue;
        }
        if let Ok(d) = d.parse() {
            filter = filter.add_directive(d);
        }
    }
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
