//! `opa catalog discover --github-org` end to end on a wiremock GitHub: an organisation whose
//! repositories come in two `Link` pages — one valid catalog file, one archived repository
//! (skipped), one invalid catalog file, one repository whose reads fail — gives the entities, the
//! invalid file with its repository and path, the failed repository, and exit 1.

use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "ghp_discoverE2eToken";
const VALID: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: one\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-a\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n";
const INVALID: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: 'not valid!'\nspec:\n  type: service\n";
const ARCHIVED: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: old\nspec:\n  type: service\n  lifecycle: deprecated\n  owner: team-a\n";

fn repo(server: &MockServer, name: &str, archived: bool) -> Value {
    json!({"id": 1, "name": name, "full_name": format!("acme/{name}"),
           "owner": {"login": "acme", "type": "Organization"}, "private": false,
           "default_branch": "main", "archived": archived,
           "html_url": format!("https://github.com/acme/{name}"),
           "clone_url": format!("https://github.com/acme/{name}.git"),
           "url": format!("{}/repos/acme/{name}", server.uri())})
}

fn file(path: &str, text: &str) -> Value {
    json!({"type": "file", "encoding": "base64", "size": text.len(), "path": path,
           "content": BASE64.encode(text)})
}

#[tokio::test(flavor = "multi_thread")]
async fn discovers_a_github_org() {
    let server = MockServer::start().await;
    let page2 = format!(
        "{}/organizations/42/repos?per_page=100&page=2",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path("/orgs/acme/repos"))
        .and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("X-GitHub-Api-Version", "2022-11-28"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "Link",
                    format!(r#"<{page2}>; rel="next", <{page2}>; rel="last""#).as_str(),
                )
                .set_body_json(json!([
                    repo(&server, "one", false),
                    repo(&server, "old", true)
                ])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/organizations/42/repos"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            repo(&server, "bad", false),
            repo(&server, "broken", false)
        ])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/one/contents/catalog-info.yaml"))
        .and(query_param("ref", "main"))
        .respond_with(ResponseTemplate::new(200).set_body_json(file("catalog-info.yaml", VALID)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/old/contents/catalog-info.yaml"))
        .respond_with(ResponseTemplate::new(200).set_body_json(file("catalog-info.yaml", ARCHIVED)))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/repos/acme/bad/contents/.backstage/catalog-info.yaml",
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(file(".backstage/catalog-info.yaml", INVALID)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/broken/contents/catalog-info.yaml"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "message": "Resource not accessible by personal access token",
            "documentation_url": "https://docs.github.com/rest/repos/contents#get-repository-content",
            "status": "403"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"
        })))
        .mount(&server)
        .await;

    let uri = server.uri();
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_opa"))
            .args([
                "catalog",
                "discover",
                "--github-org",
                "acme",
                "--url",
                &uri,
                "--format",
                "json",
            ])
            .current_dir(cwd)
            .env("GITHUB_TOKEN", TOKEN)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let report: Value = serde_json::from_str(stdout.trim()).unwrap();
    let entities = report["entities"].as_array().unwrap();
    assert!(
        entities.contains(&json!("component:default/one")),
        "{report}"
    );
    assert!(
        entities.contains(&json!("group:default/team-a")),
        "{report}"
    );
    assert!(
        !entities.contains(&json!("component:default/old")),
        "{report}"
    );
    assert_eq!(report["invalid"][0]["repository"], "acme/bad", "{report}");
    assert_eq!(
        report["invalid"][0]["path"], ".backstage/catalog-info.yaml",
        "{report}"
    );
    assert_eq!(
        report["failedRepositories"][0]["repository"], "acme/broken",
        "{report}"
    );
    assert_eq!(
        report["failedRepositories"][0]["code"], "forbidden",
        "{report}"
    );
    assert_eq!(report["dangling"], json!([]), "{report}");
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["repository"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["acme/bad", "acme/one"], "{report}");
    assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN));
}
