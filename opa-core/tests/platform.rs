//! The platform model read from the example platform catalog (`examples/platform`).

use opa_core::entity::EntityRef;
use opa_core::platform::model::resolve_environment;
use opa_core::platform::{
    Application, EntityIndex, EntityLookup, Environment, EnvironmentProvider, Membership,
    PlatformError, ProviderPart, RuntimeType,
};
use serde_json::json;

fn example() -> EntityIndex {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/platform");
    let mut index = EntityIndex::default();
    let problems = index.add_path(std::path::Path::new(dir)).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    index
}

fn r(s: &str) -> EntityRef {
    s.parse().unwrap()
}

#[test]
fn provider_reads_every_part() {
    let index = example();
    let p = EnvironmentProvider::from_entity(
        index
            .entity(&r("awsenvironmentprovider:default/dev-use1"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(p.account.as_deref(), Some("111111111111"));
    assert_eq!(p.region.as_deref(), Some("us-east-1"));
    assert_eq!(p.runtime_type, Some(RuntimeType::Ecs));
    assert_eq!(p.cluster.as_deref(), Some("opa-dev-cluster"));
    assert_eq!(p.owner, Some(r("group:default/platform-admins")));
    assert!(p.is_provisioned());
}

#[test]
fn unprovisioned_provider_names_each_missing_part() {
    let index = example();
    let p = EnvironmentProvider::from_entity(
        index
            .entity(&r("awsenvironmentprovider:default/sandbox-use1"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        p.missing_parts(),
        vec![
            ProviderPart::ProvisioningRole,
            ProviderPart::OperationsRole,
            ProviderPart::AuditTable
        ]
    );
    let e = p.provisioned().unwrap_err().to_string();
    assert_eq!(
        e,
        "environment provider awsenvironmentprovider:default/sandbox-use1 is not provisioned: missing provisioning role (metadata.provisioningRole), operations role (metadata.operationRole), audit table (metadata.auditTable)"
    );
    // Resolving an environment on it fails the same way, as OPA's action does.
    let err = resolve_environment(&index, &r("awsenvironment:default/sandbox")).unwrap_err();
    assert!(matches!(err, PlatformError::NotProvisioned(_)), "{err}");
}

#[test]
fn malformed_parts_are_errors_with_their_path() {
    let bad = json!({"apiVersion": "aws.backstage.io/v1alpha", "kind": "AWSEnvironmentProvider",
        "metadata": {"name": "x", "awsAccount": "1234"}, "spec": {}});
    let e = EnvironmentProvider::from_entity(&bad).unwrap_err();
    assert_eq!(e.code(), "invalid-field");
    assert!(e.to_string().contains("metadata.awsAccount"), "{e}");
    let bad = json!({"kind": "AWSEnvironmentProvider", "metadata": {"name": "x", "envType": "vm"}});
    assert!(
        EnvironmentProvider::from_entity(&bad)
            .unwrap_err()
            .to_string()
            .contains("envType")
    );
    // Numbers YAML read from an unquoted account id still count.
    let ok = json!({"kind": "AWSEnvironmentProvider", "metadata": {"name": "x", "awsAccount": 123456789012_u64}});
    assert_eq!(
        EnvironmentProvider::from_entity(&ok)
            .unwrap()
            .account
            .as_deref(),
        Some("123456789012")
    );
    let wrong = json!({"kind": "Component", "metadata": {"name": "x"}});
    assert_eq!(
        EnvironmentProvider::from_entity(&wrong).unwrap_err().code(),
        "wrong-kind"
    );
}

#[test]
fn environment_and_resolution_match_opa_output() {
    let index = example();
    let qa =
        Environment::from_entity(index.entity(&r("awsenvironment:default/qa")).unwrap()).unwrap();
    assert_eq!(qa.level, 2);
    assert!(!qa.requires_approval);
    assert_eq!(qa.providers.len(), 2);
    let resolved = resolve_environment(&index, &r("awsenvironment:default/qa")).unwrap();
    let out = serde_json::to_value(&resolved).unwrap();
    assert_eq!(out["envName"], "qa");
    assert_eq!(out["envShortName"], "qa");
    assert_eq!(out["envRef"], "awsenvironment:default/qa");
    assert_eq!(out["envDeployManualApproval"], false);
    let providers = out["envProviders"].as_array().unwrap();
    assert_eq!(providers.len(), 2);
    assert_eq!(providers[1]["envProviderName"], "qa-euw1");
    assert_eq!(providers[1]["envProviderType"], "ecs");
    assert_eq!(providers[1]["envProviderPrefix"], "opa");
    assert_eq!(providers[1]["accountId"], "333333333333");
    assert_eq!(providers[1]["region"], "eu-west-1");
    assert_eq!(providers[1]["vpcId"], "vpc-2a1b2c3d");
    assert_eq!(
        providers[1]["assumedRoleArn"],
        "arn:aws:iam::333333333333:role/opa-qa-provisioning-role"
    );
    let prod = resolve_environment(&index, &r("awsenvironment:default/prod")).unwrap();
    assert!(prod.env_deploy_manual_approval);
    let missing = resolve_environment(&index, &r("awsenvironment:default/nope")).unwrap_err();
    assert_eq!(
        missing.to_string(),
        "awsenvironment:default/nope is not in the catalog"
    );
}

#[test]
fn application_reads_environments_and_app_data() {
    let index = example();
    let app = Application::from_entity(index.entity(&r("component:default/payments-api")).unwrap())
        .unwrap();
    assert_eq!(app.owner, r("group:default/team-payments"));
    assert_eq!(app.sub_type.as_deref(), Some("aws-ecs"));
    assert_eq!(
        app.environments,
        vec![
            r("awsenvironment:default/dev"),
            r("awsenvironment:default/prod"),
            r("awsenvironment:default/qa")
        ]
    );
    assert_eq!(
        app.outputs("dev", "dev-use1").unwrap()["StackName"],
        "payments-api-ecs-resources-dev-use1"
    );
    let not_app = json!({"kind": "Component", "metadata": {"name": "lib"}, "spec": {"type": "library", "owner": "x"}});
    assert_eq!(
        Application::from_entity(&not_app).unwrap_err().code(),
        "wrong-kind"
    );
}

#[test]
fn membership_from_users_and_groups() {
    let index = example();
    // User.memberOf
    assert!(index.is_member(
        &r("user:default/dev-dana"),
        &r("group:default/team-payments")
    ));
    // Group.members
    assert!(index.is_member(
        &r("user:default/admin-alice"),
        &r("group:default/platform-admins")
    ));
    assert!(!index.is_member(
        &r("user:default/guest-gus"),
        &r("group:default/team-payments")
    ));
    assert!(!index.is_member(&r("user:default/nobody"), &r("group:default/team-payments")));
}

#[test]
fn membership_from_the_catalog_relations() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/platform");
    let catalog =
        opa_core::catalog::Catalog::load(&[dir], opa_core::catalog::LoadOptions::default())
            .unwrap();
    assert!(catalog.is_member(
        &r("user:default/dev-dana"),
        &r("group:default/team-payments")
    ));
    assert!(catalog.is_member(
        &r("user:default/admin-alice"),
        &r("group:default/platform-admins")
    ));
    assert!(!catalog.is_member(
        &r("user:default/guest-gus"),
        &r("group:default/team-payments")
    ));
}

#[test]
fn an_index_of_a_loaded_catalog() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/platform");
    let catalog =
        opa_core::catalog::Catalog::load(&[dir], opa_core::catalog::LoadOptions::default())
            .unwrap();
    let index = EntityIndex::from_catalog(&catalog);
    assert_eq!(index.len(), catalog.len());
    let resolved = resolve_environment(&index, &r("awsenvironment:default/qa")).unwrap();
    assert_eq!(resolved.env_providers.len(), 2);
}
