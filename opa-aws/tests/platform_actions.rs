//! The `opa:*` scaffolder actions on the embedded local cloud, run through the real step runner.

use std::sync::Arc;

use opa_aws::local::LocalCloud;
use opa_core::cloud::{Credentials, Parameters, Secrets};
use opa_core::platform::actions::{PlatformServices, register};
use opa_core::scaffolder::catalog::MemoryCatalog;
use opa_core::scaffolder::template::Template;
use opa_core::scaffolder::{ActionRegistry, Backends, TaskRequest, TaskRunner};
use serde_json::json;

fn runner(cloud: &Arc<LocalCloud>, catalog: Arc<MemoryCatalog>) -> TaskRunner {
    let services = PlatformServices {
        credentials: cloud.clone(),
        parameters: cloud.clone(),
        secrets: cloud.clone(),
        region: "us-east-1".into(),
        prefix: "opa".into(),
    };
    let mut registry = ActionRegistry::with_builtins();
    register(&mut registry, &services);
    TaskRunner::new(registry, Backends::new().with_catalog(catalog))
}

const TEMPLATE: &str = r#"
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: platform-actions
spec:
  owner: group:platform
  type: service
  steps:
    - id: meta
      action: opa:get-platform-metadata
    - id: params
      action: opa:get-platform-parameters
      input:
        paramKeys: ['/opa/platform-role']
    - id: secret
      action: opa:create-secret
      input:
        secretName: ${{ parameters.app }}-repo-token
        description: token of ${{ parameters.app }}
    - id: ssm
      action: opa:get-ssm-parameters
      input:
        paramKeys: ['/opa/platform-role']
        envProviders: [{envProviderName: dev-provider}]
  output:
    region: ${{ steps.meta.output.platformRegion }}
    role: ${{ steps.params.output.params['/opa/platform-role'] }}
    secretArn: ${{ steps.secret.output.awsSecretArn }}
    perProvider: ${{ steps.ssm.output.params['dev-provider']['/opa/platform-role'] }}
"#;

#[tokio::test]
async fn platform_actions_read_parameters_and_create_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = Arc::new(LocalCloud::open(dir.path().join("cloud.json")));
    let session = cloud.platform_session("us-east-1").await.unwrap();
    let role = "arn:aws:iam::000000000000:role/opa-platform-role";
    cloud
        .put_parameter(&session, "/opa/platform-role", role, false)
        .await
        .unwrap();
    let template = Template::from_yaml_str(TEMPLATE).expect("template parses");
    let result = runner(&cloud, Arc::new(MemoryCatalog::new()))
        .run(TaskRequest::new(template, json!({"app": "orders"})))
        .await
        .expect("the template runs");
    assert_eq!(result.output["region"], "us-east-1");
    assert_eq!(result.output["role"], role);
    assert_eq!(result.output["perProvider"], role);
    let arn = result.output["secretArn"].as_str().unwrap();
    assert!(arn.contains("orders-repo-token"), "{arn}");
    // The secret really exists in the local cloud.
    assert!(cloud.get_secret_value(&session, arn).await.is_ok());
}

#[tokio::test]
async fn unknown_environment_and_missing_parameter_fail_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = Arc::new(LocalCloud::open(dir.path().join("cloud.json")));
    let template = Template::from_yaml_str(
        r#"
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: env}
spec:
  owner: group:platform
  type: service
  steps:
    - id: env
      action: opa:get-env-providers
      input: {environmentRef: nowhere}
"#,
    )
    .unwrap();
    let err = runner(&cloud, Arc::new(MemoryCatalog::new()))
        .run(TaskRequest::new(template, json!({})))
        .await
        .expect_err("no such environment");
    assert_eq!(err.step_id.as_deref(), Some("env"));
    assert!(
        err.message.contains("awsenvironment:default/nowhere"),
        "{}",
        err.message
    );

    let template = Template::from_yaml_str(
        r#"
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: params}
spec:
  owner: group:platform
  type: service
  steps:
    - id: params
      action: opa:get-platform-parameters
      input: {paramKeys: ['/opa/missing']}
"#,
    )
    .unwrap();
    let err = runner(&cloud, Arc::new(MemoryCatalog::new()))
        .run(TaskRequest::new(template, json!({})))
        .await
        .expect_err("no such parameter");
    assert!(err.message.contains("/opa/missing"), "{}", err.message);
}

#[tokio::test]
async fn component_info_gives_the_kebab_case_name() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = Arc::new(LocalCloud::open(dir.path().join("cloud.json")));
    let template = Template::from_yaml_str(
        r#"
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: info}
spec:
  owner: group:platform
  type: service
  steps:
    - id: getComponentInfo
      action: opa:get-component-info
      input:
        componentName: ${{ parameters.component_id }}
  output:
    kebabName: ${{ steps['getComponentInfo'].output.kebabCaseComponentName }}
"#,
    )
    .unwrap();
    let result = runner(&cloud, Arc::new(MemoryCatalog::new()))
        .run(TaskRequest::new(
            template.clone(),
            json!({"component_id": "OrdersAPIService2"}),
        ))
        .await
        .expect("the template runs");
    assert_eq!(result.output["kebabName"], "orders-api-service-2");

    let err = runner(&cloud, Arc::new(MemoryCatalog::new()))
        .run(TaskRequest::new(template, json!({})))
        .await
        .expect_err("componentName is required");
    assert_eq!(err.step_id.as_deref(), Some("getComponentInfo"));
}
