"""Type stubs of the native module (checked against it by mypy.stubtest in CI)."""

import os
from typing import Any, Optional, Union, final

__all__ = [
    "BackendError",
    "Catalog",
    "CatalogCheck",
    "DanglingRef",
    "DuplicateRef",
    "EntityError",
    "EntityRef",
    "EntityResult",
    "InvalidRefError",
    "OpaError",
    "Relation",
    "TemplateError",
    "apply_policies",
    "backstage_to_port",
    "parse_entity_ref",
    "render_composition",
    "render_template_string",
    "stringify_entity_ref",
    "team_namespace",
    "validate",
    "validate_port_entities",
]

class OpaError(ValueError):
    """Base of every OPA-rs error. `code` is a stable kebab-case id."""

    code: str

class InvalidRefError(OpaError):
    """An entity reference could not be parsed."""

class TemplateError(OpaError):
    """A template could not be parsed, rendered or run."""

class BackendError(OpaError):
    """A backend (version control, cloud, audit log) failed."""

@final
class EntityRef:
    """A complete entity reference: `kind`, `namespace` and `name`."""

    @property
    def kind(self) -> str: ...
    @property
    def namespace(self) -> str: ...
    @property
    def name(self) -> str: ...
    def __new__(cls, kind: str, name: str, namespace: Optional[str] = None) -> "EntityRef": ...

def parse_entity_ref(
    reference: str,
    default_kind: Optional[str] = None,
    default_namespace: Optional[str] = None,
) -> EntityRef: ...
def stringify_entity_ref(reference: EntityRef) -> str: ...
@final
class EntityError:
    """One problem in an entity."""

    @property
    def code(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...

@final
class EntityResult:
    """The verdict on one document."""

    @property
    def document(self) -> int: ...
    @property
    def ref(self) -> Optional[str]: ...
    @property
    def valid(self) -> bool: ...
    @property
    def errors(self) -> list[EntityError]: ...

def validate(
    text: str,
    file: Optional[str] = None,
    allow_unknown_kinds: bool = False,
    strict: bool = False,
) -> list[EntityResult]: ...
@final
class Relation:
    """A relation of an entity."""

    @property
    def type(self) -> str: ...
    @property
    def target_ref(self) -> str: ...

@final
class DanglingRef:
    """A relation field naming an entity the catalog does not hold."""

    @property
    def source(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def target(self) -> str: ...

@final
class DuplicateRef:
    """An entity reference defined more than once."""

    @property
    def ref(self) -> str: ...
    @property
    def locations(self) -> list[str]: ...

@final
class CatalogCheck:
    """What `Catalog.check()` finds."""

    @property
    def dangling(self) -> list[DanglingRef]: ...
    @property
    def duplicates(self) -> list[DuplicateRef]: ...

@final
class Catalog:
    """A catalog of entities with their relations, loaded from texts and files."""

    def __new__(cls) -> "Catalog": ...
    def add_text(self, text: str, file: Optional[str] = None) -> None: ...
    def add_path(self, path: Union[str, "os.PathLike[str]"]) -> None: ...
    def entities(self) -> list[dict[str, Any]]: ...
    def entity(self, reference: str) -> Optional[dict[str, Any]]: ...
    def relations(self, reference: str) -> list[Relation]: ...
    def check(self) -> CatalogCheck: ...

def render_template_string(text: str, values: dict[str, Any]) -> str: ...

def render_composition(xrd: str, composition: str, resource: str) -> dict[str, Any]:
    """Renders a Crossplane claim with its XRD and Composition (YAML text each).

    Returns ``{"valid", "resources", "problems", "warnings"}``: the composite resource then the
    composed resources, and problems as ``{source, code, path, message, line, column}``.
    """
    ...

def apply_policies(
    policies: list[str],
    resources: list[str],
    *,
    existing: list[str] = ...,
    operation: str = ...,
    username: str = ...,
    groups: list[str] = ...,
    roles: list[str] = ...,
    cluster_roles: list[str] = ...,
) -> dict[str, Any]:
    """Applies Kyverno generate policies (YAML texts) to resources (YAML texts).

    Returns ``{"valid", "results", "generated", "problems"}``: one result per (resource,
    matching generate rule) with ``{policy, rule, resource, status, message, synchronize,
    generateExisting, generated}``, every generated resource, and problems in the texts as
    ``{source, index, code, path, message, line, column}``.
    """
    ...

def team_namespace(
    team_name: str,
    environment: str,
    *,
    cpu_limit: str = ...,
    memory_limit: str = ...,
) -> dict[str, Any]:
    """The resources of a team namespace: ``{"valid", "namespace", "resources", "problems"}``.

    ``cpu_limit`` defaults to ``"4"`` and ``memory_limit`` to ``"8Gi"``; ``operation`` of
    :func:`apply_policies` to ``"CREATE"``.
    """
    ...

def validate_port_entities(blueprints: list[str], entities: list[str]) -> dict[str, Any]:
    """Validates Port (or Backstage) entities against Port blueprints (YAML or JSON texts).

    Returns ``{"valid", "problems", "entities"}``; each entity is ``{index, identifier,
    blueprint, fromBackstage, valid, errors}``.
    """
    ...

def backstage_to_port(entity: dict[str, Any]) -> dict[str, Any]:
    """Maps a Backstage entity to a Port entity; raises ``OpaError`` (code ``invalid``)."""
    ...
