"""OPA-rs for Python: the Backstage catalog model, templates and the platform engine.

Problems in user input come back as data; failures of a call raise :class:`OpaError` (a
``ValueError``) or one of its subclasses, each with a stable ``code``.
"""

from ._native import (
    BackendError,
    Catalog,
    CatalogCheck,
    DanglingRef,
    DuplicateRef,
    EntityError,
    EntityRef,
    EntityResult,
    InvalidRefError,
    OpaError,
    Relation,
    TemplateError,
    apply_policies,
    backstage_to_port,
    parse_entity_ref,
    render_composition,
    render_template_string,
    stringify_entity_ref,
    team_namespace,
    validate,
    validate_port_entities,
)

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
