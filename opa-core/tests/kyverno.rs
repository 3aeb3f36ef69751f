//! Kyverno generate policies applied offline, checked against what Kyverno generates for the same
//! policies and resources (cases modelled on Kyverno's own CLI tests, `test/cli/test-generate`).
//! Kyverno's test runner drops the `generate.kyverno.io/*` labels before comparing; so do these.

use opa_core::kyverno::{self, ApplyInput, ApplyReport, RequestInfo, RuleStatus, UserInfo};
use opa_core::yaml::{Limits, parse_documents};
use serde_json::{Value as Json, json};

fn docs(text: &str) -> Vec<Json> {
    parse_documents(text, &Limits::default())
        .into_iter()
        .filter_map(|d| d.root.map(|r| r.to_json()))
        .collect()
}

fn policies(text: &str) -> Vec<kyverno::Policy> {
    parse_documents(text, &Limits::default())
        .into_iter()
        .filter_map(|d| d.root)
        .map(|r| kyverno::parse_policy(&r).unwrap().unwrap())
        .collect()
}

fn run(policy: &str, resources: &str, existing: &str, request: &RequestInfo) -> ApplyReport {
    let policies = policies(policy);
    let resources = docs(resources);
    let mut cluster = resources.clone();
    cluster.extend(docs(existing));
    kyverno::apply(ApplyInput {
        policies: &policies,
        resources: &resources,
        cluster: &cluster,
        request,
    })
}

/// Kyverno's `FixupGenerateLabels`: keep `app.kubernetes.io/managed-by: kyverno` and every label
/// outside `generate.kyverno.io/`.
fn fixup(mut r: Json) -> Json {
    let labels = r["metadata"]["labels"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut kept: serde_json::Map<String, Json> = labels
        .into_iter()
        .filter(|(k, _)| !k.starts_with("generate.kyverno.io/"))
        .collect();
    kept.insert("app.kubernetes.io/managed-by".into(), json!("kyverno"));
    r["metadata"]["labels"] = Json::Object(kept);
    r
}

fn expected(text: &str) -> Json {
    fixup(docs(text).remove(0))
}

const ADD_QUOTA: &str = r#"
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: add-ns-quota
spec:
  rules:
  - name: generate-resourcequota
    match:
      resources:
        kinds:
        - Namespace
    generate:
      apiVersion: v1
      kind: ResourceQuota
      name: default-resourcequota
      synchronize: true
      namespace: "{{request.object.metadata.name}}"
      data:
        spec:
          hard:
            requests.cpu: '4'
            requests.memory: '16Gi'
            limits.cpu: '4'
            limits.memory: '16Gi'
  - name: generate-limitrange
    match:
      resources:
        kinds:
        - Namespace
    generate:
      apiVersion: v1
      kind: LimitRange
      name: default-limitrange
      synchronize: true
      namespace: "{{request.object.metadata.name}}"
      data:
        spec:
          limits:
          - default:
              cpu: 500m
              memory: 1Gi
            defaultRequest:
              cpu: 200m
              memory: 256Mi
            type: Container
"#;

#[test]
fn add_quota_generates_a_quota_and_a_limit_range_per_namespace() {
    let ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: hello-world-namespace\n";
    let report = run(ADD_QUOTA, ns, "", &RequestInfo::default());
    assert_eq!(report.results.len(), 2);
    let quota = fixup(report.results[0].generated[0].clone());
    assert_eq!(
        quota,
        expected(
            "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: default-resourcequota\n  namespace: hello-world-namespace\nspec:\n  hard:\n    requests.cpu: '4'\n    requests.memory: '16Gi'\n    limits.cpu: '4'\n    limits.memory: '16Gi'\n"
        )
    );
    let limits = fixup(report.results[1].generated[0].clone());
    assert_eq!(
        limits,
        expected(
            "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: default-limitrange\n  namespace: hello-world-namespace\nspec:\n  limits:\n    - default:\n        cpu: 500m\n        memory: 1Gi\n      defaultRequest:\n        cpu: 200m\n        memory: 256Mi\n      type: Container\n"
        )
    );
    let r = &report.results[0];
    assert_eq!(r.status, RuleStatus::Pass);
    assert!(r.synchronize);
    assert!(!r.generate_existing);
    // Kyverno's own labels name the policy, the rule and the trigger.
    let labels = &report.results[1].generated[0]["metadata"]["labels"];
    assert_eq!(labels["generate.kyverno.io/policy-name"], "add-ns-quota");
    assert_eq!(
        labels["generate.kyverno.io/rule-name"],
        "generate-limitrange"
    );
    assert_eq!(labels["generate.kyverno.io/trigger-kind"], "Namespace");
    assert_eq!(labels["generate.kyverno.io/trigger-version"], "v1");
}

#[test]
fn a_pod_does_not_trigger_a_namespace_rule() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: default\n";
    assert!(
        run(ADD_QUOTA, pod, "", &RequestInfo::default())
            .results
            .is_empty()
    );
}

