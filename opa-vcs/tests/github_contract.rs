//! Request/response contract of the GitHub client on a wiremock server answering as GitHub's REST
//! API documents: `Authorization: Bearer`, `Accept: application/vnd.github+json`,
//! `X-GitHub-Api-Version`, `Link` pagination, the git data API, the contents API, pull requests,
//! Actions secrets (sealed boxes), variables and workflow dispatches, and the 401, 403, 404, 409,
//! 422 and 429 paths, rate limits included.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use crypto_box::SecretKey;
use crypto_box::aead::OsRng;
use opa_core::config::SecretString;
use opa_core::vcs::{
    ChangeRequest, CommitRequest, CreateRepository, FileChange, RepoId, Vcs, VcsError, Visibility,
};
use opa_vcs::GitHub;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, header_exists, method, path, query_param};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "ghp_contractTestToken123";

fn client(server: &MockServer) -> GitHub {
    GitHub::new(server.uri(), Some(SecretString::new(TOKEN)))
        .unwrap()
        .with_max_rate_limit_wait(Duration::from_secs(5))
}

fn repo_json(server: &MockServer, owner: &str, name: &str, archived: bool) -> Value {
    json!({
        "id": 1296269, "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", "name": name,
        "full_name": format!("{owner}/{name}"),
        "owner": {"login": owner, "id": 1, "type": "Organization"},
        "private": true, "visibility": "private",
        "html_url": format!("https://github.com/{owner}/{name}"),
        "description": "This your first repo!", "fork": false,
        "url": format!("{}/repos/{owner}/{name}", server.uri()),
        "clone_url": format!("https://github.com/{owner}/{name}.git"),
        "default_branch": "main", "archived": archived, "disabled": false
    })
}

/// Every request carries GitHub's headers and the token.
fn github_headers(mock: wiremock::MockBuilder) -> wiremock::MockBuilder {
    mock.and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("X-GitHub-Api-Version", "2022-11-28"))
        .and(header_exists("User-Agent"))
}

fn error_body(message: &str) -> Value {
    json!({"message": message, "documentation_url": "https://docs.github.com/rest", "status": "0"})
}

/// Matches a JSON body that has no `key` at its root.
struct WithoutKey(&'static str);

impl Match for WithoutKey {
    fn matches(&self, request: &Request) -> bool {
        serde_json::from_slice::<Value>(&request.body)
            .map(|b| b.get(self.0).is_none())
            .unwrap_or(false)
    }
}

#[tokio::test]
async fn creates_a_repository_in_an_organization() {
    let server = MockServer::start().await;
    github_headers(Mock::given(method("GET")).and(path("/users/acme")))
        .and(header("Accept", "application/vnd.github+json"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"login": "acme", "id": 1, "type": "Organization"})),
        )
        .mount(&server)
        .await;
    github_headers(Mock::given(method("POST")).and(path("/orgs/acme/repos")))
        .and(body_partial_json(json!({
            "name": "web", "description": "The web service", "private": true,
            "visibility": "internal", "auto_init": false
        })))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(repo_json(&server, "acme", "web", false)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let repo = client(&server)
        .create_repository(&CreateRepository {
            repo: RepoId::new("acme", "web"),
            default_branch: "trunk".into(),
            visibility: Visibility::Internal,
            description: Some("The web service".into()),
        })
        .await
        .unwrap();
    assert_eq!(repo.id, RepoId::new("acme", "web"));
    assert_eq!(repo.clone_url, "https://github.com/acme/web.git");
    assert_eq!(repo.web_url, "https://github.com/acme/web");
    // The first commit decides the default branch of an empty repository.
    assert_eq!(repo.default_branch, "trunk");
}

