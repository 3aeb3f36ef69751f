//! `publish:gitlab` and `publish:gitlab:merge-request` end to end: a template runs against a
//! wiremock "GitLab" that `opa.yaml`'s integration names by host, and the requests it sent are
//! checked against GitLab's API.

use std::sync::Arc;

use opa_core::config::{Config, Integration, IntegrationKind, SecretString};
use opa_core::scaffolder::catalog::MemoryCatalog;
use opa_core::scaffolder::{ActionRegistry, Backends, TaskRequest, TaskRunner, Template};
use opa_vcs::ConfigVcs;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "glpat-publish";

const TEMPLATE: &str = r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: publish-gitlab-test
spec:
  parameters:
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
      action: publish:gitlab
      input:
        repoUrl: ${{ parameters.repoUrl }}
        defaultBranch: main
        repoVisibility: internal
        description: The ${{ parameters.name }} service
        gitCommitMessage: Create ${{ parameters.name }}
  output:
    remoteUrl: ${{ steps.publish.output.remoteUrl }}
    projectId: ${{ steps.publish.output.projectId }}
"#;

const MR_TEMPLATE: &str = r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: mr-test
spec:
  parameters:
    properties:
      repoUrl: {type: string}
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        targetPath: ./docs
        values:
          name: web
    - id: mr
      action: publish:gitlab:merge-request
      input:
        repoUrl: ${{ parameters.repoUrl }}
        title: Add the catalog file
        description: Registers web
        branchName: add-catalog
        targetBranchName: develop
        targetPath: docs
"#;

fn template(dir: &std::path::Path, text: &str) -> Template {
    std::fs::create_dir_all(dir.join("t/skeleton")).unwrap();
    std::fs::write(dir.join("t/template.yaml"), text).unwrap();
    std::fs::write(
        dir.join("t/skeleton/catalog-info.yaml"),
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n  owner: team-a\n  lifecycle: experimental\n",
    )
    .unwrap();
    Template::from_file(&dir.join("t/template.yaml")).unwrap()
}

fn runner(dir: &std::path::Path, server: &MockServer) -> TaskRunner {
    let mut config = Config::defaults(dir);
    config.integrations.push(Integration {
        host: "gitlab.example.com".into(),
        kind: IntegrationKind::Gitlab,
        token: Some(SecretString::new(TOKEN)),
        api_base_url: Some(format!("{}/api/v4", server.uri())),
        root: None,
    });
    let backends = Backends::new()
        .with_vcs(Arc::new(ConfigVcs::new(Arc::new(config))))
        .with_catalog(Arc::new(MemoryCatalog::new()));
    TaskRunner::new(ActionRegistry::with_builtins(), backends)
}

fn project(id: u64, full: &str, empty: bool) -> Value {
    json!({"id": id, "path_with_namespace": full, "name": full.rsplit('/').next().unwrap(),
           "default_branch": if empty { Value::Null } else { json!("main") },
           "empty_repo": empty, "visibility": "internal", "archived": false,
           "web_url": format!("https://gitlab.example.com/{full}"),
           "http_url_to_repo": format!("https://gitlab.example.com/{full}.git")})
}

async fn requests(server: &MockServer) -> Vec<(String, String)> {
    let all: Vec<Request> = server.received_requests().await.unwrap();
    for r in &all {
        assert_eq!(
            r.headers.get("private-token").and_then(|v| v.to_str().ok()),
            Some(TOKEN),
            "{} {}",
            r.method,
            r.url
        );
    }
    all.iter()
        .map(|r| (r.method.to_string(), r.url.path().to_string()))
        .collect()
}

