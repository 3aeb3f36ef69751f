//! `opa rbac namespace`: the resources of a team namespace.

use std::process::ExitCode;

use opa_core::rbac::{NamespaceRequest, team_namespace};

use crate::cli::{RbacNamespaceArgs, ResourceFormat};
use crate::manifests::to_yaml_stream;

pub fn run(args: &RbacNamespaceArgs) -> anyhow::Result<ExitCode> {
    let request = NamespaceRequest::new(&args.team, &args.environment)
        .with_cpu(&args.cpu)
        .with_memory(&args.memory);
    match team_namespace(&request) {
        Ok(resources) => {
            match args.format {
                ResourceFormat::Yaml => print!("{}", to_yaml_stream(&resources)?),
                ResourceFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "namespace": request.namespace_name(),
                        "resources": resources,
                    }))?
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            match args.format {
                ResourceFormat::Json => println!(
                    "{}",
                    serde_json::json!({"valid": false, "errors": problems})
                ),
                ResourceFormat::Yaml => {
                    for p in &problems {
                        eprintln!("error[{}]: {}: {}", p.code, p.path, p.message);
                    }
                }
            }
            Ok(ExitCode::from(1))
        }
    }
}
