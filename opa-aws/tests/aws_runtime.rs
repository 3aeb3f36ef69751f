//! The app runtime on moto: the behavioural suite the local cloud passes, run against an ECS
//! service and a Lambda function through the real SDK, then what it did checked with the SDK
//! directly (desired counts restored, task definition revisions, the alias and its version,
//! reserved concurrency).

mod support;

use std::collections::BTreeMap;

use aws_sdk_ecs::types::{ContainerDefinition, KeyValuePair};
use aws_sdk_lambda::types::{Environment, FunctionCode, Runtime};
use aws_smithy_types::Blob;
use opa_aws::aws::{AwsAppRuntime, AwsConfig, AwsCredentials};
use opa_core::cloud::{AppRuntime, AppTarget, CloudError, CloudSession, Credentials, RunState};
use opa_core::platform::RuntimeType;
use opa_core::testing;
use serde_json::{Map, Value, json};
use support::{ACCOUNT, REGION, moto, unique};

async fn platform_session(config: &AwsConfig) -> CloudSession {
    AwsCredentials::default_chain(config.clone())
        .platform_session(REGION)
        .await
        .expect("platform session")
}

/// Clients of the SDK's own, to set up and inspect independently of the runtime.
async fn sdk(config: &AwsConfig) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(config.endpoint_url().unwrap())
        .load()
        .await
}

fn target(app: &str, runtime: RuntimeType, outputs: Value) -> AppTarget {
    let Value::Object(outputs) = outputs else {
        unreachable!()
    };
    AppTarget {
        app: app.into(),
        env: "dev".into(),
        provider: "dev-use1".into(),
        prefix: "opa".into(),
        account: ACCOUNT.into(),
        region: REGION.into(),
        runtime,
        cluster: None,
        outputs,
    }
}

/// A cluster, a task definition (the app's container and a sidecar) and a service wanting 2
/// tasks, as an app's pipeline would leave them.
async fn ecs_service(ecs: &aws_sdk_ecs::Client, app: &str) -> (String, String) {
    let cluster = unique("opa-cluster");
    ecs.create_cluster()
        .cluster_name(&cluster)
        .send()
        .await
        .expect("create cluster");
    let td = ecs
        .register_task_definition()
        .family(unique("opa-payments"))
        .container_definitions(
            ContainerDefinition::builder()
                .name("log-router")
                .image("public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0")
                .memory(64)
                .build(),
        )
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
        .expect("register task definition");
    let td_arn = td
        .task_definition()
        .unwrap()
        .task_definition_arn()
        .unwrap()
        .to_string();
    let service = ecs
        .create_service()
        .cluster(&cluster)
        .service_name(unique("opa-payments-svc"))
        .task_definition(&td_arn)
        .desired_count(2)
        .send()
        .await
        .expect("create service");
    let arn = service
        .service()
        .unwrap()
        .service_arn()
        .unwrap()
        .to_string();
    (cluster, arn)
}

#[tokio::test]
async fn app_runtime_suite_on_an_ecs_service() {
    let Some(config) = moto() else { return };
    let session = platform_session(&config).await;
    let sdk = sdk(&config).await;
    let ecs = aws_sdk_ecs::Client::new(&sdk);
    let app = "payments";
    let (cluster, service_arn) = ecs_service(&ecs, app).await;
    let target = target(app, RuntimeType::Ecs, json!({"EcsServiceArn": service_arn}));
    let runtime = AwsAppRuntime::new(config.clone());

    let before = runtime.status(&session, &target).await.unwrap();
    assert_eq!(
        before.version.as_deref(),
        Some("1.0.0"),
        "the app container's tag"
    );
    assert_eq!(before.desired, 2);
    assert_eq!(
        runtime.env_vars(&session, &target).await.unwrap(),
        BTreeMap::from([("GREETING".to_string(), "hi".to_string())])
    );

    testing::app_runtime_suite(&runtime, &session, &target).await;

    // What the suite did, seen by the SDK itself.
    let described = ecs
        .describe_services()
        .cluster(&cluster)
        .services(&service_arn)
        .send()
        .await
        .unwrap();
    let service = &described.services()[0];
    assert_eq!(
        service.desired_count(),
        2,
        "start restores the desired count a stop replaced"
    );
    let td = ecs
        .describe_task_definition()
        .task_definition(service.task_definition().unwrap())
        .send()
        .await
        .unwrap();
    let td = td.task_definition().unwrap();
    assert!(
        td.revision() >= 4,
        "set, set, unset and release each registered a revision: {}",
        td.revision()
    );
    let containers = td.container_definitions();
    let app_container = containers.iter().find(|c| c.name() == Some(app)).unwrap();
    assert_eq!(
        app_container.image(),
        Some(format!("{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{app}:2.0.1").as_str())
    );
    let env: BTreeMap<_, _> = app_container
        .environment()
        .iter()
        .map(|kv| (kv.name().unwrap(), kv.value().unwrap()))
        .collect();
    assert_eq!(
        env,
        BTreeMap::from([("GREETING", "hi"), ("LOG_LEVEL", "info")])
    );
    let sidecar = containers
        .iter()
        .find(|c| c.name() == Some("log-router"))
        .unwrap();
    assert_eq!(
        sidecar.image(),
        Some("public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0"),
        "only the app's container changes"
    );
    assert!(sidecar.environment().is_empty());
}

