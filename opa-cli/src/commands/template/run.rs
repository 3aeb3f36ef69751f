//! `opa template run TEMPLATE`: runs a template's steps, showing each step and its log as it
//! runs (JSON Lines of task events with `--format json`), then the outputs.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use opa_core::platform::actions as platform_actions;
use opa_core::scaffolder::catalog::MemoryCatalog;
use opa_core::scaffolder::logger::LogLevel;
use opa_core::scaffolder::{
    ActionRegistry, TaskEvent, TaskFailure, TaskRequest, TaskResult, TaskRunner, Template, UserInfo,
};
use serde_json::{Value as Json, json};

use super::inputs;
use crate::cli::{Format, TemplateRunArgs};

pub fn run(args: &TemplateRunArgs, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Arc::new(crate::commands::platform_backends::config(config)?);
    let template = match Template::from_file(&args.template) {
        Ok(t) => t,
        Err(opa_core::scaffolder::ScaffolderError::InvalidTemplate { file, diagnostics }) => {
            for d in diagnostics {
                eprintln!(
                    "{file}:{}:{}: error[{}]: {}",
                    d.line, d.column, d.code, d.message
                );
            }
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    let values = inputs::values(args.values.as_deref(), &args.set)?;
    let secrets = inputs::secrets(args.secrets_file.as_deref(), &args.secrets)?;

    // The catalog the steps read (`catalog:fetch`, `opa:get-env-providers`): platform.catalog.
    let catalog = MemoryCatalog::new();
    if !config.platform.catalog.is_empty() {
        for entity in crate::commands::platform_backends::catalog(&config, &[])?.iter() {
            catalog.insert(entity.clone())?;
        }
    }
    let backends = opa_vcs::task_backends(config.clone()).with_catalog(Arc::new(catalog));
    let mut registry = ActionRegistry::with_builtins();
    // OPA on AWS's actions (opa:*) on the cloud opa.yaml chooses.
    let cloud = crate::commands::platform_backends::cloud(&config)?;
    platform_actions::register(&mut registry, &cloud.services(&config));
    registry.register(Arc::new(opa_core::iac::TriggerStackRun::new(
        crate::commands::stacks::action_runner(&config),
    )));
    let runner = TaskRunner::new(registry, backends);

    let format = args.format;
    let progress = (format == Format::Text && std::io::stderr().is_terminal()).then(|| {
        let pb = ProgressBar::new(template.steps.len() as u64);
        pb.set_style(
            ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb
    });
    let pb = progress.clone();
    let observer = move |event: &TaskEvent| match format {
        Format::Json => println!("{}", serde_json::to_string(event).unwrap_or_default()),
        Format::Text => {
            let line = text_line(event);
            if let Some(pb) = &pb {
                match event {
                    TaskEvent::StepStarted { name, .. } => pb.set_message(name.clone()),
                    TaskEvent::StepCompleted { .. } | TaskEvent::StepSkipped { .. } => pb.inc(1),
                    _ => {}
                }
                if let Some(line) = line {
                    pb.suspend(|| println!("{line}"));
                }
            } else if let Some(line) = line {
                println!("{line}");
            }
        }
    };

    let mut request = TaskRequest::new(template, values);
    request.secrets = secrets;
    request.dry_run = args.dry_run;
    request.workspace = args.workspace.clone();
    request.user = UserInfo {
        entity: None,
        entity_ref: args.user.clone(),
    };
    request.observer = Some(Arc::new(observer));
    let cancel = request.cancel.clone();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let outcome = rt.block_on(async move {
        tokio::select! {
            outcome = runner.run(request) => outcome,
            _ = async {
                let _ = tokio::signal::ctrl_c().await;
                cancel.cancel();
                // Let the runner stop between steps.
                std::future::pending::<()>().await
            } => unreachable!(),
        }
    });
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    match outcome {
        Ok(result) => {
            print_result(&result, format);
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            print_failure(&failure, format);
            Ok(ExitCode::from(1))
        }
    }
}

fn text_line(event: &TaskEvent) -> Option<String> {
    match event {
        TaskEvent::TaskStarted {
            template,
            steps,
            dry_run,
            workspace,
            ..
        } => Some(format!(
            "Running template {template} ({steps} steps{}) in {workspace}",
            if *dry_run { ", dry run" } else { "" }
        )),
        TaskEvent::StepStarted {
            step_id,
            name,
            action,
        } => Some(format!("▶ {step_id}: {name} ({action})")),
        TaskEvent::Log(line) => {
            let step = line.step_id.is_some();
            if !step {
                return None;
            }
            let tag = match line.level {
                LogLevel::Warn => "warning: ",
                LogLevel::Error => "error: ",
                _ => "",
            };
            Some(
                line.message
                    .lines()
                    .map(|l| format!("    {tag}{l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        }
        TaskEvent::StepSkipped { .. } | TaskEvent::StepCompleted { .. } => None,
        TaskEvent::StepFailed { step_id, .. } => Some(format!("✗ {step_id} failed")),
        _ => None,
    }
}

fn print_result(result: &TaskResult, format: Format) {
    match format {
        Format::Json => println!(
            "{}",
            json!({
                "event": "result",
                "status": "completed",
                "taskId": result.task_id,
                "output": result.output,
                "effects": result.effects,
                "workspace": result.workspace,
                "files": result.files,
            })
        ),
        Format::Text => {
            println!("✓ template completed");
            if let Some(links) = result.output.get("links").and_then(Json::as_array) {
                println!("Links:");
                for link in links {
                    let title = link.get("title").and_then(Json::as_str).unwrap_or("");
                    let target = link
                        .get("url")
                        .or_else(|| link.get("entityRef"))
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                        .unwrap_or_default();
                    println!("  {title}: {target}");
                }
            }
            if let Some(text) = result.output.get("text").and_then(Json::as_array) {
                for item in text {
                    let title = item.get("title").and_then(Json::as_str).unwrap_or("");
                    let content = item.get("content").and_then(Json::as_str).unwrap_or("");
                    println!("{title}\n{content}");
                }
            }
            if let Some(obj) = result.output.as_object() {
                for (k, v) in obj.iter().filter(|(k, _)| *k != "links" && *k != "text") {
                    println!("{k}: {v}");
                }
            }
            if !result.effects.is_empty() {
                println!("Done:");
                for e in &result.effects {
                    println!("  {e}");
                }
            }
            match &result.workspace {
                Some(dir) => println!("Workspace kept in {}", dir.display()),
                None if !result.files.is_empty() => {
                    println!("Workspace (removed) held {} file(s):", result.files.len());
                    for f in result.files.iter().take(50) {
                        println!("  {f}");
                    }
                    if result.files.len() > 50 {
                        println!("  …");
                    }
                }
                None => {}
            }
        }
    }
}

fn print_failure(failure: &TaskFailure, format: Format) {
    match format {
        Format::Json => println!(
            "{}",
            json!({
                "event": "result",
                "status": "failed",
                "code": failure.code,
                "message": failure.message,
                "stepId": failure.step_id,
                "action": failure.action,
                "problems": failure.problems,
                "effects": failure.effects,
            })
        ),
        Format::Text => {
            eprintln!("error[{}]: {}", failure.code, failure.message);
            for p in &failure.problems {
                eprintln!("  - {}", p.message);
            }
            if !failure.effects.is_empty() {
                eprintln!("Already done before the failure:");
                for e in &failure.effects {
                    eprintln!("  {e}");
                }
            }
        }
    }
}
