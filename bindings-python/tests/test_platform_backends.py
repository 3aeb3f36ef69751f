"""The platform from Python: pipelines, bootstrap on the local cloud, operations and the audit log."""

import os
from pathlib import Path

import pytest

import opa_platform as opa

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "platform"


def example_catalog() -> opa.Catalog:
    c = opa.Catalog()
    c.add_path(EXAMPLE)
    return c


def test_generate_pipeline_for_an_app_and_its_environments():
    r = opa.generate_pipeline(example_catalog(), "payments-api")
    paths = [f["path"] for f in r["files"]]
    assert paths == [".gitlab-ci.yml", ".github/workflows/deploy.yml"]
    gitlab = r["files"][0]["content"]
    assert "payments-api" in gitlab and "dev" in gitlab and "prod" in gitlab
    stages = [s["envName"] for s in r["plan"]["stages"]]
    assert stages[0] == "dev" and "prod" in stages
    only_dev = opa.generate_pipeline(
        example_catalog(), "component:default/payments-api", environments=["dev"], options={"branch": "trunk"}
    )
    assert [s["envName"] for s in only_dev["plan"]["stages"]] == ["dev"]
    assert "trunk" in only_dev["files"][1]["content"]


def test_generate_pipeline_failures_are_platform_errors():
    with pytest.raises(opa.PlatformError) as info:
        opa.generate_pipeline(example_catalog(), "no-such-app")
    assert info.value.code == "not-found"
    assert info.value.entity_ref == "component:default/no-such-app"
    assert isinstance(info.value, opa.OpaError)
    with pytest.raises(opa.PlatformError) as info:
        opa.generate_pipeline(example_catalog(), "payments-api", environments=["nowhere"])
    assert info.value.code == "not-found"
    with pytest.raises(opa.InvalidRefError):
        opa.generate_pipeline(example_catalog(), "component:ns/")


def site(tmp_path: Path) -> Path:
    config = tmp_path / "opa.yaml"
    config.write_text(f'platform:\n  adminGroup: platform-admins\n  catalog: ["{EXAMPLE}"]\n')
    return config


def test_bootstrap_plan_then_apply_on_the_local_cloud(tmp_path):
    config = site(tmp_path)
    plan = opa.bootstrap_local("111111111111", "us-east-1", "dev", config=config)
    actions = {c["action"] for c in plan["plan"]["changes"]}
    assert actions == {"create"}
    assert {"iam-role", "dynamodb-table", "s3-bucket"} <= {c["resource"] for c in plan["plan"]["changes"]}
    assert plan["resources"] is None and "+ iam-role opa-dev-provisioning-role" in plan["text"]
    applied = opa.bootstrap_local("111111111111", "us-east-1", "dev", apply=True, config=config)
    assert applied["resources"]["auditTable"] == "opa-dev-audit"
    assert (tmp_path / ".opa" / "cloud.json").exists()
    again = opa.bootstrap_local("111111111111", "us-east-1", "dev", config=config)
    assert {c["action"] for c in again["plan"]["changes"]} == {"unchanged"}


def test_operations_are_audited_and_the_audit_log_is_queried(tmp_path):
    config = site(tmp_path)
    assert opa.audit_records(config=config) == []
    opa.bootstrap_local("111111111111", "us-east-1", "dev", apply=True, config=config)
    refused = opa.operate_app("payments-api", "dev", "stop", user="guest-gus", config=config)
    assert refused["status"] == "REFUSED"
    assert refused["outcomes"][0]["provider"] == "dev-use1"
    assert "may not operate this app" in refused["outcomes"][0]["message"]
    # The app was never deployed on this local cloud: the attempt fails, and is audited too.
    secret = "hunter2-not-in-the-audit"
    failed = opa.operate_app(
        "payments-api",
        "dev",
        "set-env",
        user="dev-dana",
        variables={"DB_PASSWORD": secret, "LOG_LEVEL": "debug"},
        catalog=example_catalog(),
        config=config,
    )
    assert failed["status"] in ("FAILED", "SUCCESS")
    records = opa.audit_records(config=config, app="payments-api")
    assert [r["actionName"] for r in records] == ["stop", "set-env"]
    assert records[0]["status"] == "REFUSED" and records[0]["initiatedBy"] == "user:default/guest-gus"
    assert secret not in repr(records)
    assert [r["actionName"] for r in opa.audit_records(config=config, user="guest-gus")] == ["stop"]
    assert opa.audit_records(config=config, since="1h", limit=1)[0]["actionName"] == "set-env"
    assert opa.audit_records(config=config, env="prod") == []
    assert os.path.exists(tmp_path / ".opa" / "audit.db")


def test_operation_input_errors(tmp_path):
    config = site(tmp_path)
    with pytest.raises(opa.OpaError) as info:
        opa.operate_app("payments-api", "dev", "release", user="dev-dana", config=config)
    assert info.value.code == "invalid-input"
    with pytest.raises(opa.OpaError) as info:
        opa.operate_app("payments-api", "dev", "explode", user="dev-dana", config=config)
    assert info.value.code == "invalid-input"
    with pytest.raises(opa.PlatformError) as info:
        opa.operate_app("payments-api", "nowhere", "start", user="dev-dana", config=config)
    assert info.value.code == "not-found"


def test_cloud_aws_is_a_backend_error_in_this_build(tmp_path):
    config = tmp_path / "opa.yaml"
    config.write_text("cloud:\n  kind: aws\n")
    with pytest.raises(opa.BackendError) as info:
        opa.bootstrap_local("111111111111", "us-east-1", "dev", config=config)
    assert info.value.code == "unsupported"
    with pytest.raises(opa.OpaError) as info:
        opa.audit_records(config=config, since="not a time")
    assert info.value.code == "invalid-time"
