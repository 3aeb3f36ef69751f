//! `opa template validate|run|render` as a person or a pipeline runs them.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value as Json;

fn opa(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opa"))
        .args(args)
        .current_dir(dir)
        .env_remove("OPA_USER")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const TEMPLATE: &str = r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: cli-test
spec:
  parameters:
    - title: Basics
      required: [name]
      properties:
        name:
          type: string
          pattern: '^[a-z]+$'
        repoUrl:
          type: string
          default: gitlab.example.com?owner=apps&repo=demo
  steps:
    - id: fetch
      name: Fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
    - id: say
      name: Say
      action: debug:log
      input:
        message: hello ${{ parameters.name }} with ${{ secrets.token }}
    - id: publish
      name: Publish
      action: publish:gitlab
      input:
        repoUrl: ${{ parameters.repoUrl }}
        defaultBranch: main
  output:
    links:
      - title: Repository
        url: ${{ steps.publish.output.remoteUrl }}
"#;

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("skeleton")).unwrap();
    std::fs::write(dir.path().join("template.yaml"), TEMPLATE).unwrap();
    std::fs::write(
        dir.path().join("skeleton/README.md"),
        "# ${{ values.name }}\n\n{{ not templated }}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("values.yaml"), "name: web\n").unwrap();
    dir
}

#[test]
fn validate_reports_valid_and_invalid_templates() {
    let dir = setup();
    let out = opa(dir.path(), &["template", "validate", "template.yaml"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("is valid (1 parameter page(s), 3 step(s))"),
        "{}",
        text(&out)
    );

    std::fs::write(
        dir.path().join("bad.yaml"),
        "apiVersion: x\nkind: Template\nmetadata:\n  name: b\nspec: {}\n",
    )
    .unwrap();
    let out = opa(
        dir.path(),
        &["template", "validate", "bad.yaml", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], false);
    let codes: Vec<_> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["invalid-api-version", "missing-field"]);

    std::fs::write(dir.path().join("bad-values.yaml"), "name: Web\n").unwrap();
    let out = opa(
        dir.path(),
        &[
            "template",
            "validate",
            "template.yaml",
            "--values",
            "bad-values.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("parameter \"name\" on page 1 (\"Basics\")"),
        "{}",
        text(&out)
    );
}

#[test]
fn run_publishes_locally_and_shows_steps_and_log() {
    let dir = setup();
    let out = opa(
        dir.path(),
        &[
            "template",
            "run",
            "template.yaml",
            "--values",
            "values.yaml",
            "--secret",
            "token=tok-123",
        ],
    );
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    assert!(all.contains("▶ fetch: Fetch (fetch:template)"), "{all}");
    // The rendered message derives from a secret, so it is redacted whole (as Backstage does).
    assert!(all.contains("    ***\n"), "{all}");
    assert!(!all.contains("tok-123"), "{all}");
    assert!(all.contains("Repository: "), "{all}");
    // Without opa.yaml every host is the local git host under ./.opa/git.
    assert!(dir.path().join(".opa/git/apps/demo.git/HEAD").is_file());
}

#[test]
fn run_json_is_json_lines_with_debug_log() {
    let dir = setup();
    let out = opa(
        dir.path(),
        &[
            "template",
            "run",
            "template.yaml",
            "--set",
            "name=api",
            "--dry-run",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let events: Vec<Json> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"taskStarted"));
    assert_eq!(kinds.last(), Some(&"result"));
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "log" && e["message"] == "hello api with ")
    );
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "stepSkipped" && e["stepId"] == "publish")
    );
    let result = events.last().unwrap();
    assert_eq!(result["status"], "completed");
    assert_eq!(result["output"]["links"][0]["url"], "<example>");
    assert_eq!(result["files"], serde_json::json!(["README.md"]));
    assert!(
        !dir.path().join(".opa").exists(),
        "a dry run publishes nothing"
    );
}

#[test]
fn run_exits_1_on_invalid_values_and_failed_steps() {
    let dir = setup();
    let out = opa(
        dir.path(),
        &["template", "run", "template.yaml", "--set", "name=NOPE"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("error[invalid-values]"),
        "{}",
        text(&out)
    );

    // The second run finds the repository already there.
    let out = opa(
        dir.path(),
        &["template", "run", "template.yaml", "--set", "name=web"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = opa(
        dir.path(),
        &[
            "template",
            "run",
            "template.yaml",
            "--set",
            "name=web",
            "--workspace",
            "kept",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let last: Json =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().last().unwrap()).unwrap();
    assert_eq!(last["status"], "failed");
    assert_eq!(last["stepId"], "publish");
    assert!(
        last["message"]
            .as_str()
            .unwrap()
            .contains("apps/demo already exists"),
        "{last}"
    );
    assert_eq!(last["effects"][0]["kind"], "filesWritten");
    assert!(
        dir.path().join("kept/README.md").is_file(),
        "the workspace is kept"
    );
}

#[test]
fn render_prints_exactly_what_fetch_template_writes() {
    let dir = setup();
    let out = opa(
        dir.path(),
        &[
            "template",
            "render",
            "--values",
            "values.yaml",
            "skeleton/README.md",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "# web\n\n{{ not templated }}\n"
    );
}
