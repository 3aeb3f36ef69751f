//! `opa stacks list` and `opa stacks trigger` end to end against a wiremock Spacelift, with the
//! credentials from the environment or from opa.yaml, and read-only mode.

use std::process::{Command, Output};

use serde_json::{Value as Json, json};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "cli-secret-5b1d";
const JWT: &str = "eyJ.cli-jwt.sig";

async fn spacelift() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_string_contains("apiKeyUser"))
        .and(body_string_contains(SECRET))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": {"apiKeyUser": {"jwt": JWT}}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(header("authorization", format!("Bearer {JWT}").as_str()))
        .and(body_string_contains("stacks {"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"stacks": [
            {"id": "payments-dev", "name": "Payments (dev)", "state": "FINISHED", "branch": "main",
             "repository": "payments-infra", "space": "root", "labels": ["team:payments"]},
            {"id": "network", "name": "Network", "state": "FAILED", "branch": "main",
             "repository": "network", "space": "platform-01HX", "labels": []}
        ]}})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(header("authorization", format!("Bearer {JWT}").as_str()))
        .and(body_string_contains("runTrigger"))
        .and(body_string_contains("\"stack\":\"network\""))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"data": {"runTrigger": {"id": "01HRUNCLI", "state": "QUEUED"}}}),
            ),
        )
        .mount(&server)
        .await;
    server
}

async fn opa(args: &[&str], env: &[(&str, String)], dir: &std::path::Path) -> Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_opa"));
        cmd.args(&args).current_dir(&dir);
        for var in [
            "SPACELIFT_API_KEY_ID",
            "SPACELIFT_API_KEY_SECRET",
            "SPACELIFT_API_ENDPOINT",
            "SPACELIFT_API_KEY_ENDPOINT",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("OPA_LOG", "trace");
        cmd.envs(env);
        cmd.output().unwrap()
    })
    .await
    .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_and_triggers_with_credentials_from_the_environment() {
    let server = spacelift().await;
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("SPACELIFT_API_ENDPOINT", server.uri()),
        ("SPACELIFT_API_KEY_ID", "01CLIKEY".to_string()),
        ("SPACELIFT_API_KEY_SECRET", SECRET.to_string()),
    ];

    let out = opa(&["stacks", "list", "--format", "json"], &env, dir.path()).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stacks: Vec<Json> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(stacks.len(), 2, "{stdout}");
    assert_eq!(
        stacks[0],
        json!({"id": "payments-dev", "name": "Payments (dev)", "state": "FINISHED", "branch": "main",
               "repository": "payments-infra", "space": "root", "labels": ["team:payments"]})
    );
    // Neither the secret nor the JWT in anything printed, even with OPA_LOG=trace.
    assert!(!text(&out).contains(SECRET) && !text(&out).contains(JWT));

    let out = opa(&["stacks", "list"], &env, dir.path()).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("REPOSITORY"),
        "{table}"
    );
    assert!(
        lines[1].starts_with("payments-dev  Payments (dev)  FINISHED"),
        "{table}"
    );
    assert!(lines[2].contains("platform-01HX"), "{table}");

    let out = opa(
        &["stacks", "trigger", "network", "--format", "json"],
        &env,
        dir.path(),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let run: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        run,
        json!({"stack": "network", "runId": "01HRUNCLI", "state": "QUEUED"})
    );
    assert!(!text(&out).contains(SECRET) && !text(&out).contains(JWT));

    // A stack Spacelift does not know: the GraphQL error, exit 1.
    Mock::given(method("POST"))
        .and(body_string_contains("\"stack\":\"ghost\""))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errors": [{"message": "stack not found"}], "data": null})),
        )
        .mount(&server)
        .await;
    let out = opa(
        &["stacks", "trigger", "ghost", "--format", "json"],
        &env,
        dir.path(),
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let failure: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(failure["error"]["code"], "not-found", "{failure}");
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_from_opa_yaml_refuses_triggers() {
    let server = spacelift().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("opa.yaml"),
        format!(
            "spacelift:\n  endpoint: {}\n  apiKeyId: 01CLIKEY\n  apiKeySecret: ${{MY_SPACELIFT_SECRET}}\n  readOnly: true\n",
            server.uri()
        ),
    )
    .unwrap();
    let env = [("MY_SPACELIFT_SECRET", SECRET.to_string())];

    let out = opa(&["stacks", "list", "--format", "json"], &env, dir.path()).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);

    let out = opa(&["stacks", "trigger", "network"], &env, dir.path()).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("REFUSED") && stderr.contains("read-only"),
        "{stderr}"
    );
    let out = opa(
        &["stacks", "trigger", "network", "--format", "json"],
        &env,
        dir.path(),
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let failure: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(failure["error"]["code"], "read-only");
    let triggers = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| String::from_utf8_lossy(&r.body).contains("runTrigger"))
        .count();
    assert_eq!(triggers, 0, "read-only must not send runTrigger");

    let out = opa(&["config", "check"], &env, dir.path()).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_credentials_are_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = opa(&["stacks", "list"], &[], dir.path()).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("spacelift is not configured") && stderr.contains("SPACELIFT_API_KEY_ID"),
        "{stderr}"
    );
    let env = [
        ("SPACELIFT_API_KEY_ID", "01CLIKEY".to_string()),
        ("SPACELIFT_API_KEY_SECRET", SECRET.to_string()),
    ];
    let out = opa(&["stacks", "trigger", "network"], &env, dir.path()).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no endpoint"),
        "{}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_key_fails_with_exit_1() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"errors": [{"message": "unauthorized"}], "data": {"apiKeyUser": null}}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("SPACELIFT_API_ENDPOINT", server.uri()),
        ("SPACELIFT_API_KEY_ID", "01WRONG".to_string()),
        ("SPACELIFT_API_KEY_SECRET", SECRET.to_string()),
    ];
    let out = opa(&["stacks", "list"], &env, dir.path()).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refused API key 01WRONG"), "{stderr}");
    assert!(!text(&out).contains(SECRET));
}

const TEMPLATE: &str = r#"apiVersion: scaffolder.backstage.io/v1beta3
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

#[tokio::test(flavor = "multi_thread")]
async fn template_run_triggers_a_stack_through_the_action() {
    let server = spacelift().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("template.yaml"), TEMPLATE).unwrap();
    let env = [
        ("SPACELIFT_API_ENDPOINT", server.uri()),
        ("SPACELIFT_API_KEY_ID", "01CLIKEY".to_string()),
        ("SPACELIFT_API_KEY_SECRET", SECRET.to_string()),
    ];
    let args = [
        "template",
        "run",
        "template.yaml",
        "--set",
        "stack=network",
        "--format",
        "json",
    ];
    let out = opa(&args, &env, dir.path()).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let result: Json = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        result["output"],
        json!({"runId": "01HRUNCLI", "state": "QUEUED"}),
        "{stdout}"
    );
    assert!(!text(&out).contains(SECRET) && !text(&out).contains(JWT));

    // Without Spacelift configured, the step fails saying what to set.
    let out = opa(&args, &[], dir.path()).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("spacelift is not configured"),
        "{}",
        text(&out)
    );
}