const SYNC_SECRETS: &str = r#"
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: sync-secrets
spec:
  generateExisting: true
  rules:
  - name: sync-image-pull-secret
    match:
      resources:
        kinds:
        - Namespace
    generate:
      apiVersion: v1
      kind: Secret
      name: regcred
      namespace: "{{request.object.metadata.name}}"
      synchronize: true
      clone:
        namespace: default
        name: regcred
"#;

const REGCRED: &str = r#"
apiVersion: v1
kind: Secret
metadata:
  name: regcred
  namespace: default
  uid: 0b6f2f2e-1
  resourceVersion: "42"
  creationTimestamp: "2024-01-01T00:00:00Z"
type: Opaque
data:
  password: MWYyZDFlMmU2N2Rm
"#;

#[test]
fn clone_copies_the_source_without_server_fields() {
    let ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: hello-world-namespace\n";
    let report = run(SYNC_SECRETS, ns, REGCRED, &RequestInfo::default());
    let r = &report.results[0];
    assert_eq!(r.status, RuleStatus::Pass, "{}", r.message);
    assert!(r.generate_existing, "taken from spec.generateExisting");
    assert_eq!(
        fixup(r.generated[0].clone()),
        expected(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\n  namespace: hello-world-namespace\ntype: Opaque\ndata:\n  password: MWYyZDFlMmU2N2Rm\n"
        )
    );
    assert_eq!(
        r.generated[0]["metadata"]["labels"]["generate.kyverno.io/source-namespace"],
        "default"
    );
}

#[test]
fn a_missing_clone_source_is_an_error_of_the_rule() {
    let ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n";
    let report = run(SYNC_SECRETS, ns, "", &RequestInfo::default());
    assert_eq!(report.results[0].status, RuleStatus::Error);
    assert!(report.results[0].message.contains("regcred"));
}

#[test]
fn the_default_namespace_does_not_clone_onto_itself() {
    let ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n";
    let report = run(SYNC_SECRETS, ns, REGCRED, &RequestInfo::default());
    assert_eq!(report.results[0].status, RuleStatus::Pass);
    assert!(report.results[0].generated.is_empty());
}

const TEAM_POLICY: &str = r#"
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: team-rbac
spec:
  rules:
  - name: team-rolebinding
    match:
      any:
      - resources:
          kinds: [Namespace]
          selector:
            matchLabels:
              team: "?*"
    exclude:
      any:
      - resources:
          namespaces: ["kube-*", "default"]
    preconditions:
      all:
      - key: "{{ request.operation }}"
        operator: AnyIn
        value: [CREATE, UPDATE]
      - key: "{{ request.object.metadata.labels.env || 'dev' }}"
        operator: NotEquals
        value: sandbox
    generate:
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      name: "{{ request.object.metadata.labels.team }}-developers"
      namespace: "{{ request.object.metadata.name }}"
      data:
        metadata:
          annotations:
            created-by: "{{ request.userInfo.username }}"
            env: "{{ to_upper(request.object.metadata.labels.env || 'dev') }}"
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: developer
        subjects:
        - apiGroup: rbac.authorization.k8s.io
          kind: Group
          name: "team-{{ request.object.metadata.labels.team }}"
"#;

fn ns(name: &str, labels: &str) -> String {
    format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n  labels: {labels}\n")
}

fn alice() -> RequestInfo {
    RequestInfo {
        user_info: UserInfo {
            username: "alice".into(),
            groups: vec!["platform".into()],
            ..Default::default()
        },
        ..Default::default()
    }
}

