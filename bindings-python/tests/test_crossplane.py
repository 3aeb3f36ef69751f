from pathlib import Path

import opa_platform as opa

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "crossplane"


def example(name: str) -> str:
    return (EXAMPLES / name).read_text()


def test_render_composition_renders_the_example_claim():
    r = opa.render_composition(example("xrd.yaml"), example("composition.yaml"), example("claim.yaml"))
    assert r["valid"] is True
    assert r["problems"] == []
    kinds = [res["kind"] for res in r["resources"]]
    assert kinds == ["XDatabase", "Instance", "SecurityGroupRule"]
    instance = r["resources"][1]
    assert instance["metadata"]["generateName"] == "orders-"
    assert instance["spec"]["forProvider"]["instanceClass"] == "db.t3.large"
    assert instance["spec"]["forProvider"]["allocatedStorage"] == 20


def test_render_composition_returns_problems_as_data():
    claim = "apiVersion: platform.example.org/v1alpha1\nkind: Database\nmetadata: {name: x}\nspec:\n  parameters: {size: huge}\n"
    r = opa.render_composition(example("xrd.yaml"), example("composition.yaml"), claim)
    assert r["valid"] is False
    assert r["resources"] == []
    assert [(p["code"], p["path"], p["line"]) for p in r["problems"]] == [
        ("missing-field", "spec.parameters.team", 5),
        ("invalid-value", "spec.parameters.size", 5),
    ]
