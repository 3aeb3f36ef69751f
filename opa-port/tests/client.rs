//! The Port client against a wiremock server answering as Port's API documents: access tokens,
//! upsert with merge, error answers, bulk upsert in chunks of 20 with partial failures (207).

use opa_core::port::PortEntity;
use opa_port::{Credentials, PortClient, PortError, UpsertOptions};
use serde_json::{Value as Json, json};
use wiremock::matchers::{body_json, body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn entity(id: &str) -> PortEntity {
    serde_json::from_value(json!({
        "identifier": id, "blueprint": "service", "properties": {"language": "Rust"}
    }))
    .unwrap()
}

async fn port_with_token(server: &MockServer, expected_token_calls: u64) {
    Mock::given(method("POST"))
        .and(path("/v1/auth/access_token"))
        .and(body_json(
            json!({"clientId": "id-1", "clientSecret": "s3cret"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true, "accessToken": "tok-1", "expiresIn": 10800, "tokenType": "Bearer"
        })))
        .expect(expected_token_calls)
        .mount(server)
        .await;
}

fn client(server: &MockServer) -> PortClient {
    PortClient::with_api_url(Credentials::new("id-1", "s3cret"), server.uri())
}

#[tokio::test]
async fn upsert_gets_a_token_once_and_merges() {
    let server = MockServer::start().await;
    port_with_token(&server, 1).await;
    Mock::given(method("POST"))
        .and(path("/v1/blueprints/service/entities"))
        .and(header("authorization", "Bearer tok-1"))
        .and(query_param("upsert", "true"))
        .and(query_param("merge", "true"))
        .and(query_param("create_missing_related_entities", "false"))
        .and(body_partial_json(
            json!({"identifier": "checkout", "blueprint": "service"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "ok": true,
            "entity": {"identifier": "checkout", "blueprint": "service", "title": "Checkout",
                       "properties": {"language": "Rust", "tier": "gold"}}
        })))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server);
    let options = UpsertOptions {
        merge: true,
        ..Default::default()
    };
    let stored = c.upsert_entity(&entity("checkout"), options).await.unwrap();
    assert_eq!(stored.properties["tier"], "gold");
    c.upsert_entity(&entity("checkout"), options).await.unwrap();
}

#[tokio::test]
async fn port_errors_and_refused_credentials_are_errors_without_secrets() {
    let server = MockServer::start().await;
    port_with_token(&server, 1).await;
    Mock::given(method("POST"))
        .and(path("/v1/blueprints/service/entities"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "ok": false, "error": "invalid_request", "message": "property language is not valid"
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let err = c
        .upsert_entity(&entity("x"), UpsertOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, PortError::Api { status: 422, .. }), "{err:?}");
    assert_eq!(err.code(), "port-api");
    assert!(err.to_string().contains("property language is not valid"));
    assert!(!format!("{c:?}").contains("s3cret"));

    let refused = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/auth/access_token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "ok": false, "error": "unauthorized", "message": "bad credentials"
        })))
        .mount(&refused)
        .await;
    let err = client(&refused)
        .upsert_entity(&entity("x"), UpsertOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, PortError::Auth { status: 401, .. }));
    assert!(!err.to_string().contains("s3cret") && !format!("{err:?}").contains("s3cret"));
}

#[tokio::test]
async fn an_expired_token_is_renewed_once_on_401() {
    let server = MockServer::start().await;
    port_with_token(&server, 2).await;
    Mock::given(method("POST"))
        .and(path("/v1/blueprints/service/entities"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/blueprints/service/entities"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    client(&server)
        .upsert_entity(&entity("x"), UpsertOptions::default())
        .await
        .unwrap();
}

/// Answers a bulk call as Port does: 200 when all are stored, 207 with `errors` for entities
/// whose identifier starts with `bad`.
struct BulkAnswer;

impl Respond for BulkAnswer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Json = serde_json::from_slice(&request.body).unwrap();
        let entities = body["entities"].as_array().unwrap();
        if entities.len() > 20 {
            return ResponseTemplate::new(422).set_body_json(json!({
                "ok": false, "error": "invalid_request", "message": "too many entities"
            }));
        }
        let (mut ok, mut errors) = (Vec::new(), Vec::new());
        for (i, e) in entities.iter().enumerate() {
            let id = e["identifier"].as_str().unwrap();
            if id.starts_with("bad") {
                errors.push(json!({"index": i, "identifier": id, "statusCode": 422,
                    "error": "invalid_request", "message": format!("{id} is invalid")}));
            } else {
                ok.push(json!({"index": i, "identifier": id, "created": true}));
            }
        }
        let status = if errors.is_empty() { 200 } else { 207 };
        ResponseTemplate::new(status)
            .set_body_json(json!({"ok": errors.is_empty(), "entities": ok, "errors": errors}))
    }
}

#[tokio::test]
async fn bulk_upsert_sends_at_most_20_per_call_and_reports_partial_failures() {
    let server = MockServer::start().await;
    port_with_token(&server, 1).await;
    Mock::given(method("POST"))
        .and(path("/v1/blueprints/service/entities/bulk"))
        .and(query_param("upsert", "true"))
        .and(query_param("merge", "false"))
        .respond_with(BulkAnswer)
        .expect(3)
        .mount(&server)
        .await;
    let entities: Vec<PortEntity> = (0..45)
        .map(|i| {
            if i == 25 || i == 44 {
                entity(&format!("bad-{i}"))
            } else {
                entity(&format!("svc-{i}"))
            }
        })
        .collect();
    let report = client(&server)
        .bulk_upsert("service", &entities, UpsertOptions::default())
        .await
        .unwrap();
    assert_eq!(report.calls, 3);
    assert_eq!(report.succeeded.len(), 43);
    let failed: Vec<(usize, Option<&str>, u16)> = report
        .failed
        .iter()
        .map(|f| (f.index, f.identifier.as_deref(), f.status))
        .collect();
    assert_eq!(
        failed,
        [(25, Some("bad-25"), 422), (44, Some("bad-44"), 422)]
    );
    assert_eq!(report.failed[0].message, "bad-25 is invalid");
    assert!(!report.is_complete());
    assert_eq!(
        report.succeeded[25].index, 26,
        "indexes are global, not per call"
    );

    let mixed = vec![
        entity("a"),
        PortEntity {
            blueprint: "db".into(),
            ..entity("b")
        },
    ];
    let err = client(&server)
        .bulk_upsert("service", &mixed, UpsertOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, PortError::Invalid(_)));
}