#[tokio::test]
async fn creates_a_repository_for_the_token_user_and_refuses_other_users() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/octocat"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"login": "octocat", "type": "User"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/users/someone"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"login": "someone", "type": "User"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/user"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"login": "octocat", "type": "User"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/user/repos"))
        .and(body_partial_json(
            json!({"name": "dotfiles", "private": false}),
        ))
        .and(WithoutKey("visibility"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(repo_json(&server, "octocat", "dotfiles", false)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server);
    let request = |owner: &str| CreateRepository {
        repo: RepoId::new(owner, "dotfiles"),
        default_branch: "main".into(),
        visibility: Visibility::Public,
        description: None,
    };
    let repo = gh.create_repository(&request("octocat")).await.unwrap();
    assert_eq!(repo.id.owner, "octocat");
    let err = gh.create_repository(&request("someone")).await.unwrap_err();
    assert!(matches!(err, VcsError::InvalidRequest(_)), "{err:?}");
}

#[tokio::test]
async fn an_existing_repository_is_already_exists() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/acme"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"login": "acme", "type": "Organization"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/orgs/acme/repos"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "message": "Repository creation failed.",
            "errors": [{"resource": "Repository", "code": "custom", "field": "name",
                        "message": "name already exists on this account"}],
            "documentation_url": "https://docs.github.com/rest/repos/repos#create-an-organization-repository",
            "status": "422"
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .create_repository(&CreateRepository {
            repo: RepoId::new("acme", "web"),
            default_branch: "main".into(),
            visibility: Visibility::Private,
            description: None,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, VcsError::AlreadyExists(_)), "{err:?}");
}

fn files() -> Vec<FileChange> {
    vec![
        FileChange {
            path: "catalog-info.yaml".into(),
            content: b"kind: Component\n".to_vec(),
            executable: false,
        },
        FileChange {
            path: "bin/run.sh".into(),
            content: vec![0, 159, 146, 150],
            executable: true,
        },
    ]
}

fn commit_request(branch: &str) -> CommitRequest {
    CommitRequest {
        repo: RepoId::new("acme", "web"),
        branch: branch.into(),
        message: "Add files".into(),
        files: files(),
        author_name: None,
        author_email: None,
    }
}

/// Mounts the blob and tree endpoints of the git data API for [`files`].
async fn mount_blobs_and_tree(server: &MockServer, base_tree: Option<&str>) {
    for (content, sha) in [
        (BASE64.encode(b"kind: Component\n"), "b1"),
        (BASE64.encode([0u8, 159, 146, 150]), "b2"),
    ] {
        github_headers(Mock::given(method("POST")).and(path("/repos/acme/web/git/blobs")))
            .and(body_partial_json(
                json!({"content": content, "encoding": "base64"}),
            ))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"url": "u", "sha": sha})))
            .expect(1)
            .mount(server)
            .await;
    }
    let entries = json!({"tree": [
        {"path": "catalog-info.yaml", "mode": "100644", "type": "blob", "sha": "b1"},
        {"path": "bin/run.sh", "mode": "100755", "type": "blob", "sha": "b2"}
    ]});
    let mut tree = Mock::given(method("POST"))
        .and(path("/repos/acme/web/git/trees"))
        .and(body_partial_json(entries));
    tree = match base_tree {
        Some(base) => tree.and(body_partial_json(json!({"base_tree": base}))),
        None => tree.and(WithoutKey("base_tree")),
    };
    tree.respond_with(
        ResponseTemplate::new(201)
            .set_body_json(json!({"sha": "t1", "tree": [], "truncated": false})),
    )
    .expect(1)
    .mount(server)
    .await;
}