#[test]
fn wildcards_selectors_exclude_and_variables() {
    let resources = [
        ns("payments-dev", "{team: payments, env: prod}"),
        ns("no-team", "{}"),
        ns("empty-team", "{team: ''}"),
        ns("kube-team", "{team: x}"),
        ns("sandbox", "{team: y, env: sandbox}"),
    ]
    .join("---\n");
    let report = run(TEAM_POLICY, &resources, "", &alice());
    // `?*` needs a non-empty value; kube-* is excluded; the sandbox fails its precondition.
    let outcome: Vec<(String, RuleStatus)> = report
        .results
        .iter()
        .map(|r| (r.resource.name.clone(), r.status))
        .collect();
    assert_eq!(
        outcome,
        [
            ("payments-dev".to_string(), RuleStatus::Pass),
            ("sandbox".to_string(), RuleStatus::Skip)
        ]
    );
    let rb = &report.results[0].generated[0];
    assert_eq!(rb["metadata"]["name"], "payments-developers");
    assert_eq!(rb["metadata"]["namespace"], "payments-dev");
    assert_eq!(rb["metadata"]["annotations"]["created-by"], "alice");
    assert_eq!(rb["metadata"]["annotations"]["env"], "PROD");
    assert_eq!(rb["subjects"][0]["name"], "team-payments");
    assert_eq!(rb["apiVersion"], "rbac.authorization.k8s.io/v1");
}

#[test]
fn update_operation_and_subjects() {
    let policy = r#"
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: p}
spec:
  rules:
  - name: r
    match:
      all:
      - resources: {kinds: [ConfigMap], operations: [CREATE]}
      - subjects: [{kind: Group, name: "plat*"}]
    generate:
      kind: ConfigMap
      apiVersion: v1
      name: "copy-{{request.object.metadata.name}}"
      namespace: "{{request.object.metadata.namespace}}"
      data:
        data: "{{ request.object.data }}"
"#;
    let cm =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: ns1}\ndata: {a: '1'}\n";
    let report = run(policy, cm, "", &alice());
    assert_eq!(report.results.len(), 1);
    assert_eq!(report.results[0].generated[0]["data"], json!({"a": "1"}));
    let update = RequestInfo {
        operation: "UPDATE".into(),
        ..alice()
    };
    assert!(run(policy, cm, "", &update).results.is_empty());
    let bob = RequestInfo {
        user_info: UserInfo {
            username: "bob".into(),
            groups: vec!["dev".into()],
            ..Default::default()
        },
        ..Default::default()
    };
    assert!(run(policy, cm, "", &bob).results.is_empty());
    // Without a requester Kyverno ignores the user parts of a match, which leaves the second
    // `all` filter empty: an empty filter never matches.
    assert!(
        run(policy, cm, "", &RequestInfo::default())
            .results
            .is_empty()
    );
}

#[test]
fn a_missing_field_in_a_variable_is_an_error() {
    let policy = r#"
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: p}
spec:
  rules:
  - name: r
    match: {any: [{resources: {kinds: [Namespace]}}]}
    generate:
      kind: ConfigMap
      apiVersion: v1
      name: cm
      namespace: "{{request.object.metadata.labels.missing}}"
      data: {}
"#;
    let report = run(policy, &ns("a", "{}"), "", &RequestInfo::default());
    assert_eq!(report.results[0].status, RuleStatus::Error);
    assert!(
        report.results[0].message.contains("missing"),
        "{}",
        report.results[0].message
    );
}

#[test]
fn clone_list_context_and_foreach() {
    let policy = r#"
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: p}
spec:
  rules:
  - name: clone-list
    match: {any: [{resources: {kinds: [Namespace]}}]}
    generate:
      namespace: "{{request.object.metadata.name}}"
      synchronize: true
      cloneList:
        namespace: platform
        kinds: [v1/Secret, v1/ConfigMap]
        selector:
          matchLabels: {share: "true"}
  - name: from-config
    match: {any: [{resources: {kinds: [Namespace]}}]}
    context:
    - name: settings
      configMap: {name: settings, namespace: platform}
    - name: prefix
      variable:
        jmesPath: settings.data.prefix
        default: none
    generate:
      apiVersion: v1
      kind: ConfigMap
      name: "{{prefix}}-settings"
      namespace: "{{request.object.metadata.name}}"
      data:
        data:
          tier: "{{ settings.data.tier }}"
  - name: per-port
    match: {any: [{resources: {kinds: [Namespace]}}]}
    generate:
      foreach:
      - list: "request.object.metadata.annotations.ports | split(@, ',')"
        apiVersion: v1
        kind: ConfigMap
        name: "port-{{element}}"
        namespace: "{{request.object.metadata.name}}"
        data:
          data:
            index: "{{elementIndex}}"
