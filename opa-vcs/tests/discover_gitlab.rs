//! The discovery engine on a wiremock "GitLab" serving a group with a subgroup and several
//! projects: one whose files cannot be read (403), one archived, one with an invalid file, one
//! whose `Location` names more files, and slow answers so reads finish out of order.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use opa_core::config::SecretString;
use opa_vcs::GitLab;
use opa_vcs::discover::{DiscoverOptions, Progress, discover_files};
use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn project(id: u64, full: &str, archived: bool) -> serde_json::Value {
    json!({"id": id, "path_with_namespace": full, "default_branch": "main", "archived": archived,
           "visibility": "private", "web_url": format!("https://gitlab.example.com/{full}")})
}

fn component(name: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/team-a\n"
    )
}

async fn raw(server: &MockServer, project: &str, file: &str, body: String, delay_ms: u64) {
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/v4/projects/{project}/repository/files/{file}/raw"
        )))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(body)
                .set_delay(Duration::from_millis(delay_ms)),
        )
        .mount(server)
        .await;
}

#[tokio::test]
async fn reads_a_group_concurrently_in_a_stable_order_and_reports_failures() {
    let server = MockServer::start().await;
    // The listing includes an archived project, as a server ignoring `archived=false` would.
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/acme/projects"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            project(1, "acme/api", false),
            project(2, "acme/old", true),
            project(3, "acme/sub/web", false),
            project(4, "acme/sub/locked", false),
            project(5, "acme/bad", false),
        ])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/acme/descendant_groups"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"id": 9, "full_path": "acme/sub"}])),
        )
        .mount(&server)
        .await;
    // acme/api: a Location naming two more files by a glob, answered slowly.
    raw(
        &server,
        "acme%2Fapi",
        "catalog-info.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: api-parts\nspec:\n  targets:\n    - ./parts/*.yaml\n".into(),
        300,
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/acme%2Fapi/repository/tree"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "1", "name": "a.yaml", "type": "blob", "path": "parts/a.yaml", "mode": "100644"},
            {"id": "2", "name": "b.yaml", "type": "blob", "path": "parts/b.yaml", "mode": "100644"},
            {"id": "3", "name": "c.txt", "type": "blob", "path": "parts/c.txt", "mode": "100644"}
        ])))
        .mount(&server)
        .await;
    raw(
        &server,
        "acme%2Fapi",
        "parts%2Fa.yaml",
        component("api-a"),
        0,
    )
    .await;
    raw(
        &server,
        "acme%2Fapi",
        "parts%2Fb.yaml",
        component("api-b"),
        0,
    )
    .await;
    raw(
        &server,
        "acme%2Fsub%2Fweb",
        ".backstage%2Fcatalog-info.yaml",
        component("web"),
        0,
    )
    .await;
    raw(
        &server,
        "acme%2Fbad",
        "catalog-info.yaml",
        "kind: Component\nmetadata:\n  name: 'not valid!'\n".into(),
        0,
    )
    .await;
    Mock::given(method("GET"))
        .and(path_regex("^/api/v4/projects/acme%2Fsub%2Flocked/"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"message": "403 Forbidden"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/api/v4/projects/acme%2Fold/"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    // Every other file is missing.
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "404 File Not Found"})),
        )
        .mount(&server)
        .await;

    let gl = GitLab::new(server.uri(), Some(SecretString::new("glpat-d"))).unwrap();
    let repos = gl.group_projects("acme", false).await.unwrap();
    let names: Vec<String> = repos.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(
        names,
        ["acme/api", "acme/bad", "acme/sub/locked", "acme/sub/web"]
    );

    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let options = DiscoverOptions {
        concurrency: 4,
        ..DiscoverOptions::default()
    };
    let out = discover_files(&gl, repos, &options, move |p| match p {
        Progress::Started { total } => log.lock().unwrap().push(format!("start {total}")),
        Progress::Read { repo, failed, .. } => log.lock().unwrap().push(format!(
            "{} {}",
            repo.id,
            if failed { "failed" } else { "ok" }
        )),
    })
    .await;
    let files: Vec<(String, String)> = out
        .found
        .iter()
        .map(|f| (f.repo.clone(), f.path.clone()))
        .collect();
    assert_eq!(
        files,
        [
            ("acme/api".into(), "catalog-info.yaml".into()),
            ("acme/api".into(), "parts/a.yaml".into()),
            ("acme/api".into(), "parts/b.yaml".into()),
            ("acme/bad".into(), "catalog-info.yaml".into()),
            ("acme/sub/web".into(), ".backstage/catalog-info.yaml".into()),
        ]
    );
    assert_eq!(out.repositories, 4);
    assert_eq!(out.failures.len(), 1);
    assert_eq!(out.failures[0].repo, "acme/sub/locked");
    assert_eq!(out.failures[0].error.code(), "forbidden");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0], "start 4");
    assert!(
        seen.contains(&"acme/sub/locked failed".to_string()),
        "{seen:?}"
    );
    // The slow repository finished last although it is first in the output.
    assert_eq!(seen.last().unwrap(), "acme/api ok", "{seen:?}");
}
