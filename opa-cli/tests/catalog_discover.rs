//! `opa catalog discover` end to end: a wiremock GitLab serving two projects (one valid and one
//! invalid catalog file), and `--local` on a quickstart folder.

use std::process::Command;

use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VALID: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: one\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-a\n";
const INVALID: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: 'not valid!'\nspec:\n  type: service\n";

#[tokio::test(flavor = "multi_thread")]
async fn discovers_a_gitlab_group_and_reports_the_invalid_file() {
    let server = MockServer::start().await;
    let project = |id: u64, full: &str| json!({"id": id, "path_with_namespace": full, "default_branch": "main", "archived": false});
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/acme/projects"))
        .and(query_param("page", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Next-Page", "2")
                .set_body_json(json!([project(1, "acme/one")])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/acme/projects"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([project(2, "acme/sub/two")])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/api/v4/projects/acme%2Fone/repository/files/catalog-info.yaml/raw",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string(VALID))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/api/v4/projects/acme%2Fsub%2Ftwo/repository/files/.backstage%2Fcatalog-info.yaml/raw",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string(INVALID))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "404 File Not Found"})),
        )
        .mount(&server)
        .await;
    let uri = server.uri();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_opa"))
            .args([
                "catalog",
                "discover",
                "--gitlab-group",
                "acme",
                "--url",
                &uri,
                "--format",
                "json",
            ])
            .env("GITLAB_TOKEN", "glpat-e2e")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert!(
        report["entities"]
            .as_array()
            .unwrap()
            .contains(&json!("component:default/one")),
        "{report}"
    );
    assert_eq!(
        report["invalid"][0]["repository"], "acme/sub/two",
        "{report}"
    );
    assert_eq!(
        report["invalid"][0]["path"], ".backstage/catalog-info.yaml",
        "{report}"
    );
    assert_eq!(
        report["dangling"][0]["target"], "group:default/team-a",
        "{report}"
    );
    assert!(!stdout.contains("glpat-e2e"));
}

#[test]
fn discovers_a_quickstart_git_host() {
    let dir = tempfile::tempdir().unwrap();
    let qs = dir.path().join("qs");
    let status = Command::new(env!("CARGO_BIN_EXE_opa"))
        .arg("quickstart")
        .arg(&qs)
        .output()
        .unwrap();
    assert!(status.status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_opa"))
        .args(["catalog", "discover", "--format", "json", "--local"])
        .arg(qs.join("git"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["entities"]
            .as_array()
            .unwrap()
            .contains(&json!("component:default/payments-api")),
        "{report}"
    );
    assert_eq!(report["invalid"], json!([]));
}
