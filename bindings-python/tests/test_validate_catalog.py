import pytest

import opa_platform as opa

VALID = """apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
spec:
  type: service
  lifecycle: production
  owner: team-a
"""

GROUP = """apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
"""


def test_validate_gives_verdicts_and_positions():
    bad = VALID.replace("name: payments-api", 'name: "bad name!"')
    results = opa.validate(VALID + "---\n" + bad)
    assert [r.document for r in results] == [0, 1]
    assert results[0].valid and results[0].errors == []
    assert results[0].ref == "component:default/payments-api"
    [err] = results[1].errors
    assert (err.code, err.path, err.line, err.column) == ("invalid-name", "metadata.name", 13, 9)
    assert not results[1].valid


def test_validate_problems_are_data():
    [doc] = opa.validate("a: [1, 2\n")
    assert not doc.valid and doc.errors[0].code == "yaml-syntax"
    unknown = VALID.replace("kind: Component", "kind: Widget")
    assert opa.validate(unknown)[0].errors[0].code == "unknown-kind"
    assert opa.validate(unknown, allow_unknown_kinds=True)[0].valid


def test_catalog_relations_and_checks(tmp_path):
    catalog = opa.Catalog()
    catalog.add_text(GROUP, "group.yaml")
    (tmp_path / "catalog-info.yaml").write_text(VALID)
    catalog.add_path(tmp_path)
    assert len(catalog.entities()) == 2
    assert catalog.entity("Component:default/Payments-API")["metadata"]["name"] == "payments-api"
    assert catalog.entity("component:default/none") is None
    [rel] = catalog.relations("component:default/payments-api")
    assert (rel.type, rel.target_ref) == ("ownedBy", "group:default/team-a")
    check = catalog.check()
    assert check.dangling == [] and check.duplicates == []


def test_catalog_reports_dangling_and_duplicates():
    catalog = opa.Catalog()
    catalog.add_text(VALID, "a.yaml")
    catalog.add_text(VALID, "b.yaml")
    check = catalog.check()
    [d] = check.dangling
    assert (d.source, d.field, d.target) == ("component:default/payments-api", "spec.owner", "group:default/team-a")
    [dup] = check.duplicates
    assert dup.ref == "component:default/payments-api"
    assert [loc.split(":")[0] for loc in dup.locations] == ["a.yaml", "b.yaml"]


def test_catalog_add_path_missing_raises(tmp_path):
    with pytest.raises(opa.OpaError) as info:
        opa.Catalog().add_path(tmp_path / "missing")
    assert info.value.code == "io"


def test_render_template_string():
    out = opa.render_template_string("name: ${{ values.name | upper }}\n{{ kept }}\n", {"name": "svc"})
    assert out == "name: SVC\n{{ kept }}\n"
    with pytest.raises(opa.TemplateError) as info:
        opa.render_template_string("${{ values.x | nosuchfilter }}", {})
    assert info.value.code.startswith("template")
