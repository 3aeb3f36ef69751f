//! No secret in the log: every record of this process (the client's, reqwest's and hyper's,
//! `log` records included) captured at TRACE while the client exchanges its key, lists stacks,
//! renews a refused JWT and fails. One test in this binary, since it installs the global
//! subscriber.

use std::io::Write;
use std::sync::{Arc, Mutex};

use opa_core::config::SecretString;
use opa_spacelift::{ApiKey, SpaceliftClient};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "sl-secret-for-the-log-test";
const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.log-test-jwt.sig";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_reaches_the_log_even_at_trace() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .try_init()
        .expect("the only subscriber of this test binary");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("apiKeyUser"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": {"apiKeyUser": {"jwt": JWT}}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("authorization", format!("Bearer {JWT}").as_str()))
        .and(body_string_contains("runTrigger"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("authorization", format!("Bearer {JWT}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"stacks": []}})))
        .mount(&server)
        .await;

    let client = SpaceliftClient::new(
        format!("{}/graphql", server.uri()),
        ApiKey::new("01KEY", SecretString::new(SECRET)),
    );
    client.stacks().await.unwrap();
    let err = client.trigger_run("network").await.unwrap_err();
    tracing::error!("trigger failed: {err} / {err:?} / {client:?}");

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("exchange the API key for a token"),
        "the client's own records were captured:\n{log}"
    );
    assert!(log.contains("01KEY"), "{log}");
    assert!(
        !log.contains(SECRET),
        "the API key secret is in the log:\n{log}"
    );
    assert!(!log.contains(JWT), "the JWT is in the log:\n{log}");
}
