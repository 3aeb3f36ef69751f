//! Request/response contract of the GitLab client on wiremock servers answering as GitLab's REST
//! API v4 documents: url-encoded project paths, the `PRIVATE-TOKEN` header on every request,
//! `X-Next-Page` and `Link` pagination, and the 400/401/403/404/409/429 paths.

use std::time::{Duration, Instant};

use opa_core::config::SecretString;
use opa_core::vcs::{
    AccessTokenRequest, ChangeRequest, CommitRequest, CreateRepository, FileChange, RepoId, Vcs,
    VcsError, Visibility,
};
use opa_vcs::GitLab;
use opa_vcs::gitlab::{CiVariable, VariableWrite};
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "glpat-test";

/// A project as `GET /projects/:id` documents it (the fields that matter, plus a few others).
fn project(id: u64, full: &str) -> serde_json::Value {
    let (ns, name) = full.rsplit_once('/').unwrap();
    json!({"id": id, "name": name, "path": name, "path_with_namespace": full,
           "name_with_namespace": full.replace('/', " / "),
           "namespace": {"id": 9, "full_path": ns, "kind": "group"},
           "default_branch": "main", "visibility": "private", "description": "",
           "web_url": format!("https://gitlab.example.com/{full}"),
           "http_url_to_repo": format!("https://gitlab.example.com/{full}.git"),
           "ssh_url_to_repo": format!("git@gitlab.example.com:{full}.git"),
           "archived": false, "empty_repo": false})
}

fn client(server: &MockServer) -> GitLab {
    GitLab::new(server.uri(), Some(SecretString::new(TOKEN))).unwrap()
}

/// Every request the server saw carried the token.
async fn assert_token_on_every_request(server: &MockServer) {
    let requests: Vec<Request> = server.received_requests().await.unwrap();
    assert!(!requests.is_empty());
    for r in requests {
        assert_eq!(
            r.headers.get("private-token").and_then(|v| v.to_str().ok()),
            Some(TOKEN),
            "{} {}",
            r.method,
            r.url
        );
    }
}

fn no_token_in(err: &VcsError) {
    let text = format!("{err} {err:?}");
    assert!(!text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn lists_group_projects_across_two_pages_with_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/acme%2Fapps/projects"))
        .and(header("PRIVATE-TOKEN", TOKEN))
        .and(query_param("include_subgroups", "true"))
        .and(query_param("archived", "false"))
        .and(query_param("per_page", "100"))
        .and(query_param("page", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Page", "1")
                .insert_header("X-Next-Page", "2")
                .insert_header("X-Total-Pages", "2")
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
                .insert_header("X-Page", "2")
                .insert_header("X-Next-Page", "")
                .insert_header("X-Total-Pages", "2")
                .set_body_json(json!([project(2, "acme/apps/sub/two")])),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/acme%2Fapps/descendant_groups"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"id": 12, "full_path": "acme/apps/sub"}])),
        )
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
    assert_eq!(repos[0].web_url, "https://gitlab.example.com/acme/apps/one");
    assert_token_on_every_request(&server).await;
}

#[tokio::test]
async fn follows_link_pagination_skips_archived_and_lists_missed_subgroups() {
    let server = MockServer::start().await;
    let next = format!(
        "<{}/api/v4/groups/g/projects?archived=false&include_subgroups=true&page=2&per_page=100>; rel=\"next\", <{}/api/v4/groups/g/projects?page=1>; rel=\"first\"",
        server.uri(),
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/g/projects"))
        .and(query_param("page", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Link", next.as_str())
                .set_body_json(json!([project(1, "g/a")])),
        )
        .expect(1)
        .mount(&server)
        .await;
    // This server ignores `archived=false`: the client still drops archived projects.
    let mut archived = project(2, "g/old");
    archived["archived"] = json!(true);
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/g/projects"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "Link",
                    format!(
                        "<{}/api/v4/groups/g/projects?page=1>; rel=\"first\"",
                        server.uri()
                    )
                    .as_str(),
                )
                .set_body_json(json!([archived])),
        )
        .expect(1)
        .mount(&server)
        .await;
    // And it ignores `include_subgroups`: the subgroup is listed on its own.
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/g/descendant_groups"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"id": 5, "full_path": "g/sub"}])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/g%2Fsub/projects"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([project(3, "g/sub/c")])))
        .expect(1)
        .mount(&server)
        .await;
    let gl = client(&server);
    let repos = gl.group_projects("g", false).await.unwrap();
    let ids: Vec<String> = repos.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(ids, ["g/a", "g/sub/c"]);
    assert_token_on_every_request(&server).await;
}