async fn mount_commit(server: &MockServer, parents: Value) {
    github_headers(Mock::given(method("POST")).and(path("/repos/acme/web/git/commits")))
        .and(body_partial_json(json!({
            "message": "Add files", "tree": "t1", "parents": parents,
            "author": {"name": "Scaffolder", "email": "scaffolder@backstage.io"}
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "sha": "c1", "tree": {"sha": "t1", "url": "u"}, "message": "Add files", "parents": []
        })))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn commits_files_on_a_branch_in_one_commit() {
    let server = MockServer::start().await;
    github_headers(Mock::given(method("GET")).and(path("/repos/acme/web/git/ref/heads/main")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ref": "refs/heads/main", "node_id": "x", "url": "u",
            "object": {"type": "commit", "sha": "c0", "url": "u"}
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/git/commits/c0"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"sha": "c0", "tree": {"sha": "t0", "url": "u"}})),
        )
        .mount(&server)
        .await;
    mount_blobs_and_tree(&server, Some("t0")).await;
    mount_commit(&server, json!(["c0"])).await;
    github_headers(Mock::given(method("PATCH")).and(path("/repos/acme/web/git/refs/heads/main")))
        .and(body_partial_json(json!({"sha": "c1", "force": false})))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"ref": "refs/heads/main", "object": {"sha": "c1", "type": "commit"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let commit = client(&server)
        .commit_files(&commit_request("main"))
        .await
        .unwrap();
    assert_eq!(commit.commit_hash, "c1");
    assert_eq!(commit.branch, "main");
}

#[tokio::test]
async fn commits_to_a_new_branch_from_the_default_branch() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/git/ref/heads/feature/x"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body("Not Found")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(repo_json(&server, "acme", "web", false)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/git/ref/heads/main"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"ref": "refs/heads/main", "object": {"type": "commit", "sha": "c0"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/git/commits/c0"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"sha": "c0", "tree": {"sha": "t0"}})),
        )
        .mount(&server)
        .await;
    mount_blobs_and_tree(&server, Some("t0")).await;
    mount_commit(&server, json!(["c0"])).await;
    github_headers(Mock::given(method("POST")).and(path("/repos/acme/web/git/refs")))
        .and(body_partial_json(
            json!({"ref": "refs/heads/feature/x", "sha": "c1"}),
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"ref": "refs/heads/feature/x", "object": {"sha": "c1"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let commit = client(&server)
        .commit_files(&commit_request("feature/x"))
        .await
        .unwrap();
    assert_eq!(commit.commit_hash, "c1");
}

#[tokio::test]
async fn the_first_commit_of_an_empty_repository_is_one_root_commit() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/git/ref/heads/trunk"))
        .respond_with(
            ResponseTemplate::new(409).set_body_json(error_body("Git Repository is empty.")),
        )
        .mount(&server)
        .await;
    github_headers(
        Mock::given(method("PUT")).and(path("/repos/acme/web/contents/catalog-info.yaml")),
    )
    .and(body_partial_json(json!({
        "message": "Add files", "branch": "trunk",
        "content": BASE64.encode(b"kind: Component\n"),
        "committer": {"name": "Scaffolder", "email": "scaffolder@backstage.io"}
    })))
    .respond_with(ResponseTemplate::new(201).set_body_json(json!({
        "content": {"name": "catalog-info.yaml", "path": "catalog-info.yaml", "sha": "b1"},
        "commit": {"sha": "c0", "tree": {"sha": "t0"}, "parents": []}
    })))
    .expect(1)
    .mount(&server)
    .await;
    mount_blobs_and_tree(&server, None).await;
    mount_commit(&server, json!([])).await;
    Mock::given(method("PATCH"))
        .and(path("/repos/acme/web/git/refs/heads/trunk"))
        .and(body_partial_json(json!({"sha": "c1", "force": true})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ref": "refs/heads/trunk", "object": {"sha": "c1"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(repo_json(&server, "acme", "web", false)),
        )
        .mount(&server)
        .await;
    github_headers(Mock::given(method("PATCH")).and(path("/repos/acme/web")))
        .and(body_partial_json(json!({"default_branch": "trunk"})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(repo_json(&server, "acme", "web", false)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let commit = client(&server)
        .commit_files(&commit_request("trunk"))
        .await
        .unwrap();
    assert_eq!(commit.commit_hash, "c1");
}

#[tokio::test]
async fn rejects_unsafe_paths_before_any_request() {
    let server = MockServer::start().await;
    let mut request = commit_request("main");
    request.files[0].path = "../escape".into();
    let err = client(&server).commit_files(&request).await.unwrap_err();
    assert!(matches!(err, VcsError::InvalidRequest(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn reads_files_base64_and_raw_for_large_ones() {
    let server = MockServer::start().await;
    github_headers(Mock::given(method("GET")).and(path(
        "/repos/acme/web/contents/.backstage/catalog-info.yaml",
    )))
    .and(query_param("ref", "main"))
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "type": "file", "encoding": "base64", "size": 16, "name": "catalog-info.yaml",
        "path": ".backstage/catalog-info.yaml", "sha": "b1",
        "content": "a2luZDogQ29t\ncG9uZW50Cg==\n"
    })))
    .mount(&server)
    .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/contents/big.bin"))
        .and(header("Accept", "application/vnd.github+json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "type": "file", "encoding": "none", "size": 2_000_000, "content": "", "path": "big.bin"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/contents/big.bin"))
        .and(header("Accept", "application/vnd.github.raw+json"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![7u8; 1024]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/contents/missing.yaml"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body("Not Found")))
        .mount(&server)
        .await;
    let gh = client(&server);
    let web = RepoId::new("acme", "web");
    let bytes = gh
        .read_file(&web, Some("main"), ".backstage/catalog-info.yaml")
        .await
        .unwrap();
    assert_eq!(bytes, b"kind: Component\n");
    assert_eq!(
        gh.read_file(&web, Some("main"), "big.bin").await.unwrap(),
        vec![7u8; 1024]
    );
    let err = gh
        .read_file(&web, Some("main"), "missing.yaml")
        .await
        .unwrap_err();
    assert!(matches!(err, VcsError::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn lists_files_from_the_recursive_tree_and_walks_truncated_ones() {
    let server = MockServer::start().await;
    github_headers(Mock::given(method("GET")).and(path("/repos/acme/web/git/trees/main")))
        .and(query_param("recursive", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "sha": "t0", "url": "u", "truncated": false,
            "tree": [
                {"path": "catalog-info.yaml", "mode": "100644", "type": "blob", "sha": "a", "size": 30},
                {"path": "services", "mode": "040000", "type": "tree", "sha": "b"},
                {"path": "services/api/catalog-info.yaml", "mode": "100644", "type": "blob", "sha": "c"},
                {"path": "services/api/main.rs", "mode": "100644", "type": "blob", "sha": "d"},
                {"path": "vendor/lib", "mode": "160000", "type": "commit", "sha": "e"}
            ]
        })))
        .mount(&server)
        .await;
    // A truncated answer on `big`: the client walks the subtrees.
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/git/trees/big"))
        .and(query_param("recursive", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"sha": "r", "truncated": true, "tree": []})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/git/trees/big"))
        .and(|r: &Request| r.url.query().is_none())
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"sha": "r", "truncated": false, "tree": [
                {"path": "catalog-info.yaml", "type": "blob", "sha": "a", "mode": "100644"},
                {"path": "docs", "type": "tree", "sha": "s1", "mode": "040000"}
            ]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/git/trees/s1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"sha": "s1", "truncated": false, "tree": [
                {"path": "catalog-info.yaml", "type": "blob", "sha": "f", "mode": "100644"}
            ]}),
        ))
        .mount(&server)
        .await;
    let gh = client(&server);
    let web = RepoId::new("acme", "web");
    let files = gh
        .list_files(&web, Some("main"), "**/catalog-info.yaml")
        .await
        .unwrap();
    assert_eq!(
        files,
        ["catalog-info.yaml", "services/api/catalog-info.yaml"]
    );
    let files = gh
        .list_files(&web, Some("big"), "**/catalog-info.yaml")
        .await
        .unwrap();
    assert_eq!(files, ["catalog-info.yaml", "docs/catalog-info.yaml"]);
}

#[tokio::test]
async fn lists_org_repositories_across_link_pages() {
    let server = MockServer::start().await;
    let next = format!(
        "{}/organizations/9/repos?type=all&per_page=100&page=2",
        server.uri()
    );
    github_headers(Mock::given(method("GET")).and(path("/orgs/acme/repos")))
        .and(query_param("per_page", "100"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "Link",
                    format!(r#"<{next}>; rel="next", <{next}>; rel="last""#).as_str(),
                )
                .set_body_json(json!([
                    repo_json(&server, "acme", "one", false),
                    repo_json(&server, "acme", "old", true)
                ])),
        )
        .expect(1)
        .mount(&server)
        .await;
    github_headers(Mock::given(method("GET")).and(path("/organizations/9/repos")))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "Link",
                    format!(
                        r#"<{}/organizations/9/repos?page=1>; rel="prev""#,
                        server.uri()
                    )
                    .as_str(),
                )
                .set_body_json(json!([repo_json(&server, "acme", "two", false)])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server);
    let all = gh.list_repositories(Some("acme")).await.unwrap();
    let names: Vec<(&str, bool)> = all
        .iter()
        .map(|r| (r.id.name.as_str(), r.archived))
        .collect();
    assert_eq!(names, [("one", false), ("old", true), ("two", false)]);
    server.reset().await;
}

#[tokio::test]
async fn org_repositories_skip_archived_and_users_fall_back() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/repos"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            repo_json(&server, "acme", "one", false),
            repo_json(&server, "acme", "old", true)
        ])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/orgs/octocat/repos"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body("Not Found")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/users/octocat/repos"))
        .and(query_param("type", "owner"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([repo_json(&server, "octocat", "hello", false)])),
        )
        .mount(&server)
        .await;
    let gh = client(&server);
    let live = gh.org_repositories("acme", false).await.unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].id.name, "one");
    let user = gh.list_repositories(Some("octocat")).await.unwrap();
    assert_eq!(user[0].id, RepoId::new("octocat", "hello"));
}

