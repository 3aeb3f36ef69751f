//! `opa:create-team-namespace` run by the task runner: the manifest it writes and its outputs.

use opa_core::scaffolder::{ActionRegistry, Backends, TaskRequest, TaskRunner, Template};
use serde_json::json;

async fn run(
    input: &str,
) -> (
    tempfile::TempDir,
    Result<opa_core::scaffolder::TaskResult, opa_core::scaffolder::TaskFailure>,
) {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: team-namespace\nspec:\n  parameters:\n  - properties:\n      team: {{type: string}}\n  steps:\n  - id: ns\n    action: opa:create-team-namespace\n    input:\n{input}"
    );
    std::fs::create_dir_all(dir.path().join("template")).unwrap();
    let file = dir.path().join("template/template.yaml");
    std::fs::write(&file, text).unwrap();
    let template = Template::from_file(&file).unwrap();
    let runner = TaskRunner::new(ActionRegistry::with_builtins(), Backends::new());
    let mut request = TaskRequest::new(template, json!({"team": "payments"}));
    request.workspace = Some(dir.path().join("ws"));
    let result = runner.run(request).await;
    (dir, result)
}

#[tokio::test]
async fn writes_the_manifest_and_outputs_the_namespace() {
    let (dir, result) = run(
        "      teamName: ${{ parameters.team }}\n      environment: staging\n      resourceQuota:\n        cpuLimit: \"2\"\n",
    )
    .await;
    let result = result.unwrap();
    let output = &result.steps[0].output;
    assert_eq!(output["namespace"], "payments-staging");
    assert_eq!(output["manifestPath"], "kubernetes/payments-staging.yaml");
    assert_eq!(output["resources"].as_array().unwrap().len(), 7);
    let manifest =
        std::fs::read_to_string(dir.path().join("ws/kubernetes/payments-staging.yaml")).unwrap();
    assert_eq!(manifest.matches("---\n").count(), 7);
    assert!(manifest.contains("kind: RoleBinding"));
    assert!(manifest.contains("    limits.cpu: '2'\n"), "{manifest}");
    assert!(
        manifest.contains("    limits.memory: 8Gi\n"),
        "the default memory quota: {manifest}"
    );
}

#[tokio::test]
async fn an_invalid_request_fails_the_step() {
    let (_dir, result) = run("      teamName: Payments\n      environment: staging\n").await;
    let failure = result.unwrap_err();
    assert!(failure.message.contains("teamName"), "{}", failure.message);
}