#[tokio::test]
async fn reads_a_raw_file_with_encoded_paths_on_the_default_branch() {
    let server = MockServer::start().await;
    let mut p = project(7, "acme/apps/one");
    p["default_branch"] = json!("trunk");
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/acme%2Fapps%2Fone"))
        .respond_with(ResponseTemplate::new(200).set_body_json(p))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/api/v4/projects/acme%2Fapps%2Fone/repository/files/.backstage%2Fcatalog-info.yaml/raw",
        ))
        .and(query_param("ref", "trunk"))
        .and(header("PRIVATE-TOKEN", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_string("kind: Component\n"))
        .expect(1)
        .mount(&server)
        .await;
    let bytes = client(&server)
        .read_file(
            &RepoId::new("acme/apps", "one"),
            None,
            ".backstage/catalog-info.yaml",
        )
        .await
        .unwrap();
    assert_eq!(bytes, b"kind: Component\n");
    assert_token_on_every_request(&server).await;
}

#[tokio::test]
async fn lists_the_tree_recursively_across_pages_and_filters_by_glob() {
    let server = MockServer::start().await;
    let entry = |kind: &str, p: &str| {
        json!({"id": "a1e8f8d745cc87e3a9248358d9352bb7f9a0aeba", "name": p.rsplit('/').next().unwrap(),
               "type": kind, "path": p, "mode": if kind == "tree" {"040000"} else {"100644"}})
    };
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/g%2Fr/repository/tree"))
        .and(query_param("recursive", "true"))
        .and(query_param("ref", "main"))
        .and(query_param("page", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Next-Page", "2")
                .set_body_json(json!([
                    entry("tree", "services"),
                    entry("blob", "catalog-info.yaml"),
                    entry("blob", "services/api/catalog-info.yaml"),
                ])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/g%2Fr/repository/tree"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Next-Page", "")
                .set_body_json(json!([
                    entry("blob", "services/web/catalog-info.yaml"),
                    entry("blob", "services/web/README.md"),
                ])),
        )
        .mount(&server)
        .await;
    let gl = client(&server);
    let repo = RepoId::new("g", "r");
    let files = gl
        .list_files(&repo, Some("main"), "**/catalog-info.yaml")
        .await
        .unwrap();
    assert_eq!(
        files,
        [
            "catalog-info.yaml",
            "services/api/catalog-info.yaml",
            "services/web/catalog-info.yaml"
        ]
    );
    let top = gl.list_files(&repo, Some("main"), "*.yaml").await.unwrap();
    assert_eq!(top, ["catalog-info.yaml"]);
    assert_token_on_every_request(&server).await;
}

#[tokio::test]
async fn creates_a_project_in_a_group_and_maps_taken_names() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/namespaces/acme%2Fapps"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 42, "name": "apps", "path": "apps", "kind": "group", "full_path": "acme/apps",
            "parent_id": 4, "web_url": "https://gitlab.example.com/groups/acme/apps"})))
        .mount(&server)
        .await;
    let mut created = project(99, "acme/apps/web");
    created["default_branch"] = serde_json::Value::Null;
    created["empty_repo"] = json!(true);
    created["visibility"] = json!("internal");
    created["description"] = json!("The web app");
    Mock::given(method("POST"))
        .and(path("/api/v4/projects"))
        .and(header("PRIVATE-TOKEN", TOKEN))
        .and(body_partial_json(json!({
            "name": "web", "path": "web", "namespace_id": 42, "visibility": "internal",
            "description": "The web app", "default_branch": "main"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(created))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    // GitLab's answer when the path is taken.
    Mock::given(method("POST"))
        .and(path("/api/v4/projects"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "message": {"project_namespace.name": ["has already been taken"],
                        "name": ["has already been taken"], "path": ["has already been taken"]}})))
        .mount(&server)
        .await;
    let gl = client(&server);
    let request = CreateRepository {
        repo: RepoId::new("acme/apps", "web"),
        default_branch: "main".into(),
        visibility: Visibility::Internal,
        description: Some("The web app".into()),
    };
    let repo = gl.create_repository(&request).await.unwrap();
    assert_eq!(repo.project_id, Some(99));
    assert_eq!(repo.default_branch, "main");
    assert_eq!(repo.visibility, Visibility::Internal);
    assert_eq!(
        repo.clone_url,
        "https://gitlab.example.com/acme/apps/web.git"
    );
    let again = gl.create_repository(&request).await.unwrap_err();
    assert!(matches!(again, VcsError::AlreadyExists(_)), "{again:?}");
    assert_token_on_every_request(&server).await;
}

