import pytest

import opa_platform as opa

POLICY = """apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: add-quota}
spec:
  rules:
  - name: quota
    match:
      any:
      - resources: {kinds: [Namespace], names: ["team-*"]}
    generate:
      apiVersion: v1
      kind: ResourceQuota
      name: default
      namespace: "{{request.object.metadata.name}}"
      generateExisting: true
      data:
        spec: {hard: {limits.cpu: "4"}}
"""


def test_apply_policies_generates_for_matching_resources():
    namespaces = "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n"
    r = opa.apply_policies([POLICY], [namespaces], username="alice")
    assert r["valid"] is True
    assert [(x["rule"], x["resource"]["name"], x["status"], x["generateExisting"]) for x in r["results"]] == [
        ("quota", "team-a", "pass", True)
    ]
    quota = r["generated"][0]
    assert quota["kind"] == "ResourceQuota"
    assert quota["metadata"]["namespace"] == "team-a"
    assert quota["spec"]["hard"]["limits.cpu"] == "4"


def test_apply_policies_returns_problems_as_data():
    r = opa.apply_policies(["kind: ClusterPolicy\napiVersion: kyverno.io/v1\nmetadata: {name: p}\nspec: {}\n"], ["a: ["])
    assert r["valid"] is False
    assert [(p["source"], p["code"]) for p in r["problems"]] == [("policy", "missing-field"), ("resource", "yaml-syntax")]


def test_team_namespace():
    r = opa.team_namespace("payments", "staging", memory_limit="16Gi")
    assert r["valid"] is True
    assert r["namespace"] == "payments-staging"
    quota = next(x for x in r["resources"] if x["kind"] == "ResourceQuota")
    assert quota["spec"]["hard"] == {
        "requests.cpu": "4",
        "requests.memory": "16Gi",
        "limits.cpu": "4",
        "limits.memory": "16Gi",
    }
    bad = opa.team_namespace("payments", "prod")
    assert bad["valid"] is False
    assert [p["path"] for p in bad["problems"]] == ["environment"]


def test_port_validation_and_mapping():
    blueprint = '{"identifier": "service", "title": "Service", "schema": {"properties": {"language": {"type": "string"}}, "required": ["language"]}}'
    r = opa.validate_port_entities([blueprint], ['{"identifier": "s", "blueprint": "service"}'])
    assert r["valid"] is False
    assert [(e["code"], e["path"]) for e in r["entities"][0]["errors"]] == [("missing-field", "properties.language")]
    port = opa.backstage_to_port(
        {"apiVersion": "backstage.io/v1alpha1", "kind": "API", "metadata": {"name": "orders"}, "spec": {"owner": "user:bob"}}
    )
    assert port["blueprint"] == "API"
    assert port["relations"] == {"owningUser": "bob"}
    with pytest.raises(opa.OpaError) as e:
        opa.backstage_to_port({"kind": "Location", "metadata": {"name": "x"}})
    assert e.value.code == "invalid"