#[tokio::test]
async fn publish_gitlab_creates_the_project_and_commits_the_workspace() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/namespaces/platform%2Fapps"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": 31, "full_path": "platform/apps", "kind": "group"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects"))
        .and(body_partial_json(
            json!({"name": "web", "path": "web", "namespace_id": 31,
            "visibility": "internal", "description": "The web service", "default_branch": "main"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(project(
            77,
            "platform/apps/web",
            true,
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/api/v4/projects/platform%2Fapps%2Fweb/repository/tree",
        ))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "404 Tree Not Found"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/platform%2Fapps%2Fweb"))
        .respond_with(ResponseTemplate::new(200).set_body_json(project(
            77,
            "platform/apps/web",
            true,
        )))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/platform%2Fapps%2Fweb/repository/commits"))
        .and(body_partial_json(json!({
            "branch": "main", "commit_message": "Create web",
            "actions": [{"action": "create", "file_path": "catalog-info.yaml", "encoding": "text",
                         "content": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\nspec:\n  type: service\n  owner: team-a\n  lifecycle: experimental\n"}]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "6104942438c14ec7bd21c6cd5bd995272b3faff6", "short_id": "6104942438c"})))
        .expect(1)
        .mount(&server)
        .await;

    let dir = tempfile::tempdir().unwrap();
    let result = runner(dir.path(), &server)
        .run(TaskRequest::new(
            template(dir.path(), TEMPLATE),
            json!({"name": "web", "repoUrl": "gitlab.example.com?owner=platform%2Fapps&repo=web"}),
        ))
        .await
        .unwrap();
    let out = &result.steps[1].output;
    assert_eq!(
        out["remoteUrl"],
        "https://gitlab.example.com/platform/apps/web.git"
    );
    assert_eq!(
        out["repoContentsUrl"],
        "https://gitlab.example.com/platform/apps/web/-/blob/main"
    );
    assert_eq!(out["projectId"], 77);
    assert_eq!(
        out["commitHash"],
        "6104942438c14ec7bd21c6cd5bd995272b3faff6"
    );
    assert_eq!(out["created"], true);
    assert_eq!(result.output["projectId"], 77);
    let sent = requests(&server).await;
    assert_eq!(
        sent[0],
        ("GET".into(), "/api/v4/namespaces/platform%2Fapps".into())
    );
    assert_eq!(sent[1], ("POST".into(), "/api/v4/projects".into()));
    assert_eq!(
        sent.last().unwrap(),
        &(
            "POST".to_string(),
            "/api/v4/projects/platform%2Fapps%2Fweb/repository/commits".to_string()
        )
    );
}

#[tokio::test]
async fn publish_gitlab_reports_a_taken_project() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/namespaces/apps"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 3})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"message": {"name": ["has already been taken"], "path": ["has already been taken"]}}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let err = runner(dir.path(), &server)
        .run(TaskRequest::new(
            template(dir.path(), TEMPLATE),
            json!({"name": "web", "repoUrl": "gitlab.example.com?owner=apps&repo=web"}),
        ))
        .await
        .unwrap_err();
    assert!(
        err.message.contains("repository apps/web already exists"),
        "{err}"
    );
    assert!(!err.message.contains(TOKEN));
}

#[tokio::test]
async fn merge_request_branches_from_the_target_commits_and_opens_the_mr() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/acme%2Fweb/repository/branches"))
        .and(query_param("branch", "add-catalog"))
        .and(query_param("ref", "develop"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "name": "add-catalog", "merged": false, "protected": false, "default": false,
            "web_url": "https://gitlab.example.com/acme/web/-/tree/add-catalog",
            "commit": {"id": "7b5c3cc8be40ee161ae89a06bba6229da1032a0c"}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/acme%2Fweb/repository/tree"))
        .and(query_param("ref", "add-catalog"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "a", "name": "catalog-info.yaml", "type": "blob", "path": "docs/catalog-info.yaml", "mode": "100644"}
        ])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/acme%2Fweb/repository/commits"))
        .and(body_partial_json(
            json!({"branch": "add-catalog", "commit_message": "Add the catalog file",
            "actions": [{"action": "update", "file_path": "docs/catalog-info.yaml"}]}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "0b4bc9a4"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/acme%2Fweb/merge_requests"))
        .and(body_partial_json(json!({"source_branch": "add-catalog", "target_branch": "develop",
            "title": "Add the catalog file", "description": "Registers web"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": 8, "iid": 3, "web_url": "https://gitlab.example.com/acme/web/-/merge_requests/3"})))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let result = runner(dir.path(), &server)
        .run(TaskRequest::new(
            template(dir.path(), MR_TEMPLATE),
            json!({"repoUrl": "gitlab.example.com?owner=acme&repo=web"}),
        ))
        .await
        .unwrap();
    assert_eq!(
        result.steps[1].output,
        json!({"projectid": "acme/web", "targetBranchName": "develop", "projectPath": "acme/web",
               "mergeRequestUrl": "https://gitlab.example.com/acme/web/-/merge_requests/3"})
    );
    requests(&server).await;
}