#[tokio::test]
async fn a_409_on_create_is_already_exists_and_a_missing_group_is_not_found() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/namespaces/acme"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": 3, "full_path": "acme"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects"))
        .respond_with(
            ResponseTemplate::new(409).set_body_json(json!({"message": "Project already exists"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/namespaces/ghost"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "404 Namespace Not Found"})),
        )
        .mount(&server)
        .await;
    let gl = client(&server);
    let mut request = CreateRepository {
        repo: RepoId::new("acme", "web"),
        default_branch: "main".into(),
        visibility: Visibility::Private,
        description: None,
    };
    let err = gl.create_repository(&request).await.unwrap_err();
    assert!(matches!(err, VcsError::AlreadyExists(_)), "{err:?}");
    request.repo = RepoId::new("ghost", "web");
    let err = gl.create_repository(&request).await.unwrap_err();
    assert!(
        matches!(err, VcsError::NotFound(ref m) if m.contains("ghost")),
        "{err:?}"
    );
}

#[tokio::test]
async fn commits_files_in_one_commit_with_create_and_update_actions() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/acme%2Fweb/repository/tree"))
        .and(query_param("ref", "main"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "x", "name": "README.md", "type": "blob", "path": "README.md", "mode": "100644"}
        ])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/acme%2Fweb/repository/commits"))
        .and(header("PRIVATE-TOKEN", TOKEN))
        .and(body_partial_json(json!({
            "branch": "main",
            "commit_message": "initial commit",
            "author_name": "Scaffolder",
            "author_email": "scaffolder@backstage.io",
            "actions": [
                {"action": "update", "file_path": "README.md", "content": "# web\n", "encoding": "text"},
                {"action": "create", "file_path": "bin/run.sh", "content": "#!/bin/sh\n", "encoding": "text",
                 "execute_filemode": true},
                {"action": "create", "file_path": "logo.png", "content": "iVBORw==", "encoding": "base64"}
            ]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "ed899a2f4b50b4370feeea94676502b42383c746", "short_id": "ed899a2f4b5",
            "title": "initial commit", "parent_ids": ["ae1d9fb46aa2b07ee9836d49862ec4e2c46fbbba"],
            "message": "initial commit", "status": null})))
        .expect(1)
        .mount(&server)
        .await;
    let info = client(&server)
        .commit_files(&CommitRequest {
            repo: RepoId::new("acme", "web"),
            branch: "main".into(),
            message: "initial commit".into(),
            files: vec![
                FileChange {
                    path: "README.md".into(),
                    content: b"# web\n".to_vec(),
                    executable: false,
                },
                FileChange {
                    path: "bin/run.sh".into(),
                    content: b"#!/bin/sh\n".to_vec(),
                    executable: true,
                },
                FileChange {
                    path: "logo.png".into(),
                    content: vec![0x89, b'P', b'N', b'G'],
                    executable: false,
                },
            ],
            author_name: None,
            author_email: None,
        })
        .await
        .unwrap();
    assert_eq!(info.commit_hash, "ed899a2f4b50b4370feeea94676502b42383c746");
    assert_token_on_every_request(&server).await;
}

