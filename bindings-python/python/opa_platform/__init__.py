"""OPA-rs for Python: the Backstage catalog model, templates and the platform engine.

Problems in user input come back as data; failures of a call raise :class:`OpaError` (a
``ValueError``) or one of its subclasses, each with a stable ``code``.
"""

from ._native import (
    BackendError,
    EntityRef,
    InvalidRefError,
    OpaError,
    TemplateError,
    parse_entity_ref,
    stringify_entity_ref,
)

__all__ = [
    "BackendError",
    "EntityRef",
    "InvalidRefError",
    "OpaError",
    "TemplateError",
    "parse_entity_ref",
    "stringify_entity_ref",
]
