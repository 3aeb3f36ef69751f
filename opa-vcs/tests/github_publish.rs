//! A small template run end to end against a wiremock GitHub: `opa.yaml` maps `github.com` to
//! the GitHub backend (API base URL = the mock), `publish:github` creates the repository and
//! commits the rendered skeleton in one commit, and `publish:github:pull-request` opens a pull
//! request with the workspace under `targetPath`.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use opa_core::config::Config;
use opa_core::scaffolder::{ActionRegistry, Backends, TaskRequest, TaskRunner, Template};
use opa_vcs::ConfigVcs;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "ghp_publishTestToken";

const TEMPLATE: &str = r#"apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: github-publish-test
spec:
  parameters:
    required: [name]
    properties:
      name: {type: string}
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
    - id: publish
      action: PUBLISH
      input:
        INPUTS
"#;

fn setup(dir: &std::path::Path, action: &str, inputs: &str) -> Template {
    std::fs::create_dir_all(dir.join("template/skeleton/src")).unwrap();
    std::fs::write(
        dir.join("template/template.yaml"),
        TEMPLATE
            .replace("PUBLISH", action)
            .replace("INPUTS", inputs),
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

fn runner(dir: &std::path::Path, server: &MockServer) -> TaskRunner {
    let yaml = format!(
        "integrations:\n  - host: github.com\n    kind: github\n    token: ${{GH_TEST_TOKEN}}\n    apiBaseUrl: {}\n",
        server.uri()
    );
    let mut config = Config::from_yaml_str(&yaml, &|name| {
        (name == "GH_TEST_TOKEN").then(|| TOKEN.to_string())
    })
    .unwrap();
    config.base_dir = dir.to_path_buf();
    let backends = Backends::new().with_vcs(Arc::new(ConfigVcs::new(Arc::new(config))));
    TaskRunner::new(ActionRegistry::with_builtins(), backends)
}

fn repo_json(default_branch: &str) -> Value {
    json!({"id": 7, "name": "web", "full_name": "acme/web", "owner": {"login": "acme", "type": "Organization"},
           "private": true, "visibility": "private", "default_branch": default_branch,
           "html_url": "https://github.com/acme/web", "clone_url": "https://github.com/acme/web.git",
           "archived": false})
}

async fn mount(server: &MockServer, verb: &str, at: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(at))
        .and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

/// The blobs the client sent, decoded.
fn blobs(requests: &[Request]) -> Vec<String> {
    let mut out: Vec<String> = requests
        .iter()
        .filter(|r| r.url.path().ends_with("/git/blobs"))
        .map(|r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            String::from_utf8(BASE64.decode(body["content"].as_str().unwrap()).unwrap()).unwrap()
        })
        .collect();
    out.sort();
    out
}

fn tree_paths(requests: &[Request]) -> Vec<String> {
    let tree = requests
        .iter()
        .find(|r| r.url.path().ends_with("/git/trees"))
        .unwrap();
    let body: Value = serde_json::from_slice(&tree.body).unwrap();
    body["tree"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn publish_github_creates_the_repository_and_commits_the_skeleton() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/users/acme",
        200,
        json!({"login": "acme", "type": "Organization"}),
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/orgs/acme/repos"))
        .and(body_partial_json(
            json!({"name": "web", "visibility": "internal", "description": "The web service"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(repo_json("main")))
        .expect(1)
        .mount(&server)
        .await;
    mount(
        &server,
        "GET",
        "/repos/acme/web/git/ref/heads/main",
        409,
        json!({"message": "Git Repository is empty."}),
    )
    .await;
    mount(
        &server,
        "PUT",
        "/repos/acme/web/contents/catalog-info.yaml",
        201,
        json!({"commit": {"sha": "c0"}}),
    )
    .await;
    mount(
        &server,
        "POST",
        "/repos/acme/web/git/blobs",
        201,
        json!({"sha": "b"}),
    )
    .await;
    mount(
        &server,
        "POST",
        "/repos/acme/web/git/trees",
        201,
        json!({"sha": "t1"}),
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/web/git/commits"))
        .and(body_partial_json(
            json!({"message": "Create web", "parents": []}),
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"sha": "4f1c0ffee", "tree": {"sha": "t1"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount(
        &server,
        "PATCH",
        "/repos/acme/web/git/refs/heads/main",
        200,
        json!({"object": {"sha": "4f1c0ffee"}}),
    )
    .await;
    mount(&server, "GET", "/repos/acme/web", 200, repo_json("main")).await;

    let dir = tempfile::tempdir().unwrap();
    let template = setup(
        dir.path(),
        "publish:github",
        "repoUrl: github.com?owner=acme&repo=web\n        defaultBranch: main\n        repoVisibility: internal\n        description: The web service\n        gitCommitMessage: Create ${{ parameters.name }}",
    );
    let result = runner(dir.path(), &server)
        .run(TaskRequest::new(template, json!({"name": "web"})))
        .await
        .unwrap();
    let publish = &result.steps[1].output;
    assert_eq!(publish["remoteUrl"], "https://github.com/acme/web.git");
    assert_eq!(
        publish["repoContentsUrl"],
        "https://github.com/acme/web/blob/main"
    );
    assert_eq!(publish["commitHash"], "4f1c0ffee");
    let requests = server.received_requests().await.unwrap();
    let sent = blobs(&requests);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0], "// web\n");
    assert!(sent[1].contains("  name: web\n"), "{sent:?}");
    assert_eq!(tree_paths(&requests), ["catalog-info.yaml", "src/index.js"]);
}

#[tokio::test]
async fn publish_github_pull_request_opens_a_pull_request() {
    let server = MockServer::start().await;
    mount(&server, "GET", "/repos/acme/web", 200, repo_json("main")).await;
    mount(
        &server,
        "GET",
        "/repos/acme/web/git/ref/heads/main",
        200,
        json!({"object": {"sha": "m0", "type": "commit"}}),
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/web/git/refs"))
        .and(body_partial_json(
            json!({"ref": "refs/heads/add-web", "sha": "m0"}),
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"ref": "refs/heads/add-web", "object": {"sha": "m0"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount(
        &server,
        "GET",
        "/repos/acme/web/git/ref/heads/add-web",
        200,
        json!({"object": {"sha": "m0", "type": "commit"}}),
    )
    .await;
    mount(
        &server,
        "GET",
        "/repos/acme/web/git/commits/m0",
        200,
        json!({"sha": "m0", "tree": {"sha": "t0"}}),
    )
    .await;
    mount(
        &server,
        "POST",
        "/repos/acme/web/git/blobs",
        201,
        json!({"sha": "b"}),
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/web/git/trees"))
        .and(body_partial_json(json!({"base_tree": "t0"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"sha": "t1"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/web/git/commits"))
        .and(body_partial_json(
            json!({"message": "Add web", "parents": ["m0"]}),
        ))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"sha": "c1", "tree": {"sha": "t1"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/acme/web/git/refs/heads/add-web"))
        .and(body_partial_json(json!({"sha": "c1", "force": false})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"object": {"sha": "c1"}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/web/pulls"))
        .and(body_partial_json(json!({"title": "Add web", "head": "add-web", "base": "main", "body": "Adds the web service"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"number": 12, "html_url": "https://github.com/acme/web/pull/12"})))
        .expect(1)
        .mount(&server)
        .await;

    let dir = tempfile::tempdir().unwrap();
    let template = setup(
        dir.path(),
        "publish:github:pull-request",
        "repoUrl: github.com?owner=acme&repo=web\n        branchName: add-${{ parameters.name }}\n        title: Add ${{ parameters.name }}\n        description: Adds the ${{ parameters.name }} service\n        targetPath: services/web",
    );
    let result = runner(dir.path(), &server)
        .run(TaskRequest::new(template, json!({"name": "web"})))
        .await
        .unwrap();
    let pr = &result.steps[1].output;
    assert_eq!(
        pr,
        &json!({"targetBranchName": "main", "remoteUrl": "https://github.com/acme/web/pull/12", "pullRequestNumber": 12})
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        tree_paths(&requests),
        [
            "services/web/catalog-info.yaml",
            "services/web/src/index.js"
        ]
    );
}
