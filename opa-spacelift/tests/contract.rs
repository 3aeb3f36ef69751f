//! The Spacelift client against a wiremock server answering as Spacelift's GraphQL API does:
//! one endpoint (`POST /graphql`), the API key exchanged for a JWT with `apiKeyUser`, the JWT as
//! a bearer token, `data` on success and an `errors` array when a call fails.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use opa_core::config::{SecretString, SpaceliftAccess};
use opa_core::iac::{IacError, IacRunner};
use opa_spacelift::{ApiKey, SpaceliftClient, SpaceliftError, runner_from_access};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const KEY_ID: &str = "01HCJMP2X7R0N8Q4M3V5Y6Z7AB";
const SECRET: &str = "sl-secret-e355ae6fd5";
const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.jwt-one.sig";

// The documents the client must send, word for word: the contract with Spacelift's schema.
const API_KEY_USER: &str = "mutation ApiKeyUser($id: ID!, $secret: String!) { apiKeyUser(id: $id, secret: $secret) { jwt } }";
const STACKS: &str = "query Stacks { stacks { id name state branch repository space labels } }";
const RUN_TRIGGER: &str =
    "mutation RunTrigger($stack: ID!) { runTrigger(stack: $stack) { id state } }";

fn client(server: &MockServer) -> SpaceliftClient {
    SpaceliftClient::new(
        format!("{}/graphql", server.uri()),
        ApiKey::new(KEY_ID, SecretString::new(SECRET)),
    )
}

/// The token exchange: the exact body, and no `Authorization` header (there is no JWT yet).
fn exchange() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_json(json!({
            "query": API_KEY_USER,
            "variables": {"id": KEY_ID, "secret": SECRET}
        })))
        .and(|r: &Request| !r.headers.contains_key("authorization"))
}

fn jwt_answer(jwt: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": {"apiKeyUser": {"jwt": jwt}}}))
}

fn stacks_call(jwt: &str) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(header("authorization", format!("Bearer {jwt}").as_str()))
        .and(body_json(json!({"query": STACKS, "variables": {}})))
}

fn trigger_call(jwt: &str, stack: &str) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(header("authorization", format!("Bearer {jwt}").as_str()))
        .and(body_json(
            json!({"query": RUN_TRIGGER, "variables": {"stack": stack}}),
        ))
}

fn stacks_answer() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": {"stacks": [
        {"id": "payments-dev", "name": "Payments (dev)", "state": "FINISHED", "branch": "main",
         "repository": "payments-infra", "space": "team-payments-01HXYZ", "labels": ["team:payments", "env:dev"]},
        {"id": "network", "name": "Network", "state": "UNCONFIRMED", "branch": "release",
         "repository": "network", "space": "root", "labels": []}
    ]}}))
}

/// Answers the token exchange with `jwt-1`, `jwt-2`, … in turn.
struct NumberedJwts(AtomicUsize);

impl Respond for NumberedJwts {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        jwt_answer(&format!("jwt-{n}"))
    }
}

#[tokio::test]
async fn exchanges_the_key_once_and_lists_stacks() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(jwt_answer(JWT))
        .expect(1)
        .mount(&server)
        .await;
    stacks_call(JWT)
        .respond_with(stacks_answer())
        .expect(3)
        .mount(&server)
        .await;
    let c = client(&server);
    let stacks = c.list_stacks().await.unwrap();
    assert_eq!(stacks.len(), 2);
    let s = &stacks[0];
    assert_eq!(
        (
            s.id.as_str(),
            s.name.as_str(),
            s.state.as_str(),
            s.branch.as_str()
        ),
        ("payments-dev", "Payments (dev)", "FINISHED", "main")
    );
    assert_eq!(
        (s.repository.as_str(), s.space.as_str()),
        ("payments-infra", "team-payments-01HXYZ")
    );
    assert_eq!(s.labels, ["team:payments", "env:dev"]);
    assert!(stacks[1].labels.is_empty());
    // Two more calls within the JWT's minute: no new exchange (`expect(1)` above).
    c.list_stacks().await.unwrap();
    c.list_stacks().await.unwrap();
}

