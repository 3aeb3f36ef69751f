//! `opa:createRepoAccessToken:gitlab` after `opa:create-secret`, as OPA's app templates run them:
//! on the local git host (a random token) and on a wiremock GitLab (a project access token), the
//! token stored in the local cloud's secret and nowhere in the task's outputs or log.

use std::sync::Arc;

use opa_aws::local::LocalCloud;
use opa_core::cloud::{Credentials, Secrets};
use opa_core::config::{Config, Integration, IntegrationKind, SecretString};
use opa_core::platform::actions::{PlatformServices, register};
use opa_core::scaffolder::catalog::MemoryCatalog;
use opa_core::scaffolder::template::Template;
use opa_core::scaffolder::{ActionRegistry, Backends, TaskRequest, TaskRunner};
use opa_core::vcs::{CreateRepository, RepoId, Vcs, Visibility};
use opa_vcs::{ConfigVcs, LocalGit};
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TEMPLATE: &str = r#"
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: repo-token
spec:
  steps:
    - id: createSecretManager
      action: opa:create-secret
      input:
        secretName: aws-apps-web-access-token
    - id: createRepoAccessToken
      action: opa:createRepoAccessToken:gitlab
      input:
        repoUrl: ${{ parameters.repoUrl }}
        projectId: ${{ parameters.projectId }}
        secretArn: ${{ steps['createSecretManager'].output.awsSecretArn }}
  output:
    secretArn: ${{ steps['createSecretManager'].output.awsSecretArn }}
"#;

fn runner(cloud: &Arc<LocalCloud>, config: Config) -> TaskRunner {
    let services = PlatformServices {
        credentials: cloud.clone(),
        parameters: cloud.clone(),
        secrets: cloud.clone(),
        region: "us-east-1".into(),
        prefix: "opa".into(),
    };
    let mut registry = ActionRegistry::with_builtins();
    register(&mut registry, &services);
    let backends = Backends::new()
        .with_vcs(Arc::new(ConfigVcs::new(Arc::new(config))))
        .with_catalog(Arc::new(MemoryCatalog::new()));
    TaskRunner::new(registry, backends)
}

async fn stored_token(cloud: &LocalCloud, arn: &str) -> String {
    let session = cloud.platform_session("us-east-1").await.unwrap();
    cloud
        .get_secret_value(&session, arn)
        .await
        .unwrap()
        .expose()
        .to_string()
}

#[tokio::test]
async fn local_host_stores_a_fresh_token_in_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::defaults(dir.path());
    let git = LocalGit::new(config.default_git_root(), "gitlab.example.com");
    let repo = git
        .create_repository(&CreateRepository {
            repo: RepoId::new("apps", "web"),
            default_branch: "main".into(),
            visibility: Visibility::Private,
            description: None,
        })
        .await
        .unwrap();
    let cloud = Arc::new(LocalCloud::open(dir.path().join("cloud.json")));
    let result = runner(&cloud, config)
        .run(TaskRequest::new(
            Template::from_yaml_str(TEMPLATE).unwrap(),
            json!({"repoUrl": "gitlab.example.com?owner=apps&repo=web",
                   "projectId": repo.project_id}),
        ))
        .await
        .expect("the template runs");
    let arn = result.output["secretArn"].as_str().unwrap();
    let token = stored_token(&cloud, arn).await;
    assert!(token.starts_with("glpat-") && token.len() > 20, "{token}");
    assert_eq!(result.steps[1].output, json!({}));
    let everything = format!("{result:?} {}", serde_json::to_string(&result).unwrap());
    assert!(!everything.contains(&token));
    assert!(
        result.log.iter().any(|l| l
            .message
            .contains("Stored access token web-repo-access-token")),
        "{:?}",
        result.log
    );
}

#[tokio::test]
async fn gitlab_host_creates_a_project_access_token_and_stores_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v4/projects/77/access_tokens"))
        .and(header("PRIVATE-TOKEN", "glpat-admin"))
        .and(body_partial_json(json!({
            "name": "web-repo-access-token",
            "scopes": ["api", "read_repository", "write_repository", "read_api"],
            "access_level": 40})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": 12, "name": "web-repo-access-token", "active": true, "revoked": false,
            "scopes": ["api", "read_repository", "write_repository", "read_api"],
            "user_id": 301, "created_at": "2026-11-23T10:00:00.000Z",
            "expires_at": "2027-11-22", "access_level": 40,
            "token": "glpat-from-gitlab-1234"})))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::defaults(dir.path());
    config.integrations.push(Integration {
        host: "gitlab.example.com".into(),
        kind: IntegrationKind::Gitlab,
        token: Some(SecretString::new("glpat-admin")),
        api_base_url: Some(server.uri()),
        root: None,
    });
    let cloud = Arc::new(LocalCloud::open(dir.path().join("cloud.json")));
    let result = runner(&cloud, config)
        .run(TaskRequest::new(
            Template::from_yaml_str(TEMPLATE).unwrap(),
            json!({"repoUrl": "gitlab.example.com?owner=apps&repo=web", "projectId": 77}),
        ))
        .await
        .expect("the template runs");
    let arn = result.output["secretArn"].as_str().unwrap();
    assert_eq!(stored_token(&cloud, arn).await, "glpat-from-gitlab-1234");
    let everything = format!("{result:?} {}", serde_json::to_string(&result).unwrap());
    assert!(!everything.contains("glpat-from-gitlab-1234"));
    assert!(!everything.contains("glpat-admin"));
    // The expiry GitLab 16+ requires: a date 364 days ahead.
    let requests = server.received_requests().await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    let expires = body["expires_at"].as_str().unwrap();
    assert_eq!(expires.len(), 10, "{expires}");
    assert!(expires.as_bytes()[4] == b'-' && expires.as_bytes()[7] == b'-');
}
