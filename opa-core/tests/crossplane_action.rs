//! The `crossplane:render` scaffolder action through the step runner.

use opa_core::scaffolder::{ActionRegistry, Backends, TaskRequest, TaskRunner, Template};
use serde_json::json;

fn example(file: &str) -> String {
    let path = format!(
        "{}/../examples/crossplane/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn run(
    dir: &std::path::Path,
    claim: &str,
    extra: &str,
) -> Result<opa_core::scaffolder::TaskResult, opa_core::scaffolder::TaskFailure> {
    let ws = dir.join("ws");
    std::fs::create_dir_all(ws.join("crossplane")).unwrap();
    std::fs::write(ws.join("crossplane/xrd.yaml"), example("xrd.yaml")).unwrap();
    std::fs::write(
        ws.join("crossplane/composition.yaml"),
        example("composition.yaml"),
    )
    .unwrap();
    std::fs::write(ws.join("crossplane/claim.yaml"), claim).unwrap();
    let text = format!(
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: t\nspec:\n  steps:\n    - id: render\n      action: crossplane:render\n      input:\n        xrdPath: crossplane/xrd.yaml\n        compositionPath: crossplane/composition.yaml\n        claimPath: crossplane/claim.yaml\n        outputPath: preview/rendered.yaml\n{extra}  output:\n    valid: ${{{{ steps.render.output.valid }}}}\n    class: ${{{{ steps.render.output.resources[1].spec.forProvider.instanceClass }}}}\n"
    );
    std::fs::create_dir_all(dir.join("template")).unwrap();
    std::fs::write(dir.join("template/template.yaml"), text).unwrap();
    let template = Template::from_file(&dir.join("template/template.yaml")).unwrap();
    let runner = TaskRunner::new(ActionRegistry::with_builtins(), Backends::new());
    let mut request = TaskRequest::new(template, json!({}));
    request.workspace = Some(ws);
    runner.run(request).await
}

#[tokio::test]
async fn renders_the_claim_and_writes_the_preview() {
    let dir = tempfile::tempdir().unwrap();
    let result = run(dir.path(), &example("claim.yaml"), "")
        .await
        .expect("task runs");
    assert_eq!(result.output["valid"], json!(true));
    assert_eq!(result.output["class"], json!("db.t3.large"));
    let preview = std::fs::read_to_string(dir.path().join("ws/preview/rendered.yaml")).unwrap();
    assert!(
        preview.starts_with("---\napiVersion: platform.example.org/v1alpha1\nkind: XDatabase\n"),
        "{preview}"
    );
    assert!(preview.contains("instanceClass: db.t3.large"), "{preview}");
}

#[tokio::test]
async fn an_invalid_claim_fails_the_step_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let claim = "apiVersion: platform.example.org/v1alpha1\nkind: Database\nmetadata: {name: x}\nspec:\n  parameters: {team: a, size: huge}\n";
    let failure = run(dir.path(), claim, "")
        .await
        .expect_err("the step fails");
    assert_eq!(failure.step_id.as_deref(), Some("render"));
    assert!(
        failure
            .message
            .contains("spec.parameters.size: Unsupported value: \"huge\""),
        "{}",
        failure.message
    );
}
