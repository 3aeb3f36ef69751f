#!/usr/bin/env python3
"""Lint every catalog file under a directory with opa_platform, as a nightly job would.

    python examples/python/lint_catalog.py DIR [--allow-unknown-kinds] [--strict] [--relations]

Validates each ``*.yaml`` / ``*.yml`` file below DIR exactly as ``opa validate`` does, prints a
table of problems (``file:line:column``, code, message) and exits 1 when there is any, 0 when
there is none (2 when DIR is not a directory). With ``--relations`` it also loads every file into
one catalog and reports relations to entities the catalog does not hold (``dangling-ref``) and
entities defined twice (``duplicate-ref``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NamedTuple

import opa_platform as opa


class Problem(NamedTuple):
    location: str
    code: str
    message: str


def catalog_files(root: Path) -> list[Path]:
    """Every YAML file below ``root``, skipping hidden and dependency folders, sorted."""
    skip = {"node_modules", "target", ".git", ".venv"}
    return sorted(
        p
        for p in root.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and p.is_file()
        and not any(part in skip or part.startswith(".") for part in p.relative_to(root).parts[:-1])
    )


def lint_file(path: Path, shown: str, allow_unknown_kinds: bool, strict: bool) -> list[Problem]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return [Problem(f"{shown}:0:0", "io", str(e))]
    problems = []
    for result in opa.validate(text, file=shown, allow_unknown_kinds=allow_unknown_kinds, strict=strict):
        for error in result.errors:
            problems.append(Problem(f"{shown}:{error.line}:{error.column}", error.code, error.message))
    return problems


def lint_relations(root: Path, files: list[Path]) -> list[Problem]:
    catalog = opa.Catalog()
    for path in files:
        catalog.add_path(path)
    check = catalog.check()
    problems = [
        Problem(d.source, "dangling-ref", f"{d.field} names {d.target}, which is not in the catalog")
        for d in check.dangling
    ]
    problems += [
        Problem(d.locations[0] if d.locations else d.ref, "duplicate-ref", f"{d.ref} is defined {len(d.locations)} times: {', '.join(d.locations)}")
        for d in check.duplicates
    ]
    return problems


def print_table(problems: list[Problem]) -> None:
    headers = Problem("LOCATION", "CODE", "MESSAGE")
    width_location = max(len(p.location) for p in [headers, *problems])
    width_code = max(len(p.code) for p in [headers, *problems])
    for p in [headers, *problems]:
        print(f"{p.location:<{width_location}}  {p.code:<{width_code}}  {p.message}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--allow-unknown-kinds", action="store_true", help="accept kinds Backstage does not know")
    parser.add_argument("--strict", action="store_true", help="also fail on warnings")
    parser.add_argument("--relations", action="store_true", help="also check relations across files")
    args = parser.parse_args(argv)
    root: Path = args.directory
    if not root.is_dir():
        print(f"error: {root} is not a directory", file=sys.stderr)
        return 2
    files = catalog_files(root)
    problems: list[Problem] = []
    for path in files:
        problems += lint_file(path, str(path.relative_to(root)), args.allow_unknown_kinds, args.strict)
    if args.relations:
        problems += lint_relations(root, files)
    if problems:
        print_table(problems)
        print(f"\n{len(problems)} problem(s) in {len(files)} file(s)")
        return 1
    print(f"{len(files)} file(s), no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
