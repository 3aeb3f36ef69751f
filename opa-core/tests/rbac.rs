//! Team namespaces: the resources handed out for a request, and the request's validation.

use opa_core::rbac::{NamespaceRequest, team_namespace};
use serde_json::{Value as Json, json};

fn by_kind<'a>(resources: &'a [Json], kind: &str) -> &'a Json {
    resources.iter().find(|r| r["kind"] == kind).unwrap()
}

#[test]
fn a_dev_namespace_with_the_default_quota() {
    let resources = team_namespace(&NamespaceRequest::new("payments", "dev")).unwrap();
    let kinds: Vec<&str> = resources
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "Namespace",
            "ResourceQuota",
            "LimitRange",
            "NetworkPolicy",
            "ClusterRole",
            "RoleBinding",
            "ServiceAccount"
        ]
    );
    let ns = by_kind(&resources, "Namespace");
    assert_eq!(ns["metadata"]["name"], "payments-dev");
    assert_eq!(ns["metadata"]["labels"]["team"], "payments");
    for r in resources
        .iter()
        .filter(|r| r["kind"] != "Namespace" && r["kind"] != "ClusterRole")
    {
        assert_eq!(r["metadata"]["namespace"], "payments-dev", "{}", r["kind"]);
    }
    let quota = by_kind(&resources, "ResourceQuota");
    assert_eq!(quota["spec"]["hard"]["limits.cpu"], "4");
    assert_eq!(quota["spec"]["hard"]["limits.memory"], "8Gi");
    let np = by_kind(&resources, "NetworkPolicy");
    assert_eq!(
        np["spec"],
        json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})
    );
    let rb = by_kind(&resources, "RoleBinding");
    assert_eq!(rb["roleRef"]["kind"], "ClusterRole");
    assert_eq!(rb["roleRef"]["name"], "developer");
    assert_eq!(rb["subjects"][0]["kind"], "Group");
    assert_eq!(rb["subjects"][0]["name"], "payments");
    assert_eq!(
        by_kind(&resources, "ServiceAccount")["metadata"]["name"],
        "payments"
    );
}

#[test]
fn the_developer_role_reads_execs_and_rolls_but_never_deletes() {
    let resources = team_namespace(&NamespaceRequest::new("a", "production")).unwrap();
    let role = by_kind(&resources, "ClusterRole");
    assert_eq!(role["metadata"]["name"], "developer");
    let rules = role["rules"].as_array().unwrap();
    let allowed = |group: &str, resource: &str, verb: &str| {
        rules.iter().any(|r| {
            r["apiGroups"].as_array().unwrap().contains(&json!(group))
                && r["resources"]
                    .as_array()
                    .unwrap()
                    .contains(&json!(resource))
                && r["verbs"].as_array().unwrap().contains(&json!(verb))
        })
    };
    for resource in ["pods", "services", "configmaps", "endpoints", "events"] {
        for verb in ["get", "list", "watch"] {
            assert!(allowed("", resource, verb), "{verb} {resource}");
        }
    }
    for resource in ["deployments", "replicasets", "statefulsets"] {
        assert!(allowed("apps", resource, "list"));
    }
    for resource in ["pods/log", "pods/exec", "pods/portforward"] {
        assert!(allowed("", resource, "get") && allowed("", resource, "create"));
    }
    for verb in ["get", "list", "watch", "update", "patch"] {
        assert!(allowed("argoproj.io", "rollouts", verb));
    }
    assert!(!allowed("", "pods", "create"));
    let verbs: Vec<&Json> = rules
        .iter()
        .flat_map(|r| r["verbs"].as_array().unwrap())
        .collect();
    assert!(!verbs.contains(&&json!("delete")) && !verbs.contains(&&json!("deletecollection")));
    assert!(!verbs.contains(&&json!("*")));
}

#[test]
fn quota_overrides_and_invalid_requests() {
    let r = NamespaceRequest::new("a", "staging")
        .with_cpu("2500m")
        .with_memory("16Gi");
    let resources = team_namespace(&r).unwrap();
    assert_eq!(
        by_kind(&resources, "ResourceQuota")["spec"]["hard"]["requests.cpu"],
        "2500m"
    );
    let small = team_namespace(&NamespaceRequest::new("a", "dev").with_cpu("250m")).unwrap();
    let limits = &by_kind(&small, "LimitRange")["spec"]["limits"][0];
    assert_eq!(
        limits["default"]["cpu"], "250m",
        "a default above max is refused"
    );
    assert_eq!(limits["defaultRequest"]["cpu"], "100m");
    assert_eq!(limits["max"]["cpu"], "250m");
    let bad = NamespaceRequest::new("Team_A", "prod")
        .with_cpu("lots")
        .with_memory("8GB");
    let problems = team_namespace(&bad).unwrap_err();
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "teamName",
            "environment",
            "resourceQuota.cpuLimit",
            "resourceQuota.memoryLimit"
        ]
    );
    let long = NamespaceRequest::new("a".repeat(60), "production");
    assert!(team_namespace(&long).unwrap_err()[0].message.contains("63"));
}

#[test]
fn requests_read_from_scaffolder_input_take_the_default_quota() {
    let r: NamespaceRequest =
        serde_json::from_value(json!({"teamName": "t", "environment": "dev"})).unwrap();
    assert_eq!(r.resource_quota.cpu_limit, "4");
    assert_eq!(r.resource_quota.memory_limit, "8Gi");
    let r: NamespaceRequest = serde_json::from_value(
        json!({"teamName": "t", "environment": "dev", "resourceQuota": {"cpuLimit": "8"}}),
    )
    .unwrap();
    assert_eq!(r.resource_quota.cpu_limit, "8");
    assert_eq!(r.resource_quota.memory_limit, "8Gi");
}