#[tokio::test]
async fn renews_the_jwt_after_its_ttl() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(NumberedJwts(AtomicUsize::new(0)))
        .expect(2)
        .mount(&server)
        .await;
    stacks_call("jwt-1")
        .respond_with(stacks_answer())
        .expect(2)
        .mount(&server)
        .await;
    stacks_call("jwt-2")
        .respond_with(stacks_answer())
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server).with_token_ttl(Duration::from_millis(300));
    c.stacks().await.unwrap();
    c.stacks().await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    c.stacks().await.unwrap();
}

#[tokio::test]
async fn a_refused_jwt_is_renewed_once_then_the_call_succeeds() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(NumberedJwts(AtomicUsize::new(0)))
        .expect(2)
        .mount(&server)
        .await;
    // Revoked before its minute was up.
    stacks_call("jwt-1")
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    stacks_call("jwt-2")
        .respond_with(stacks_answer())
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client(&server).stacks().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_graphql_unauthorized_error_is_a_refused_jwt_too() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(NumberedJwts(AtomicUsize::new(0)))
        .expect(2)
        .mount(&server)
        .await;
    stacks_call("jwt-1")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errors": [{"message": "unauthorized", "path": ["stacks"]}], "data": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    stacks_call("jwt-2")
        .respond_with(stacks_answer())
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client(&server).stacks().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_wrong_key_is_unauthorized_and_named_without_its_secret() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errors": [{"message": "unauthorized", "path": ["apiKeyUser"]}],
            "data": {"apiKeyUser": null}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).stacks().await.unwrap_err();
    assert!(
        matches!(err, SpaceliftError::Unauthorized { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains(KEY_ID), "{message}");
    assert!(message.contains("SPACELIFT_API_KEY_SECRET"), "{message}");
    assert!(!message.contains(SECRET) && !format!("{err:?}").contains(SECRET));
    assert_eq!(IacError::from(err).code(), "unauthorized");
}

#[tokio::test]
async fn a_key_without_a_jwt_is_unauthorized() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": {"apiKeyUser": null}})),
        )
        .mount(&server)
        .await;
    let err = client(&server).trigger_run("network").await.unwrap_err();
    assert_eq!(err.code(), "unauthorized", "{err}");
}

#[tokio::test]
async fn http_401_after_renewal_is_unauthorized() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(jwt_answer(JWT))
        .expect(2)
        .mount(&server)
        .await;
    stacks_call(JWT)
        .respond_with(ResponseTemplate::new(401).set_body_string("unauthorized"))
        .expect(2)
        .mount(&server)
        .await;
    let err = client(&server).stacks().await.unwrap_err();
    assert!(
        matches!(&err, SpaceliftError::Unauthorized { operation, .. } if operation == "list stacks"),
        "{err:?}"
    );
}

#[tokio::test]
async fn http_403_is_forbidden() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(jwt_answer(JWT))
        .mount(&server)
        .await;
    trigger_call(JWT, "network")
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "errors": [{"message": "forbidden"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).trigger_run("network").await.unwrap_err();
    assert!(matches!(err, SpaceliftError::Forbidden { .. }), "{err:?}");
    assert!(err.to_string().contains("trigger a run of stack network"));
    let err = IacError::from(err);
    assert_eq!(err.code(), "forbidden");
    assert!(err.is_refusal());
}