#[tokio::test]
async fn a_new_branch_starts_from_the_default_branch() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/acme%2Fweb/repository/tree"))
        .and(query_param("ref", "feature"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "404 Tree Not Found"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/acme%2Fweb"))
        .respond_with(ResponseTemplate::new(200).set_body_json(project(5, "acme/web")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/acme%2Fweb/repository/tree"))
        .and(query_param("ref", "main"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "x", "name": "a.txt", "type": "blob", "path": "a.txt", "mode": "100644"}
        ])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/acme%2Fweb/repository/commits"))
        .and(body_partial_json(json!({
            "branch": "feature", "start_branch": "main",
            "actions": [{"action": "update", "file_path": "a.txt"}]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "abc123"})))
        .expect(1)
        .mount(&server)
        .await;
    let info = client(&server)
        .commit_files(&CommitRequest {
            repo: RepoId::new("acme", "web"),
            branch: "feature".into(),
            message: "change".into(),
            files: vec![FileChange {
                path: "a.txt".into(),
                content: b"b\n".to_vec(),
                executable: false,
            }],
            author_name: Some("Ann".into()),
            author_email: Some("ann@example.com".into()),
        })
        .await
        .unwrap();
    assert_eq!(
        (info.commit_hash.as_str(), info.branch.as_str()),
        ("abc123", "feature")
    );
}

#[tokio::test]
async fn opens_a_merge_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/acme%2Fweb/merge_requests"))
        .and(header("PRIVATE-TOKEN", TOKEN))
        .and(body_partial_json(json!({
            "source_branch": "update", "target_branch": "main",
            "title": "Update", "description": "Because"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": 1001, "iid": 7, "project_id": 5, "title": "Update", "state": "opened",
            "source_branch": "update", "target_branch": "main",
            "web_url": "https://gitlab.example.com/acme/web/-/merge_requests/7"})))
        .expect(1)
        .mount(&server)
        .await;
    let mr = client(&server)
        .open_change_request(&ChangeRequest {
            repo: RepoId::new("acme", "web"),
            source_branch: "update".into(),
            target_branch: "main".into(),
            title: "Update".into(),
            description: "Because".into(),
        })
        .await
        .unwrap();
    assert_eq!(mr.number, 7);
    assert_eq!(
        mr.url,
        "https://gitlab.example.com/acme/web/-/merge_requests/7"
    );
}

#[tokio::test]
async fn creates_a_project_access_token_whose_value_stays_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/99/access_tokens"))
        .and(header("PRIVATE-TOKEN", TOKEN))
        .and(body_partial_json(json!({
            "name": "web-repo-access-token",
            "scopes": ["api", "read_repository", "write_repository", "read_api"],
            "access_level": 40, "expires_at": "2027-11-22"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "scopes": ["api", "read_repository", "write_repository", "read_api"],
            "active": true, "name": "web-repo-access-token", "revoked": false,
            "created_at": "2026-11-23T14:31:47.729Z", "user_id": 166, "id": 58,
            "expires_at": "2027-11-22", "access_level": 40,
            "token": "glpat-project-secret"})))
        .expect(1)
        .mount(&server)
        .await;
    let token = client(&server)
        .create_access_token(&AccessTokenRequest {
            repo: RepoId::new("acme", "web"),
            project_id: Some(99),
            name: "web-repo-access-token".into(),
            scopes: ["api", "read_repository", "write_repository", "read_api"]
                .map(String::from)
                .to_vec(),
            access_level: 40,
            expires_at: Some("2027-11-22".into()),
        })
        .await
        .unwrap();
    assert_eq!(token.token.expose(), "glpat-project-secret");
    assert_eq!(token.id, 58);
    let shown = format!("{token:?} {}", serde_json::to_string(&token).unwrap());
    assert!(!shown.contains("glpat-project-secret"), "{shown}");
}