#[tokio::test]
async fn ecs_apps_are_found_by_service_name_and_cluster_too() {
    let Some(config) = moto() else { return };
    let session = platform_session(&config).await;
    let ecs = aws_sdk_ecs::Client::new(&sdk(&config).await);
    let (cluster, service_arn) = ecs_service(&ecs, "orders").await;
    let name = service_arn.rsplit('/').next().unwrap();
    let mut by_name = target("orders", RuntimeType::Ecs, json!({"EcsServiceName": name}));
    by_name.cluster = Some(cluster.clone());
    let runtime = AwsAppRuntime::new(config);
    let status = runtime.stop(&session, &by_name).await.unwrap();
    assert_eq!((status.state, status.desired), (RunState::Stopped, 0));

    // No cluster anywhere: the request cannot be made.
    by_name.cluster = None;
    match runtime.status(&session, &by_name).await {
        Err(CloudError::InvalidRequest(m)) => assert!(m.contains("no ECS cluster"), "{m}"),
        other => panic!("{other:?}"),
    }
    // A service that does not exist in the cluster: the app is not deployed.
    let gone = target(
        "orders",
        RuntimeType::Ecs,
        json!({"EcsServiceArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/{cluster}/nothing-here")}),
    );
    assert!(matches!(
        runtime.status(&session, &gone).await,
        Err(CloudError::NotFound { kind: "app", .. })
    ));
}

/// An IAM role Lambda may assume (moto checks that the function's role exists).
async fn lambda_role(iam: &aws_sdk_iam::Client) -> String {
    let name = unique("opa-lambda-role");
    let trust = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }]});
    iam.create_role()
        .role_name(&name)
        .assume_role_policy_document(trust.to_string())
        .send()
        .await
        .expect("create role");
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

/// A function with version 1 released as `1.0.0` behind the alias `live`, as an app's
/// pipeline would leave it. Its code is an empty zip archive (moto never runs it).
async fn lambda_function(sdk: &aws_config::SdkConfig) -> String {
    let lambda = aws_sdk_lambda::Client::new(sdk);
    let role = lambda_role(&aws_sdk_iam::Client::new(sdk)).await;
    let mut empty_zip = b"PK\x05\x06".to_vec();
    empty_zip.extend([0u8; 18]);
    let name = unique("opa-payments-fn");
    let created = lambda
        .create_function()
        .function_name(&name)
        .runtime(Runtime::Python312)
        .role(role)
        .handler("app.handler")
        .description("Payments API")
        .code(
            FunctionCode::builder()
                .zip_file(Blob::new(empty_zip))
                .build(),
        )
        .environment(Environment::builder().variables("GREETING", "hi").build())
        .send()
        .await
        .expect("create function");
    let v1 = lambda
        .publish_version()
        .function_name(&name)
        .description("1.0.0")
        .send()
        .await
        .expect("publish version 1");
    lambda
        .create_alias()
        .function_name(&name)
        .name("live")
        .function_version(v1.version().unwrap())
        .send()
        .await
        .expect("create alias");
    created.function_arn().unwrap().to_string()
}