#[tokio::test]
async fn does_not_follow_links_to_other_hosts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/repos"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Link", r#"<https://evil.example/repos?page=2>; rel="next""#)
                .set_body_json(json!([])),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .org_repositories("acme", true)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("another host"), "{err}");
}

#[tokio::test]
async fn opens_a_pull_request_and_maps_422() {
    let server = MockServer::start().await;
    github_headers(Mock::given(method("POST")).and(path("/repos/acme/web/pulls")))
        .and(body_partial_json(
            json!({"title": "Add CI", "head": "add-ci", "base": "main", "body": "Adds a workflow"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": 1, "number": 1347, "state": "open", "title": "Add CI",
            "html_url": "https://github.com/acme/web/pull/1347",
            "url": "https://api.github.com/repos/acme/web/pulls/1347"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/other/pulls"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "message": "Validation Failed",
            "errors": [{"resource": "PullRequest", "code": "custom", "message": "No commits between main and add-ci"}]
        })))
        .mount(&server)
        .await;
    let gh = client(&server);
    let request = |name: &str| ChangeRequest {
        repo: RepoId::new("acme", name),
        source_branch: "add-ci".into(),
        target_branch: "main".into(),
        title: "Add CI".into(),
        description: "Adds a workflow".into(),
    };
    let pr = gh.open_change_request(&request("web")).await.unwrap();
    assert_eq!(pr.number, 1347);
    assert_eq!(pr.url, "https://github.com/acme/web/pull/1347");
    let err = gh.open_change_request(&request("other")).await.unwrap_err();
    assert!(matches!(err, VcsError::Rejected(_)), "{err:?}");
    assert!(err.to_string().contains("No commits between"), "{err}");
    assert_eq!(err.code(), "rejected");
}

