"""Type stubs of the native module (checked against it by mypy.stubtest in CI)."""

from typing import Optional, final

__all__ = [
    "BackendError",
    "EntityRef",
    "InvalidRefError",
    "OpaError",
    "TemplateError",
    "parse_entity_ref",
    "stringify_entity_ref",
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
