"""examples/python: the automation scripts CI runs."""

import runpy
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
lint = runpy.run_path(str(EXAMPLES / "python" / "lint_catalog.py"))


def test_lint_catalog_passes_the_example_catalog(capsys):
    assert lint["main"]([str(EXAMPLES / "catalog"), "--relations"]) == 0
    assert "no problems" in capsys.readouterr().out


def test_lint_catalog_reports_a_table_and_fails(capsys):
    assert lint["main"]([str(EXAMPLES / "python" / "bad-catalog")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["LOCATION", "CODE", "MESSAGE"]
    assert out[1].startswith("team/catalog-info.yaml:5:9") and "invalid-name" in out[1]
    assert any("missing-field" in line for line in out)


def test_lint_catalog_reports_dangling_refs(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: a}\n"
        "spec: {type: service, lifecycle: production, owner: group:default/nobody}\n"
    )
    assert lint["main"]([str(tmp_path)]) == 0
    assert lint["main"]([str(tmp_path), "--relations"]) == 1
    assert "dangling-ref" in capsys.readouterr().out


def test_lint_catalog_needs_a_directory(tmp_path):
    assert lint["main"]([str(tmp_path / "missing")]) == 2