#[tokio::test]
async fn sets_a_ci_variable_creating_then_updating() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/acme%2Fweb/variables"))
        .and(body_partial_json(
            json!({"key": "NEW_VAR", "value": "v1", "masked": true,
                                      "protected": false, "variable_type": "env_var"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "variable_type": "env_var", "key": "NEW_VAR", "value": "v1", "protected": false,
            "masked": true, "raw": false, "environment_scope": "*"})))
        .expect(1)
        .mount(&server)
        .await;
    // GitLab answers 400 when the key exists.
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/acme%2Fweb/variables"))
        .and(body_partial_json(json!({"key": "OLD_VAR"})))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "message": {"key": ["(OLD_VAR) has already been taken"]}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/v4/projects/acme%2Fweb/variables/OLD_VAR"))
        .and(header("PRIVATE-TOKEN", TOKEN))
        .and(body_partial_json(json!({"value": "v2", "protected": true})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "variable_type": "env_var", "key": "OLD_VAR", "value": "v2", "protected": true,
            "masked": true, "environment_scope": "*"})))
        .expect(1)
        .mount(&server)
        .await;
    let gl = client(&server);
    let mut var = CiVariable {
        key: "NEW_VAR".into(),
        value: SecretString::new("v1"),
        masked: true,
        protected: false,
        file: false,
        environment_scope: None,
    };
    assert_eq!(
        gl.set_project_variable("acme/web", &var).await.unwrap(),
        VariableWrite::Created
    );
    var.key = "OLD_VAR".into();
    var.value = SecretString::new("v2");
    var.protected = true;
    assert_eq!(
        gl.set_project_variable("acme/web", &var).await.unwrap(),
        VariableWrite::Updated
    );
    assert!(!format!("{var:?}").contains("v2"));
}

#[tokio::test]
async fn triggers_a_pipeline_and_reads_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/acme%2Fweb/pipeline"))
        .and(header("PRIVATE-TOKEN", TOKEN))
        .and(body_partial_json(json!({"ref": "main",
            "variables": [{"key": "DEPLOY", "value": "yes", "variable_type": "env_var"}]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": 287, "iid": 144, "project_id": 21, "sha": "50f0acb7", "ref": "main",
            "status": "created", "source": "api",
            "web_url": "https://gitlab.example.com/acme/web/-/pipelines/287"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/acme%2Fweb/pipelines/287"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 287, "iid": 144, "project_id": 21, "status": "success", "ref": "main",
            "web_url": "https://gitlab.example.com/acme/web/-/pipelines/287"})))
        .mount(&server)
        .await;
    let gl = client(&server);
    let started = gl
        .trigger_pipeline(
            "acme/web",
            "main",
            &[("DEPLOY".to_string(), SecretString::new("yes"))],
        )
        .await
        .unwrap();
    assert_eq!((started.id, started.status.as_str()), (287, "created"));
    let status = gl.pipeline_status("acme/web", 287).await.unwrap();
    assert_eq!(status.status, "success");
    assert_token_on_every_request(&server).await;
}