#[tokio::test]
async fn creates_a_branch_and_reports_an_existing_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/git/ref/heads/develop"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"ref": "refs/heads/develop", "object": {"sha": "d0", "type": "commit"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/web/git/refs"))
        .and(body_partial_json(
            json!({"ref": "refs/heads/new", "sha": "d0"}),
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"ref": "refs/heads/new", "object": {"sha": "d0"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/web/git/refs"))
        .and(body_partial_json(json!({"ref": "refs/heads/taken"})))
        .respond_with(
            ResponseTemplate::new(422).set_body_json(error_body("Reference already exists")),
        )
        .mount(&server)
        .await;
    let gh = client(&server);
    let web = RepoId::new("acme", "web");
    gh.create_branch(&web, "new", Some("develop"))
        .await
        .unwrap();
    let err = gh
        .create_branch(&web, "taken", Some("develop"))
        .await
        .unwrap_err();
    assert!(matches!(err, VcsError::AlreadyExists(_)), "{err:?}");
}

#[tokio::test]
async fn sets_an_actions_secret_sealed_to_the_repository_key() {
    let server = MockServer::start().await;
    let secret_key = SecretKey::generate(&mut OsRng);
    let public = BASE64.encode(secret_key.public_key().as_bytes());
    github_headers(
        Mock::given(method("GET")).and(path("/repos/acme/web/actions/secrets/public-key")),
    )
    .respond_with(
        ResponseTemplate::new(200)
            .set_body_json(json!({"key_id": "012345678912345678", "key": public})),
    )
    .mount(&server)
    .await;
    github_headers(
        Mock::given(method("PUT")).and(path("/repos/acme/web/actions/secrets/AWS_ROLE")),
    )
    .and(body_partial_json(json!({"key_id": "012345678912345678"})))
    .respond_with(ResponseTemplate::new(201))
    .expect(1)
    .mount(&server)
    .await;
    client(&server)
        .set_actions_secret(
            &RepoId::new("acme", "web"),
            "AWS_ROLE",
            &SecretString::new("arn:aws:iam::1:role/x"),
        )
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let put = requests
        .iter()
        .find(|r| r.method.as_str() == "PUT")
        .unwrap();
    let body: Value = serde_json::from_slice(&put.body).unwrap();
    let sealed = BASE64
        .decode(body["encrypted_value"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        secret_key.unseal(&sealed).unwrap(),
        b"arn:aws:iam::1:role/x"
    );
    assert!(!String::from_utf8_lossy(&put.body).contains("arn:aws"));
}

#[tokio::test]
async fn sets_an_actions_variable_creating_or_updating_it() {
    let server = MockServer::start().await;
    github_headers(Mock::given(method("POST")).and(path("/repos/acme/web/actions/variables")))
        .and(body_partial_json(json!({"name": "NEW", "value": "1"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/web/actions/variables"))
        .and(body_partial_json(json!({"name": "OLD"})))
        .respond_with(
            ResponseTemplate::new(409)
                .set_body_json(error_body("Already exists - Variable already exists")),
        )
        .mount(&server)
        .await;
    github_headers(Mock::given(method("PATCH")).and(path("/repos/acme/web/actions/variables/OLD")))
        .and(body_partial_json(json!({"name": "OLD", "value": "2"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server);
    let web = RepoId::new("acme", "web");
    gh.set_actions_variable(&web, "NEW", "1").await.unwrap();
    gh.set_actions_variable(&web, "OLD", "2").await.unwrap();
}

fn run_json(id: u64, status: &str) -> Value {
    json!({"id": id, "name": "deploy", "status": status, "conclusion": null, "head_branch": "main",
           "event": "workflow_dispatch", "html_url": format!("https://github.com/acme/web/actions/runs/{id}")})
}

#[tokio::test]
async fn dispatches_a_workflow_and_reads_its_runs() {
    let server = MockServer::start().await;
    github_headers(Mock::given(method("POST")).and(path(
        "/repos/acme/web/actions/workflows/deploy.yml/dispatches",
    )))
    .and(body_partial_json(
        json!({"ref": "main", "inputs": {}, "return_run_details": true}),
    ))
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "workflow_run_id": 30433642,
        "run_url": "https://api.github.com/repos/acme/web/actions/runs/30433642",
        "html_url": "https://github.com/acme/web/actions/runs/30433642"
    })))
    .expect(1)
    .mount(&server)
    .await;
    github_headers(Mock::given(method("GET")).and(path("/repos/acme/web/actions/runs/30433642")))
        .respond_with(ResponseTemplate::new(200).set_body_json(run_json(30433642, "queued")))
        .mount(&server)
        .await;
    // An older host answers 204 without the run: the newest dispatched run on the branch.
    Mock::given(method("POST"))
        .and(path(
            "/repos/acme/old/actions/workflows/deploy.yml/dispatches",
        ))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    github_headers(
        Mock::given(method("GET")).and(path("/repos/acme/old/actions/workflows/deploy.yml/runs")),
    )
    .and(query_param("branch", "main"))
    .and(query_param("event", "workflow_dispatch"))
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "total_count": 2, "workflow_runs": [run_json(9, "in_progress"), run_json(8, "completed")]
    })))
    .mount(&server)
    .await;
    let gh = client(&server);
    let started = gh
        .start_pipeline(&RepoId::new("acme", "web"), "main")
        .await
        .unwrap();
    assert_eq!(started.id, 30433642);
    assert_eq!(started.status, "queued");
    assert_eq!(
        started.url.as_deref(),
        Some("https://github.com/acme/web/actions/runs/30433642")
    );
    let old = RepoId::new("acme", "old");
    assert_eq!(
        gh.dispatch_workflow(&old, "deploy.yml", "main", &Default::default())
            .await
            .unwrap(),
        None
    );
    let started = gh.start_pipeline(&old, "main").await.unwrap();
    assert_eq!((started.id, started.status.as_str()), (9, "in_progress"));
    let runs = gh
        .workflow_runs(&old, "deploy.yml", Some("main"))
        .await
        .unwrap();
    assert_eq!(runs[1].status, "completed");
}

#[tokio::test]
async fn maps_error_statuses_to_distinct_variants_without_the_token() {
    let server = MockServer::start().await;
    let cases: [(&str, u16, Value); 5] = [
        // GitHub never echoes a token; the client scrubs it anyway.
        (
            "unauthorized",
            401,
            error_body(&format!("Bad credentials for {TOKEN}")),
        ),
        (
            "forbidden",
            403,
            error_body("Resource not accessible by personal access token"),
        ),
        ("missing", 404, error_body("Not Found")),
        ("conflict", 409, error_body("Git Repository is empty.")),
        ("invalid", 422, error_body("Validation Failed")),
    ];
    for (name, status, body) in &cases {
        Mock::given(method("GET"))
            .and(path(format!("/repos/acme/{name}")))
            .respond_with(ResponseTemplate::new(*status).set_body_json(body))
            .mount(&server)
            .await;
    }
    let gh = client(&server);
    let mut codes = Vec::new();
    for (name, _, _) in &cases {
        let err = gh
            .list_files(&RepoId::new("acme", *name), None, "**")
            .await
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains(TOKEN), "{shown}");
        codes.push(err.code());
    }
    assert_eq!(
        codes,
        [
            "unauthorized",
            "forbidden",
            "not-found",
            "conflict",
            "rejected"
        ]
    );
}

#[tokio::test]
async fn waits_out_a_429_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/repos"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(error_body("You have exceeded a secondary rate limit.")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/repos"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([repo_json(&server, "acme", "one", false)])),
        )
        .mount(&server)
        .await;
    let started = Instant::now();
    let repos = client(&server)
        .org_repositories("acme", false)
        .await
        .unwrap();
    assert_eq!(repos.len(), 1);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn waits_for_the_primary_rate_limit_reset() {
    let server = MockServer::start().await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Mock::given(method("GET"))
        .and(path("/repos/acme/web"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-limit", "5000")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-used", "5000")
                .insert_header("x-ratelimit-reset", (now + 1).to_string().as_str())
                .set_body_json(error_body("API rate limit exceeded for user ID 1.")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(repo_json(&server, "acme", "web", false)),
        )
        .mount(&server)
        .await;
    let repo = client(&server)
        .get_repository(&RepoId::new("acme", "web"))
        .await
        .unwrap();
    assert!(repo.is_some());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_rate_limit_longer_than_the_bound_fails_at_once() {
    let server = MockServer::start().await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Mock::given(method("GET"))
        .and(path("/repos/acme/web"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", (now + 3600).to_string().as_str())
                .set_body_json(error_body("API rate limit exceeded")),
        )
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = client(&server)
        .get_repository(&RepoId::new("acme", "web"))
        .await
        .unwrap_err();
    assert!(matches!(err, VcsError::RateLimited(_)), "{err:?}");
    assert_eq!(err.code(), "rate-limited");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_missing_repository_is_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/nope"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body("Not Found")))
        .mount(&server)
        .await;
    let repo = client(&server)
        .get_repository(&RepoId::new("acme", "nope"))
        .await
        .unwrap();
    assert!(repo.is_none());
}
