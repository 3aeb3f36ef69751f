//! Request/response contract of the GitLab client on a wiremock server answering as GitLab's
//! REST API v4 documents: url-encoded project paths, `PRIVATE-TOKEN`, `X-Next-Page` pagination,
//! and the 401, 404 and 429 paths.

use opa_core::config::SecretString;
use opa_core::vcs::{RepoId, Vcs, VcsError};
use opa_vcs::GitLab;
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn project(id: u64, full: &str) -> serde_json::Value {
    json!({"id": id, "path_with_namespace": full, "default_branch": "main", "visibility": "private",
           "web_url": format!("https://gl/{full}"), "http_url_to_repo": format!("https://gl/{full}.git"),
           "archived": false})
}

fn client(server: &MockServer) -> GitLab {
    GitLab::new(server.uri(), Some(SecretString::new("glpat-test"))).unwrap()
}

#[tokio::test]
async fn lists_group_projects_across_two_pages_with_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/acme%2Fapps/projects"))
        .and(header("PRIVATE-TOKEN", "glpat-test"))
        .and(query_param("include_subgroups", "true"))
        .and(query_param("archived", "false"))
        .and(query_param("page", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Next-Page", "2")
                .set_body_json(json!([project(1, "acme/apps/one")])),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/acme%2Fapps/projects"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Next-Page", "")
                .set_body_json(json!([project(2, "acme/apps/sub/two")])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let repos = client(&server)
        .list_repositories(Some("acme/apps"))
        .await
        .unwrap();
    let ids: Vec<String> = repos.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(ids, ["acme/apps/one", "acme/apps/sub/two"]);
    assert_eq!(repos[1].id.owner, "acme/apps/sub");
    assert_eq!(repos[0].project_id, Some(1));
}

#[tokio::test]
async fn reads_a_raw_file_with_encoded_paths() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/api/v4/projects/acme%2Fapps%2Fone/repository/files/.backstage%2Fcatalog-info.yaml/raw",
        ))
        .and(query_param("ref", "main"))
        .and(header("PRIVATE-TOKEN", "glpat-test"))
        .respond_with(ResponseTemplate::new(200).set_body_string("kind: Component\n"))
        .mount(&server)
        .await;
    let bytes = client(&server)
        .read_file(
            &RepoId::new("acme/apps", "one"),
            Some("main"),
            ".backstage/catalog-info.yaml",
        )
        .await
        .unwrap();
    assert_eq!(bytes, b"kind: Component\n");
}

#[tokio::test]
async fn maps_401_and_404_without_leaking_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/secret/projects"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "401 Unauthorized"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/acme%2Fnone"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "404 Project Not Found"})),
        )
        .mount(&server)
        .await;
    let gl = client(&server);
    let err = gl.list_repositories(Some("secret")).await.unwrap_err();
    assert!(matches!(err, VcsError::Unauthorized(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("glpat-test"));
    assert_eq!(
        gl.get_repository(&RepoId::new("acme", "none"))
            .await
            .unwrap(),
        None
    );
    let err = gl
        .read_file(&RepoId::new("acme", "x"), Some("main"), "catalog-info.yaml")
        .await
        .unwrap_err();
    assert!(matches!(err, VcsError::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn retries_after_a_429_honouring_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/g/projects"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/g/projects"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([project(3, "g/r")])))
        .expect(1)
        .mount(&server)
        .await;
    let start = std::time::Instant::now();
    let repos = client(&server).list_repositories(Some("g")).await.unwrap();
    assert_eq!(repos.len(), 1);
    assert!(start.elapsed() >= std::time::Duration::from_millis(900));
}