#[tokio::test]
async fn http_429_is_rate_limited_with_retry_after() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(jwt_answer(JWT))
        .mount(&server)
        .await;
    stacks_call(JWT)
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "7"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).stacks().await.unwrap_err();
    assert!(
        matches!(
            err,
            SpaceliftError::RateLimited {
                retry_after_secs: Some(7),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("retry after 7 s"), "{err}");
    match IacError::from(err) {
        IacError::RateLimited {
            retry_after_secs, ..
        } => assert_eq!(retry_after_secs, Some(7)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_rate_limited_token_exchange_is_rate_limited() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(ResponseTemplate::new(429))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).stacks().await.unwrap_err();
    assert_eq!(err.code(), "rate-limited", "{err}");
}

#[tokio::test]
async fn other_http_errors_name_the_status() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(jwt_answer(JWT))
        .mount(&server)
        .await;
    stacks_call(JWT)
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .mount(&server)
        .await;
    let err = client(&server).stacks().await.unwrap_err();
    assert!(
        matches!(err, SpaceliftError::Http { status: 502, .. }),
        "{err:?}"
    );
    assert_eq!(IacError::from(err).code(), "backend");
}

#[tokio::test]
async fn triggers_a_run() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(jwt_answer(JWT))
        .expect(1)
        .mount(&server)
        .await;
    trigger_call(JWT, "payments-dev")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"runTrigger": {"id": "01HRUN8J6Q2ZK3W4X5Y6Z7A8B9", "state": "QUEUED"}}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let run = IacRunner::trigger_run(&client(&server), " payments-dev ")
        .await
        .unwrap();
    assert_eq!(run.stack, "payments-dev");
    assert_eq!(run.run_id, "01HRUN8J6Q2ZK3W4X5Y6Z7A8B9");
    assert_eq!(run.state, "QUEUED");
    let json = serde_json::to_value(&run).unwrap();
    assert_eq!(
        json,
        json!({"stack": "payments-dev", "runId": "01HRUN8J6Q2ZK3W4X5Y6Z7A8B9", "state": "QUEUED"})
    );
}

#[tokio::test]
async fn graphql_errors_are_reported_with_their_messages() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(jwt_answer(JWT))
        .mount(&server)
        .await;
    trigger_call(JWT, "ghost")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errors": [{"message": "stack not found", "path": ["runTrigger"]}], "data": null
        })))
        .mount(&server)
        .await;
    trigger_call(JWT, "disabled")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errors": [
                {"message": "stack is disabled", "path": ["runTrigger"]},
                {"message": "nothing to run", "path": ["runTrigger"]}
            ],
            "data": null
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let err = c.trigger_run("ghost").await.unwrap_err();
    match &err {
        SpaceliftError::GraphQl { messages, .. } => assert_eq!(messages, &["stack not found"]),
        other => panic!("{other:?}"),
    }
    assert_eq!(IacError::from(err).code(), "not-found");
    let err = c.trigger_run("disabled").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "spacelift could not trigger a run of stack disabled: stack is disabled; nothing to run"
    );
    assert_eq!(IacError::from(err).code(), "api");
}

#[tokio::test]
async fn an_answer_that_is_not_the_documented_shape_is_a_decode_error() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(jwt_answer(JWT))
        .mount(&server)
        .await;
    stacks_call(JWT)
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": {"stacks": [{"id": 1}]}})),
        )
        .mount(&server)
        .await;
    let err = client(&server).stacks().await.unwrap_err();
    assert_eq!(err.code(), "decode", "{err}");
}

#[tokio::test]
async fn an_empty_stack_id_is_refused_before_any_call() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(jwt_answer(JWT))
        .expect(0)
        .mount(&server)
        .await;
    let err = client(&server).trigger_run("  ").await.unwrap_err();
    assert_eq!(IacError::from(err).code(), "invalid-request");
}

fn access(server: &MockServer, read_only: bool) -> SpaceliftAccess {
    SpaceliftAccess {
        endpoint: format!("{}/graphql", server.uri()),
        api_key_id: KEY_ID.into(),
        api_key_secret: SecretString::new(SECRET),
        read_only,
    }
}