#[tokio::test]
async fn maps_401_403_404_and_409_to_distinct_errors_without_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/secret/projects"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "401 Unauthorized"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/acme%2Fweb/merge_requests"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"message": "403 Forbidden"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/acme%2Fnone"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "404 Project Not Found"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/acme%2Fweb/repository/commits"))
        .respond_with(ResponseTemplate::new(409).set_body_json(
            json!({"message": format!("A file with this name already exists (token {TOKEN})")}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/acme%2Fweb/repository/tree"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let gl = client(&server);
    let err = gl.list_repositories(Some("secret")).await.unwrap_err();
    assert!(matches!(err, VcsError::Unauthorized(_)), "{err:?}");
    no_token_in(&err);
    let mr = ChangeRequest {
        repo: RepoId::new("acme", "web"),
        source_branch: "a".into(),
        target_branch: "main".into(),
        title: "t".into(),
        description: String::new(),
    };
    let err = gl.open_change_request(&mr).await.unwrap_err();
    assert!(matches!(err, VcsError::Forbidden(_)), "{err:?}");
    assert_eq!(err.code(), "forbidden");
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
    let err = gl
        .commit_files(&CommitRequest {
            repo: RepoId::new("acme", "web"),
            branch: "main".into(),
            message: "m".into(),
            files: vec![FileChange {
                path: "a".into(),
                content: b"a".to_vec(),
                executable: false,
            }],
            author_name: None,
            author_email: None,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, VcsError::Conflict(_)), "{err:?}");
    // GitLab echoing the token back is redacted.
    no_token_in(&err);
}

#[tokio::test]
async fn retries_after_a_429_honouring_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/g/projects"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .insert_header("RateLimit-Limit", "600")
                .insert_header("RateLimit-Remaining", "0")
                .set_body_string("Retry later"),
        )
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
    let start = Instant::now();
    let repos = client(&server).group_projects("g", false).await.unwrap();
    assert_eq!(repos.len(), 1);
    assert!(start.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn gives_up_after_bounded_429_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/g%2Fr"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .expect(4)
        .mount(&server)
        .await;
    let err = client(&server)
        .get_repository(&RepoId::new("g", "r"))
        .await
        .unwrap_err();
    assert!(matches!(err, VcsError::RateLimited(_)), "{err:?}");
    assert_eq!(err.code(), "rate-limited");
}

#[tokio::test]
async fn waits_for_ratelimit_reset_when_remaining_hits_zero() {
    let server = MockServer::start().await;
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 2;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/g%2Fa"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("RateLimit-Remaining", "0")
                .insert_header("RateLimit-Reset", reset.to_string().as_str())
                .set_body_json(project(1, "g/a")),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/projects/g%2Fb"))
        .respond_with(ResponseTemplate::new(200).set_body_json(project(2, "g/b")))
        .mount(&server)
        .await;
    let gl = client(&server);
    gl.get_repository(&RepoId::new("g", "a")).await.unwrap();
    let start = Instant::now();
    gl.get_repository(&RepoId::new("g", "b")).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn falls_back_to_the_json_file_endpoint_when_raw_is_missing() {
    let server = MockServer::start().await;
    // GitLab's documented answer of `GET /projects/:id/repository/files/:file_path`.
    Mock::given(method("GET"))
        .and(path(
            "/api/v4/projects/g%2Fr/repository/files/catalog-info.yaml",
        ))
        .and(query_param("ref", "main"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "file_name": "catalog-info.yaml", "file_path": "catalog-info.yaml", "size": 16,
            "encoding": "base64", "content": "a2luZDogQ29tcG9uZW50Cg==", "ref": "main",
            "blob_id": "79f7bbd25901e8334750839545a9bd021f0e4c83",
            "commit_id": "d5a3ff139356ce33e37e73add446f16869741b50",
            "last_commit_id": "570e7b2abdd848b95f2f578043fc23bd6f6fd24d"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "404 Not Found"})))
        .mount(&server)
        .await;
    let gl = client(&server);
    let repo = RepoId::new("g", "r");
    let bytes = gl
        .read_file(&repo, Some("main"), "catalog-info.yaml")
        .await
        .unwrap();
    assert_eq!(bytes, b"kind: Component\n");
    let err = gl
        .read_file(&repo, Some("main"), ".backstage/catalog-info.yaml")
        .await
        .unwrap_err();
    assert!(matches!(err, VcsError::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn stops_when_a_server_without_pagination_repeats_a_full_page() {
    let server = MockServer::start().await;
    let page: Vec<serde_json::Value> = (1..=100)
        .map(|i| project(i, &format!("g/p{i:03}")))
        .collect();
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/g/projects"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .expect(2)
        .mount(&server)
        .await;
    let repos = client(&server).group_projects("g", false).await.unwrap();
    assert_eq!(repos.len(), 100);
}

#[tokio::test]
async fn a_failing_subgroup_listing_keeps_the_group_listing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/g/projects"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([project(1, "g/a")])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/groups/g/descendant_groups"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"message": "403 Forbidden"})))
        .mount(&server)
        .await;
    let repos = client(&server).group_projects("g", false).await.unwrap();
    assert_eq!(repos.len(), 1);
}