"#;
    let existing = r#"
apiVersion: v1
kind: Secret
metadata: {name: s1, namespace: platform, labels: {share: "true"}}
---
apiVersion: v1
kind: Secret
metadata: {name: s2, namespace: platform}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: platform, labels: {share: "true"}}
data: {prefix: acme, tier: gold}
"#;
    let trigger =
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: t\n  annotations: {ports: '80,443'}\n";
    let report = run(policy, trigger, existing, &RequestInfo::default());
    let names: Vec<Vec<String>> = report
        .results
        .iter()
        .map(|r| {
            assert_eq!(r.status, RuleStatus::Pass, "{}: {}", r.rule, r.message);
            r.generated
                .iter()
                .map(|g| kyverno::ResourceRef::of(g).to_string())
                .collect()
        })
        .collect();
    assert_eq!(
        names,
        [
            vec![
                "Secret/t/s1".to_string(),
                "ConfigMap/t/settings".to_string()
            ],
            vec!["ConfigMap/t/acme-settings".to_string()],
            vec![
                "ConfigMap/t/port-80".to_string(),
                "ConfigMap/t/port-443".to_string()
            ],
        ]
    );
    assert_eq!(report.results[1].generated[0]["data"]["tier"], "gold");
    assert_eq!(report.results[2].generated[1]["data"]["index"], json!(1));
}

#[test]
fn a_namespaced_policy_applies_only_in_its_namespace() {
    let policy = r#"
apiVersion: kyverno.io/v1
kind: Policy
metadata: {name: p, namespace: team-a}
spec:
  rules:
  - name: r
    match: {any: [{resources: {kinds: [ConfigMap]}}]}
    generate:
      apiVersion: v1
      kind: Secret
      name: "{{request.object.metadata.name}}-secret"
      namespace: team-a
      data: {stringData: {k: v}}
"#;
    let cms = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: team-a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: y, namespace: team-b}\n";
    let report = run(policy, cms, "", &RequestInfo::default());
    assert_eq!(report.results.len(), 1);
    assert_eq!(
        report.results[0].generated[0]["metadata"]["name"],
        "x-secret"
    );
    assert_eq!(
        report.results[0].generated[0]["metadata"]["labels"]["generate.kyverno.io/policy-namespace"],
        "team-a"
    );
}

#[test]
fn policy_problems_are_diagnostics_with_positions() {
    let text = "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: p\nspec:\n  rules:\n  - name: r\n    match:\n      any:\n      - resources: {kind: [Namespace]}\n    generate:\n      kind: ConfigMap\n      name: x\n";
    let root = parse_documents(text, &Limits::default())
        .remove(0)
        .root
        .unwrap();
    let problems = kyverno::parse_policy(&root).unwrap_err();
    let lines: Vec<(u32, &str)> = problems.iter().map(|p| (p.line, p.path.as_str())).collect();
    assert_eq!(
        lines,
        [(8, "spec.rules.0.match"), (11, "spec.rules.0.generate")]
    );
    assert!(
        problems[0].message.contains("unknown field `kind`"),
        "{}",
        problems[0].message
    );
    assert!(problems[1].message.contains("data, clone and cloneList"));
    // Other kinds are not policies.
    let cm = parse_documents("kind: ConfigMap\n", &Limits::default())
        .remove(0)
        .root
        .unwrap();
    assert!(kyverno::parse_policy(&cm).unwrap().is_none());
}