#[tokio::test]
async fn app_runtime_suite_on_a_lambda_function() {
    let Some(config) = moto() else { return };
    let session = platform_session(&config).await;
    let sdk = sdk(&config).await;
    let arn = lambda_function(&sdk).await;
    let target = target(
        "payments",
        RuntimeType::Serverless,
        json!({"LambdaFunctionArn": arn}),
    );
    let runtime = AwsAppRuntime::new(config.clone());
    let before = runtime.status(&session, &target).await.unwrap();
    assert_eq!(before.version.as_deref(), Some("1.0.0"));
    assert_eq!(before.deployments, 1, "version 1 behind the alias");

    testing::app_runtime_suite(&runtime, &session, &target).await;

    let lambda = aws_sdk_lambda::Client::new(&sdk);
    let alias = lambda
        .get_alias()
        .function_name(&arn)
        .name("live")
        .send()
        .await
        .unwrap();
    let live = alias.function_version().unwrap();
    let version = lambda
        .get_function_configuration()
        .function_name(&arn)
        .qualifier(live)
        .send()
        .await
        .unwrap();
    assert_eq!(version.description(), Some("2.0.1"), "the released version");
    assert_eq!(
        version
            .environment()
            .and_then(|e| e.variables())
            .and_then(|v| v.get("LOG_LEVEL"))
            .map(String::as_str),
        Some("info"),
        "the alias serves the environment the suite set"
    );
    let concurrency = lambda
        .get_function_concurrency()
        .function_name(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        concurrency.reserved_concurrent_executions(),
        None,
        "started: no reservation left"
    );
    let latest = lambda
        .get_function_configuration()
        .function_name(&arn)
        .send()
        .await
        .unwrap();
    assert!(
        latest
            .description()
            .unwrap()
            .starts_with("Payments API (redeployed by opa at "),
        "{:?}",
        latest.description()
    );
}

#[tokio::test]
async fn a_stopped_function_gets_its_reserved_concurrency_back() {
    let Some(config) = moto() else { return };
    let session = platform_session(&config).await;
    let sdk = sdk(&config).await;
    let arn = lambda_function(&sdk).await;
    let lambda = aws_sdk_lambda::Client::new(&sdk);
    lambda
        .put_function_concurrency()
        .function_name(&arn)
        .reserved_concurrent_executions(5)
        .send()
        .await
        .unwrap();
    let name = arn.rsplit(':').next().unwrap();
    let function = target(
        "payments",
        RuntimeType::GenAiServerless,
        json!({"LambdaFunctionName": name}),
    );
    let runtime = AwsAppRuntime::new(config);
    assert_eq!(
        runtime.stop(&session, &function).await.unwrap().state,
        RunState::Stopped
    );
    assert_eq!(
        lambda
            .get_function_concurrency()
            .function_name(&arn)
            .send()
            .await
            .unwrap()
            .reserved_concurrent_executions(),
        Some(0)
    );
    assert_eq!(
        runtime.start(&session, &function).await.unwrap().state,
        RunState::Running
    );
    assert_eq!(
        lambda
            .get_function_concurrency()
            .function_name(&arn)
            .send()
            .await
            .unwrap()
            .reserved_concurrent_executions(),
        Some(5),
        "start restores the reservation a stop replaced"
    );
    let missing = target(
        "payments",
        RuntimeType::Serverless,
        json!({"LambdaFunctionName": unique("opa-no-such-fn")}),
    );
    assert!(matches!(
        runtime.status(&session, &missing).await,
        Err(CloudError::NotFound { kind: "app", .. })
    ));
}

#[tokio::test]
async fn eks_apps_are_unsupported_and_undeployed_apps_not_found_without_a_call() {
    // No server needed: both are decided before any request.
    let config = AwsConfig::new().with_endpoint_url(Some("http://127.0.0.1:9".into()));
    let (_, runtime) = AwsAppRuntime::for_platform(config);
    let session = CloudSession {
        credentials: opa_core::cloud::TemporaryCredentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: opa_core::cloud::SecretString::new("s"),
            session_token: opa_core::cloud::SecretString::new("t"),
            expiration: opa_core::audit::Timestamp::now(),
            assumed_role_arn: String::new(),
            account: ACCOUNT.into(),
        },
        region: REGION.into(),
    };
    let eks = target("payments", RuntimeType::Eks, json!({}));
    match runtime.stop(&session, &eks).await {
        Err(CloudError::Unsupported(m)) => assert!(m.contains("EKS"), "{m}"),
        other => panic!("{other:?}"),
    }
    for runtime_type in [RuntimeType::Ecs, RuntimeType::Serverless] {
        let t = target("payments", runtime_type, Value::Object(Map::new()));
        match runtime.status(&session, &t).await {
            Err(CloudError::NotFound { kind: "app", name }) => {
                assert!(name.contains("metadata.appData.dev.dev-use1"), "{name}")
            }
            other => panic!("{other:?}"),
        }
    }
    match runtime.release(&session, &eks, " ").await {
        Err(CloudError::InvalidRequest(_)) => {}
        other => panic!("an empty version is refused first: {other:?}"),
    }
}
