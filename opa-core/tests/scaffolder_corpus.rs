//! Conformance on real templates (`../shared/corpus`): every template parses and its parameter
//! schemas compile; Backstage's software-templates run dry with sample values (or fail naming
//! the action this build does not have); OPA on AWS's templates stop at their first `opa:*`
//! action, naming it.

use std::path::{Path, PathBuf};

use opa_core::scaffolder::parameters::check_schemas;
use opa_core::scaffolder::{ActionRegistry, Backends, TaskRequest, TaskRunner, Template};
use serde_json::{Map, Value as Json, json};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: the shared corpus is not at {} (it is only present in the project's workspace)",
            dir.display()
        );
        None
    }
}

fn templates(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir(dir)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "template.yaml"))
        .collect();
    out.sort();
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Values a person could type: defaults, the first enum value, or a plausible value by name.
fn sample_values(template: &Template) -> Json {
    let mut values = Map::new();
    for page in &template.parameters {
        let Some(props) = page.schema.get("properties").and_then(Json::as_object) else {
            continue;
        };
        for (name, prop) in props {
            let value = if let Some(d) = prop.get("default") {
                d.clone()
            } else if let Some(first) = prop.get("enum").and_then(|e| e.get(0)) {
                first.clone()
            } else {
                match prop.get("type").and_then(Json::as_str) {
                    Some("boolean") => json!(false),
                    Some("number" | "integer") => json!(1),
                    Some("array") => json!([]),
                    Some("object") => json!({}),
                    _ => match name.as_str() {
                        "repoUrl" => json!("github.com?owner=acme&repo=demo"),
                        "owner" => json!("group:default/team-a"),
                        n if n.contains("package") => json!("com.example.demo"),
                        _ => json!("demo"),
                    },
                }
            };
            values.entry(name.clone()).or_insert(value);
        }
    }
    Json::Object(values)
}

async fn dry_run(
    path: &Path,
) -> Result<opa_core::scaffolder::TaskResult, opa_core::scaffolder::TaskFailure> {
    let template = Template::from_file(path).unwrap();
    let values = sample_values(&template);
    let runner = TaskRunner::new(ActionRegistry::with_builtins(), Backends::new());
    let mut request = TaskRequest::new(template, values);
    request.dry_run = true;
    runner.run(request).await
}

#[test]
fn every_template_parses_and_its_parameter_schemas_compile() {
    let Some(dir) = corpus() else { return };
    let all = templates(&dir);
    assert!(all.len() >= 30, "found only {} templates", all.len());
    for path in all {
        let template =
            Template::from_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!template.steps.is_empty(), "{}", path.display());
        let problems = check_schemas(&template);
        assert!(problems.is_empty(), "{}: {problems:?}", path.display());
    }
}

#[tokio::test]
async fn backstage_software_templates_run_dry() {
    let Some(dir) = corpus() else { return };
    // Templates that stop: at an action OPA-rs lacks, or (pull-request) at a remote fetch URL
    // that no `urlRewrites` entry serves offline.
    let missing = [
        (
            "docs-template-cookiecutter",
            "unknown-action",
            "fetch:cookiecutter",
        ),
        ("rails-demo", "unknown-action", "fetch:rails"),
        (
            "pull-request",
            "url-not-served",
            "https://github.com/backstage/community",
        ),
    ];
    let mut ran = 0;
    for path in templates(&dir.join("software-templates")) {
        let name = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let outcome = dry_run(&path).await;
        match missing.iter().find(|(n, _, _)| *n == name) {
            Some((_, code, what)) => {
                let err = outcome.expect_err(&name);
                assert_eq!(err.code, *code, "{name}: {err}");
                assert!(err.message.contains(what), "{name}: {err}");
            }
            None => {
                let result = outcome.unwrap_or_else(|e| panic!("{name}: {e}"));
                ran += 1;
                assert!(
                    result
                        .files
                        .iter()
                        .any(|f| f.ends_with("catalog-info.yaml")),
                    "{name}: {:?}",
                    result.files
                );
                let statuses: Vec<_> = result.steps.iter().map(|s| s.status).collect();
                assert!(
                    statuses.contains(&"dry-run-skipped"),
                    "{name}: {statuses:?}"
                );
                assert!(result.output.get("links").is_some(), "{name}");
            }
        }
    }
    assert_eq!(
        ran, 6,
        "six templates need only built-in actions (gitlab-merge-request included)"
    );
}

#[tokio::test]
async fn opa_on_aws_templates_stop_at_their_first_platform_action() {
    let Some(dir) = corpus() else { return };
    let all = templates(&dir.join("opa-on-aws"));
    assert!(all.len() >= 20);
    let registry = ActionRegistry::with_builtins();
    let mut runnable = 0;
    for path in all {
        let template = Template::from_file(&path).unwrap();
        let Some(first_unknown) = template
            .steps
            .iter()
            .find(|s| registry.get(&s.action).is_none())
        else {
            // Only built-in actions (aws-environment): it runs dry to the end.
            let result = dry_run(&path)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!result.files.is_empty(), "{}", path.display());
            runnable += 1;
            continue;
        };
        assert!(
            first_unknown.action.starts_with("opa:"),
            "{}: {}",
            path.display(),
            first_unknown.action
        );
        let err = dry_run(&path).await.expect_err(&path.display().to_string());
        assert_eq!(err.code, "unknown-action");
        assert!(err.message.contains(&first_unknown.action), "{err}");
        assert_eq!(err.step_id.as_deref(), Some(first_unknown.id.as_str()));
    }
    assert_eq!(runnable, 1, "only aws-environment uses no opa:* action");
}
