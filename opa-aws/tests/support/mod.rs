//! Reaching the moto servers the AWS tests run against.
//!
//! `scripts/test.sh` starts two moto servers on 127.0.0.1 and exports `AWS_ENDPOINT_URL` (the
//! main one), `OPA_MOTO_AUTH_ENDPOINT_URL` (one with IAM enforcement switchable through
//! `/moto-api/reset-auth`), dummy credentials and a region. Without them the tests skip with a
//! message, except in CI (`CI` or `OPA_REQUIRE_MOTO` set), where a missing server fails them.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;

use opa_aws::aws::AwsConfig;

/// The region the tests use.
pub const REGION: &str = "us-east-1";
/// moto's default account.
pub const ACCOUNT: &str = "123456789012";

fn required() -> bool {
    ["CI", "OPA_REQUIRE_MOTO"]
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|x| !x.is_empty() && x != "0" && x != "false"))
}

/// The endpoint in `var`, or `None` (after saying why) when the test should skip.
pub fn endpoint(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if required() => panic!(
            "{var} is not set, but CI/OPA_REQUIRE_MOTO says the moto server is required: run the tests through scripts/test.sh"
        ),
        _ => {
            eprintln!(
                "skipped: {var} is not set (run scripts/test.sh, which starts moto, to include this test)"
            );
            None
        }
    }
}

/// The main moto server's configuration, or `None` to skip.
pub fn moto() -> Option<AwsConfig> {
    endpoint("AWS_ENDPOINT_URL").map(|url| {
        AwsConfig::new()
            .with_endpoint_url(Some(url))
            .with_retries(3, std::time::Duration::from_millis(5))
    })
}

/// POSTs `body` to `path` of the server at `url` (moto's `/moto-api/…`), returning the body.
pub fn post(url: &str, path: &str, body: &str) -> String {
    let host = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = TcpStream::connect(&host).expect("connect to moto");
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    assert!(
        out.starts_with("HTTP/1.1 200") || out.starts_with("HTTP/1.0 200"),
        "{path}: {out}"
    );
    out.split("\r\n\r\n").nth(1).unwrap_or_default().to_string()
}

/// A name unique to this run.
pub fn unique(base: &str) -> String {
    opa_core::testing::unique(base)
}