#[test]
fn texts_in_problems_out_as_data() {
    let broken_policy = "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: p}\nspec:\n  rules:\n  - name: r\n    generate: {kind: ConfigMap, name: x, data: {}}\n";
    let report = kyverno::apply_sources(&kyverno::ApplySources {
        policies: &[ADD_QUOTA, broken_policy],
        resources: &[
            "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n- {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n",
            "a: [\n",
        ],
        existing: &[],
        request: &RequestInfo::default(),
    });
    assert!(!report.valid);
    assert_eq!(
        report.results.len(),
        4,
        "2 rules × 2 namespaces of the List"
    );
    assert_eq!(report.generated.len(), 4);
    let where_: Vec<(&str, usize, &str)> = report
        .problems
        .iter()
        .map(|p| (p.source, p.index, p.diagnostic.code))
        .collect();
    assert_eq!(
        where_,
        [
            ("policy", 1, "missing-field"),
            ("resource", 1, "yaml-syntax")
        ]
    );
}

/// Kyverno's `test/cli/test-generate/create-default-pdb`: a namespaced Policy, and a variable
/// that is a whole object.
#[test]
fn kyverno_cli_case_create_default_pdb() {
    let policy = "apiVersion: kyverno.io/v1\nkind: Policy\nmetadata:\n  name: create-default-pdb\n  namespace: hello-world\nspec:\n  rules:\n  - name: create-default-pdb\n    match:\n      resources:\n        kinds:\n        - Deployment\n    generate:\n      apiVersion: policy/v1\n      kind: PodDisruptionBudget\n      name: \"{{request.object.metadata.name}}-default-pdb\"\n      namespace: \"{{request.object.metadata.namespace}}\"\n      data:\n        spec:\n          minAvailable: 1\n          selector:\n            matchLabels:\n              \"{{request.object.metadata.labels}}\"\n";
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx-deployment\n  namespace: hello-world\n  labels:\n    app: nginx\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: nginx\n";
    let report = run(policy, deployment, "", &RequestInfo::default());
    assert_eq!(
        fixup(report.results[0].generated[0].clone()),
        expected(
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: nginx-deployment-default-pdb\n  namespace: hello-world\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: nginx\n"
        )
    );
}

/// Kyverno's `test/cli/test-generate/variable-target-offline`: the target's apiVersion and kind
/// come from variables.
#[test]
fn kyverno_cli_case_variable_target_offline() {
    let policy = "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: offline-variable-target\nspec:\n  rules:\n  - name: generate-variable-target\n    match:\n      any:\n      - resources:\n          kinds:\n          - Namespace\n    generate:\n      apiVersion: \"{{ request.object.metadata.labels.targetApiVersion }}\"\n      kind: \"{{ request.object.metadata.labels.targetKind }}\"\n      name: generated-config\n      namespace: \"{{ request.object.metadata.name }}\"\n      data:\n        data:\n          authorized: \"true\"\n";
    let ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: offline-author-check\n  labels:\n    targetApiVersion: v1\n    targetKind: ConfigMap\n";
    let report = run(policy, ns, "", &RequestInfo::default());
    assert_eq!(
        fixup(report.results[0].generated[0].clone()),
        expected(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: generated-config\n  namespace: offline-author-check\ndata:\n  authorized: \"true\"\n"
        )
    );
}

/// Kyverno's `test/cli/test-generate/namespaced-reference-name`: a `$( )` reference to another
/// field, resolved before variables.
#[test]
fn kyverno_cli_case_namespaced_reference_name() {
    let policy = "apiVersion: kyverno.io/v1\nkind: Policy\nmetadata:\n  name: namespaced-reference-name\n  namespace: tenant\nspec:\n  rules:\n  - name: generate-configmap\n    match:\n      any:\n      - resources:\n          kinds:\n          - ConfigMap\n          names:\n          - reference-trigger\n    generate:\n      apiVersion: v1\n      kind: ConfigMap\n      name: \"$(./../data/data/target)-generated\"\n      namespace: tenant\n      data:\n        data:\n          target: \"{{request.object.metadata.name}}\"\n";
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: reference-trigger\n  namespace: tenant\n";
    let report = run(policy, cm, "", &RequestInfo::default());
    assert_eq!(
        report.results.len(),
        1,
        "the generated ConfigMap is not a trigger"
    );
    assert_eq!(
        fixup(report.results[0].generated[0].clone()),
        expected(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: reference-trigger-generated\n  namespace: tenant\ndata:\n  target: reference-trigger\n"
        )
    );
}
