//! `opa app` and `opa audit list` with `cloud: aws` on moto: `opa bootstrap aws --apply` makes
//! the operations role and the audit table, an ECS service stands for the deployed app, and the
//! example catalog points at them. The CLI assumes the operations role, stops the service and
//! changes its environment, and the audit trail is read back from DynamoDB.

use std::path::Path;
use std::process::{Command, Output};

use aws_sdk_ecs::types::{ContainerDefinition, KeyValuePair};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

fn endpoint() -> Option<String> {
    match std::env::var("AWS_ENDPOINT_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("OPA_REQUIRE_MOTO").is_ok_and(|v| !v.is_empty() && v != "0")
            || std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") =>
        {
            panic!("AWS_ENDPOINT_URL is not set but a moto server is required: run scripts/test.sh")
        }
        _ => {
            eprintln!("skipped: AWS_ENDPOINT_URL is not set (scripts/test.sh starts moto)");
            None
        }
    }
}

fn opa(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opa"))
        .args(args)
        .current_dir(dir)
        .env_remove("OPA_USER")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// An ECS service wanting 2 tasks of the app's image 1.0.0.
async fn service(url: &str, app: &str, prefix: &str) -> (aws_sdk_ecs::Client, String) {
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(url)
        .load()
        .await;
    let ecs = aws_sdk_ecs::Client::new(&sdk);
    let cluster = format!("{prefix}-dev-cluster");
    ecs.create_cluster()
        .cluster_name(&cluster)
        .send()
        .await
        .unwrap();
    let td = ecs
        .register_task_definition()
        .family(format!("{prefix}-{app}"))
        .container_definitions(
            ContainerDefinition::builder()
                .name(app)
                .image(format!(
                    "{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{app}:1.0.0"
                ))
                .memory(256)
                .environment(KeyValuePair::builder().name("GREETING").value("hi").build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    let arn = ecs
        .create_service()
        .cluster(&cluster)
        .service_name(format!("{prefix}-{app}"))
        .task_definition(td.task_definition().unwrap().task_definition_arn().unwrap())
        .desired_count(2)
        .send()
        .await
        .unwrap()
        .service()
        .unwrap()
        .service_arn()
        .unwrap()
        .to_string();
    (ecs, arn)
}

#[test]
fn opa_app_on_aws_assumes_the_operations_role_and_audits_to_dynamodb() {
    let Some(url) = endpoint() else { return };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let prefix = format!("opa{}", nanos % 1_000_000_000);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    let boot = opa(
        d,
        &[
            "bootstrap",
            "aws",
            "--account",
            ACCOUNT,
            "--region",
            REGION,
            "--prefix",
            &prefix,
            "--env",
            "dev",
            "--apply",
            "--endpoint-url",
            &url,
        ],
    );
    assert!(
        boot.status.success(),
        "{}{}",
        text(&boot.stdout),
        text(&boot.stderr)
    );

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (ecs, service_arn) = rt.block_on(service(&url, "payments-api", &prefix));

    // The example platform, moved to moto's account and this run's prefix, the app deployed
    // to dev-use1 as the ECS service.
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/platform/catalog-info.yaml"
    ))
    .unwrap();
    let catalog = example
        .replace("111111111111", ACCOUNT)
        .replace("opa-dev-", &format!("{prefix}-dev-"))
        .replace("  prefix: opa\n", &format!("  prefix: {prefix}\n"))
        .replace(
            "        StackName: payments-api-ecs-resources-dev-use1\n",
            &format!(
                "        StackName: payments-api-ecs-resources-dev-use1\n        EcsServiceArn: {service_arn}\n"
            ),
        );
    assert!(catalog.contains(&service_arn));
    std::fs::write(d.join("catalog-info.yaml"), catalog).unwrap();
    std::fs::write(
        d.join("opa.yaml"),
        format!(
            "platform:\n  adminGroup: platform-admins\n  catalog: [catalog-info.yaml]\n\
             cloud:\n  kind: aws\n  region: {REGION}\n  endpointUrl: {url}\n\
             audit:\n  kind: dynamodb\n  table: {prefix}-dev-audit\n"
        ),
    )
    .unwrap();

    let stop = opa(
        d,
        &[
            "app",
            "stop",
            "payments-api",
            "--env",
            "dev",
            "--as",
            "dev-dana",
        ],
    );
    assert!(
        stop.status.success(),
        "{}{}",
        text(&stop.stdout),
        text(&stop.stderr)
    );
    assert!(
        text(&stop.stdout).starts_with("SUCCESS stop dev/dev-use1"),
        "{}",
        text(&stop.stdout)
    );
    let set = opa(
        d,
        &[
            "app",
            "set-env",
            "LOG_LEVEL=debug",
            "payments-api",
            "--env",
            "dev",
            "--as",
            "dev-dana",
            "--format",
            "json",
        ],
    );
    assert!(
        set.status.success(),
        "{}{}",
        text(&set.stdout),
        text(&set.stderr)
    );

    // What the service looks like now, read with the SDK.
    let (desired, env) = rt.block_on(async {
        let s = ecs
            .describe_services()
            .cluster(format!("{prefix}-dev-cluster"))
            .services(&service_arn)
            .send()
            .await
            .unwrap();
        let s = &s.services()[0];
        let td = ecs
            .describe_task_definition()
            .task_definition(s.task_definition().unwrap())
            .send()
            .await
            .unwrap();
        let env: Vec<(String, String)> = td.task_definition().unwrap().container_definitions()[0]
            .environment()
            .iter()
            .map(|kv| {
                (
                    kv.name().unwrap().to_string(),
                    kv.value().unwrap().to_string(),
                )
            })
            .collect();
        (s.desired_count(), env)
    });
    assert_eq!(desired, 0, "stopped");
    assert!(
        env.contains(&("LOG_LEVEL".into(), "debug".into())),
        "{env:?}"
    );

    // A user who does not own the app is refused, and that is audited too.
    let refused = opa(
        d,
        &[
            "app",
            "start",
            "payments-api",
            "--env",
            "dev",
            "--as",
            "guest-gus",
        ],
    );
    assert_eq!(refused.status.code(), Some(1));

    let list = opa(d, &["audit", "list", "--format", "json"]);
    assert!(list.status.success(), "{}", text(&list.stderr));
    let records: Vec<serde_json::Value> = text(&list.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actions: Vec<(&str, &str)> = records
        .iter()
        .map(|r| {
            (
                r["actionName"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    for want in [
        ("stop", "SUCCESS"),
        ("set-env", "SUCCESS"),
        ("start", "REFUSED"),
    ] {
        assert!(actions.contains(&want), "{want:?} in {actions:?}");
    }
    let stopped = records.iter().find(|r| r["actionName"] == "stop").unwrap();
    assert!(
        stopped["assumedRole"]
            .as_str()
            .unwrap()
            .contains(&format!("{prefix}-dev-operations-role")),
        "{stopped}"
    );
}
