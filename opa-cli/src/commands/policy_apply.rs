//! `opa policy apply`: Kyverno generate policies applied to resources, offline.

use std::process::ExitCode;

use anyhow::Context;
use opa_core::kyverno::{self, ApplyInput, RequestInfo, RuleStatus};

use crate::cli::{PolicyApplyArgs, ResourceFormat};
use crate::manifests::{read_documents, read_resources, to_yaml_stream};

pub fn run(args: &PolicyApplyArgs) -> anyhow::Result<ExitCode> {
    let mut policies = Vec::new();
    let mut invalid = false;
    for path in &args.policies {
        let (docs, problems) = read_documents(path)?;
        for p in problems {
            invalid = true;
            eprintln!(
                "{}:{}:{}: error[{}]: {}",
                path.display(),
                p.line,
                p.column,
                p.code,
                p.message
            );
        }
        for doc in docs {
            match kyverno::parse_policy(&doc.root) {
                Ok(Some(policy)) => policies.push(policy),
                Ok(None) => tracing::warn!(
                    "{}: a document at line {} is not a Kyverno policy; skipped",
                    path.display(),
                    doc.root.pos.line
                ),
                Err(problems) => {
                    invalid = true;
                    for p in problems {
                        eprintln!(
                            "{}:{}:{}: error[{}]: {}",
                            path.display(),
                            p.line,
                            p.column,
                            p.code,
                            p.message
                        );
                    }
                }
            }
        }
    }
    if invalid {
        return Ok(ExitCode::from(1));
    }
    let resources = read_resources(&args.resources)?;
    let mut cluster = resources.clone();
    cluster.extend(read_resources(&args.existing)?);
    let mut request = match &args.user_info {
        Some(path) => read_user_info(path)?,
        None => RequestInfo::default(),
    };
    request.operation = args.operation.clone();
    let report = kyverno::apply(ApplyInput {
        policies: &policies,
        resources: &resources,
        cluster: &cluster,
        request: &request,
    });
    match args.format {
        ResourceFormat::Json => {
            let generated: Vec<_> = report.generated().collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "results": report.results,
                    "generated": generated,
                }))?
            );
        }
        ResourceFormat::Yaml => {
            if report.results.is_empty() {
                println!("# no generate rule matched any resource");
            }
            for r in &report.results {
                println!(
                    "# {}/{} on {}: {}: {}",
                    r.policy,
                    r.rule,
                    r.resource,
                    status_word(r.status),
                    r.message.replace('\n', " ")
                );
            }
            print!("{}", to_yaml_stream(report.generated())?);
        }
    }
    for r in report
        .results
        .iter()
        .filter(|r| r.status == RuleStatus::Error)
    {
        eprintln!(
            "error: {}/{} on {}: {}",
            r.policy, r.rule, r.resource, r.message
        );
    }
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn status_word(s: RuleStatus) -> &'static str {
    match s {
        RuleStatus::Pass => "pass",
        RuleStatus::Skip => "skip",
        RuleStatus::Error => "error",
    }
}

/// Reads a Kyverno CLI user-info file (`userInfo`, `roles`, `clusterRoles`).
fn read_user_info(path: &std::path::Path) -> anyhow::Result<RequestInfo> {
    let resources = read_resources(&[path])?;
    let doc = resources
        .into_iter()
        .next()
        .with_context(|| format!("{} is empty", path.display()))?;
    serde_json::from_value(doc)
        .with_context(|| format!("{} is not a user-info file", path.display()))
}