#[tokio::test]
async fn read_only_lists_but_refuses_triggers_without_a_request() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(jwt_answer(JWT))
        .expect(1)
        .mount(&server)
        .await;
    stacks_call(JWT)
        .respond_with(stacks_answer())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(|r: &Request| String::from_utf8_lossy(&r.body).contains("runTrigger"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let runner = runner_from_access(&access(&server, true));
    assert!(runner.is_read_only());
    assert_eq!(runner.kind(), "spacelift");
    assert_eq!(runner.list_stacks().await.unwrap().len(), 2);
    let err = runner.trigger_run("payments-dev").await.unwrap_err();
    assert_eq!(err.code(), "read-only");
    assert!(
        err.to_string().contains("read-only") && err.to_string().contains("payments-dev"),
        "{err}"
    );
    assert!(!runner_from_access(&access(&server, false)).is_read_only());
}

#[tokio::test]
async fn secrets_never_show_in_debug_or_errors() {
    let server = MockServer::start().await;
    exchange()
        .respond_with(jwt_answer(JWT))
        .mount(&server)
        .await;
    // A server that echoes what it was sent must not get the secrets into an error either.
    stacks_call(JWT)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errors": [{"message": format!("bad token {JWT} for key secret {SECRET}")}], "data": null
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let err = c.stacks().await.unwrap_err();
    let texts = [
        format!("{c:?}"),
        format!("{err:?}"),
        err.to_string(),
        IacError::from(err).to_string(),
        format!("{:?}", access(&server, false)),
        format!("{:?}", runner_from_access(&access(&server, true)).kind()),
        format!("{:?}", ApiKey::new(KEY_ID, SecretString::new(SECRET))),
    ];
    for text in texts {
        assert!(
            !text.contains(SECRET) && !text.contains(JWT),
            "a secret leaked: {text}"
        );
    }
    // The client really holds a JWT (the call got past the exchange to the stacks query).
    let received = server.received_requests().await.unwrap();
    let stacks_requests = received
        .iter()
        .filter(|r| r.headers.get("authorization").is_some())
        .count();
    assert_eq!(stacks_requests, 1);
}

/// The step runner and the `opa:trigger-stack-run` action over the Spacelift runner.
mod action {
    use super::*;
    use opa_core::iac::TriggerStackRun;
    use opa_core::scaffolder::template::Template;
    use opa_core::scaffolder::{ActionRegistry, Backends, TaskRequest, TaskRunner};

    const TEMPLATE: &str = r#"
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: run-stack
spec:
  owner: group:platform
  type: service
  parameters:
    - properties:
        stack: {type: string}
  steps:
    - id: run
      name: Run the stack
      action: opa:trigger-stack-run
      input:
        stack: ${{ parameters.stack }}
  output:
    runId: ${{ steps.run.output.runId }}
    state: ${{ steps.run.output.state }}
"#;

    fn runner(runner: Arc<dyn IacRunner>) -> TaskRunner {
        let mut registry = ActionRegistry::with_builtins();
        registry.register(Arc::new(TriggerStackRun::new(runner)));
        TaskRunner::new(registry, Backends::new())
    }

    #[tokio::test]
    async fn the_action_triggers_a_run_and_outputs_its_id_and_state() {
        let server = MockServer::start().await;
        exchange()
            .respond_with(jwt_answer(JWT))
            .mount(&server)
            .await;
        trigger_call(JWT, "payments-dev")
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "data": {"runTrigger": {"id": "01HRUN", "state": "QUEUED"}}
            })))
            .expect(1)
            .mount(&server)
            .await;
        let template = Template::from_yaml_str(TEMPLATE).unwrap();
        let result = runner(runner_from_access(&access(&server, false)))
            .run(TaskRequest::new(template, json!({"stack": "payments-dev"})))
            .await
            .expect("the template runs");
        assert_eq!(result.output["runId"], "01HRUN");
        assert_eq!(result.output["state"], "QUEUED");
    }

    #[tokio::test]
    async fn the_action_fails_in_read_only_mode() {
        let server = MockServer::start().await;
        let template = Template::from_yaml_str(TEMPLATE).unwrap();
        let failure = runner(runner_from_access(&access(&server, true)))
            .run(TaskRequest::new(template, json!({"stack": "payments-dev"})))
            .await
            .expect_err("read-only refuses");
        let text = format!("{failure}");
        assert!(text.contains("read-only"), "{text}");
        assert!(server.received_requests().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn an_unreachable_endpoint_says_why() {
    // A port nothing listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = SpaceliftClient::new(
        format!("http://127.0.0.1:{port}/graphql"),
        ApiKey::new(KEY_ID, SecretString::new(SECRET)),
    );
    let err = c.stacks().await.unwrap_err();
    assert_eq!(err.code(), "unreachable");
    let message = err.to_string();
    assert!(
        message.contains(&format!("127.0.0.1:{port}/graphql"))
            && message.contains("exchange the API key for a token"),
        "{message}"
    );
    assert!(
        message.to_ascii_lowercase().contains("connect"),
        "the cause is named: {message}"
    );
}
