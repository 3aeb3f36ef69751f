//! A template published to the local git host, registered in the catalog, and cloned with `git`.

use std::process::Command;
use std::sync::Arc;

use opa_core::config::Config;
use opa_core::entity::EntityRef;
use opa_core::scaffolder::catalog::{MemoryCatalog, TemplateCatalog};
use opa_core::scaffolder::effects::Effect;
use opa_core::scaffolder::{ActionRegistry, Backends, TaskRequest, TaskRunner, Template};
use opa_vcs::ConfigVcs;
use serde_json::json;

const TEMPLATE: &str = r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: publish-test
spec:
  parameters:
    required: [name, repoUrl]
    properties:
      name: {type: string}
      repoUrl: {type: string}
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
    - id: publish
      action: ACTION
      input:
        repoUrl: ${{ parameters.repoUrl }}
        defaultBranch: main
        repoVisibility: internal
        description: The ${{ parameters.name }} service
        gitCommitMessage: Create ${{ parameters.name }}
    - id: register
      action: catalog:register
      input:
        repoContentsUrl: ${{ steps.publish.output.repoContentsUrl }}
        catalogInfoPath: /catalog-info.yaml
    - id: after
      action: fs:rename
      input:
        files:
          - from: FROM
            to: renamed.yaml
  output:
    links:
      - title: Repository
        url: ${{ steps.publish.output.remoteUrl }}
      - title: Open in catalog
        entityRef: ${{ steps.register.output.entityRef }}
"#;

fn setup(dir: &std::path::Path, action: &str, rename_from: &str) -> Template {
    std::fs::create_dir_all(dir.join("template/skeleton/src")).unwrap();
    std::fs::write(
        dir.join("template/template.yaml"),
        TEMPLATE
            .replace("ACTION", action)
            .replace("FROM", rename_from),
    )
    .unwrap();
    std::fs::write(
        dir.join("template/skeleton/catalog-info.yaml"),
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n  owner: team-a\n  lifecycle: experimental\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("template/skeleton/src/index.js"),
        "// ${{ values.name }}\n",
    )
    .unwrap();
    Template::from_file(&dir.join("template/template.yaml")).unwrap()
}

fn runner(dir: &std::path::Path, catalog: Arc<MemoryCatalog>) -> TaskRunner {
    let config = Arc::new(Config::defaults(dir));
    let backends = Backends::new()
        .with_vcs(Arc::new(ConfigVcs::new(config)))
        .with_catalog(catalog);
    TaskRunner::new(ActionRegistry::with_builtins(), backends)
}

#[tokio::test]
async fn publish_gitlab_then_register_then_clone() {
    let dir = tempfile::tempdir().unwrap();
    let template = setup(dir.path(), "publish:gitlab", "catalog-info.yaml");
    let catalog = Arc::new(MemoryCatalog::new());
    let result = runner(dir.path(), catalog.clone())
        .run(TaskRequest::new(
            template,
            json!({"name": "web", "repoUrl": "gitlab.example.com?owner=apps&repo=web"}),
        ))
        .await
        .unwrap();
    let publish = &result.steps[1].output;
    let remote = publish["remoteUrl"].as_str().unwrap();
    assert!(remote.ends_with("/.opa/git/apps/web.git"), "{remote}");
    assert_eq!(
        publish["repoContentsUrl"],
        "https://gitlab.example.com/apps/web/-/blob/main"
    );
    assert_eq!(publish["projectId"], 1);
    assert_eq!(publish["created"], true);
    assert_eq!(publish["commitHash"].as_str().unwrap().len(), 40);
    assert_eq!(
        result.steps[2].output,
        json!({"entityRef": "component:default/web",
               "catalogInfoUrl": "https://gitlab.example.com/apps/web/-/blob/main/catalog-info.yaml"})
    );
    assert_eq!(
        result.output["links"][1]["entityRef"],
        "component:default/web"
    );
    let entity = catalog
        .get_entity(&EntityRef::new("Component", "default", "web"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entity["spec"]["owner"], "team-a");
    assert!(
        result
            .effects
            .iter()
            .any(|e| matches!(e, Effect::RepositoryCreated { .. }))
    );

    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped the clone: the git CLI is not installed");
        return;
    }
    let out = Command::new("git")
        .args(["clone", "--quiet", remote, "clone"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let src = std::fs::read_to_string(dir.path().join("clone/src/index.js")).unwrap();
    assert_eq!(src, "// web\n");
    let log = Command::new("git")
        .args(["log", "--format=%s", "main"])
        .current_dir(dir.path().join("clone"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&log.stdout).trim(), "Create web");
}

#[tokio::test]
async fn a_failure_after_publishing_lists_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let template = setup(dir.path(), "publish:github", "missing.yaml");
    let err = runner(dir.path(), Arc::new(MemoryCatalog::new()))
        .run(TaskRequest::new(
            template,
            json!({"name": "api", "repoUrl": "github.com?owner=acme&repo=api"}),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.step_id.as_deref(), Some("after"));
    assert!(
        err.message.contains("step \"after\" (fs:rename) failed"),
        "{err}"
    );
    assert!(err.message.contains("missing.yaml"), "{err}");
    let done: Vec<String> = err.effects.iter().map(ToString::to_string).collect();
    assert!(
        done.iter()
            .any(|d| d.contains("created repository https://github.com/acme/api")),
        "{done:?}"
    );
    assert!(
        done.iter()
            .any(|d| d.contains("registered component:default/api")),
        "{done:?}"
    );
    assert!(
        done.iter()
            .any(|d| d.starts_with("[fetch] wrote 2 file(s)")),
        "{done:?}"
    );

    // Publishing again to the same repository fails and names it.
    let template = setup(dir.path(), "publish:github", "catalog-info.yaml");
    let err = runner(dir.path(), Arc::new(MemoryCatalog::new()))
        .run(TaskRequest::new(
            template,
            json!({"name": "api", "repoUrl": "github.com?owner=acme&repo=api"}),
        ))
        .await
        .unwrap_err();
    assert!(
        err.message.contains("repository acme/api already exists"),
        "{err}"
    );
}
