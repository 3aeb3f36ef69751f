"""Type stubs of the native module (checked against it by mypy.stubtest in CI)."""

import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Optional, Union, final

__all__ = [
    "ActionContext",
    "ActionLogger",
    "BackendError",
    "Catalog",
    "CatalogCheck",
    "DanglingRef",
    "DuplicateRef",
    "EntityError",
    "EntityRef",
    "EntityResult",
    "InvalidRefError",
    "LogEntry",
    "OpaError",
    "PlatformError",
    "Relation",
    "TaskResult",
    "TemplateError",
    "apply_policies",
    "audit_records",
    "backstage_to_port",
    "bootstrap_local",
    "generate_pipeline",
    "operate_app",
    "parse_entity_ref",
    "render_composition",
    "render_template_string",
    "run_template",
    "run_template_async",
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
    """A template could not be parsed, rendered or run.

    Raised by :func:`run_template` with ``step_id`` and ``action`` (of the failing step, else
    ``None``), ``problems`` (for ``invalid-values``), ``effects`` (what was already done) and
    ``log``; for ``invalid-template`` with ``errors``, ``path``, ``line`` and ``column``.
    """

class BackendError(OpaError):
    """A backend (version control, cloud, audit log) failed."""

class PlatformError(OpaError):
    """The platform model could not be built or resolved (an entity missing, of the wrong kind, malformed or not provisioned), or an app's pipeline could not be generated.

    ``entity_ref`` names the entity concerned when there is one.
    """

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

_StrPath = Union[str, "os.PathLike[str]"]

@final
class ActionLogger:
    """The step's logger: every line goes to the task log, secrets redacted."""

    def debug(self, message: str) -> None: ...
    def info(self, message: str) -> None: ...
    def warning(self, message: str) -> None: ...
    def warn(self, message: str) -> None: ...
    def error(self, message: str) -> None: ...

@final
class ActionContext:
    """What a step's callable receives."""

    @property
    def input(self) -> dict[str, Any]: ...
    @property
    def workspace_path(self) -> str: ...
    @property
    def step_id(self) -> str: ...
    @property
    def task_id(self) -> str: ...
    @property
    def dry_run(self) -> bool: ...
    @property
    def logger(self) -> ActionLogger: ...
    @property
    def secrets(self) -> dict[str, str]: ...
    @property
    def user(self) -> dict[str, Any]: ...
    def output(self, name: str, value: Any) -> None: ...

@final
class LogEntry:
    """One line of the task log."""

    @property
    def step_id(self) -> Optional[str]: ...
    @property
    def level(self) -> str: ...
    @property
    def message(self) -> str: ...

@final
class TaskResult:
    """A finished task."""

    @property
    def task_id(self) -> str: ...
    @property
    def output(self) -> dict[str, Any]: ...
    @property
    def steps(self) -> list[dict[str, Any]]: ...
    @property
    def effects(self) -> list[str]: ...
    @property
    def log(self) -> list[LogEntry]: ...
    @property
    def workspace(self) -> Optional[str]: ...
    @property
    def files(self) -> list[str]: ...

_Action = Callable[[ActionContext], Union[Optional[Mapping[str, Any]], Awaitable[Optional[Mapping[str, Any]]]]]

def run_template(
    template_yaml: str,
    values: Optional[Mapping[str, Any]] = None,
    *,
    base_dir: Optional[_StrPath] = None,
    dry_run: bool = False,
    workspace: Optional[_StrPath] = None,
    config: Optional[_StrPath] = None,
    user: Optional[str] = None,
    secrets: Optional[Mapping[str, str]] = None,
    actions: Optional[Mapping[str, _Action]] = None,
) -> TaskResult:
    """Runs a template's steps as ``opa template run`` does; ``actions`` adds Python callables
    (sync or coroutine functions taking an :class:`ActionContext`, returning a dict of outputs or
    ``None``). Coroutine functions run on a private event loop (``asyncio.run``) on a worker thread.
    Raises :class:`TemplateError` (``code``, ``step_id``, ``action``, ``problems``, ``log``)."""
    ...
def run_template_async(
    template_yaml: str,
    values: Optional[Mapping[str, Any]] = None,
    *,
    base_dir: Optional[_StrPath] = None,
    dry_run: bool = False,
    workspace: Optional[_StrPath] = None,
    config: Optional[_StrPath] = None,
    user: Optional[str] = None,
    secrets: Optional[Mapping[str, str]] = None,
    actions: Optional[Mapping[str, _Action]] = None,
) -> Awaitable[TaskResult]:
    """Like :func:`run_template`, awaitable; coroutine-function actions run on the calling loop."""
    ...
def generate_pipeline(
    catalog: Catalog,
    app: str,
    *,
    environments: Optional[Sequence[str]] = None,
    options: Optional[Mapping[str, Any]] = None,
) -> dict[str, Any]:
    """An app's ``.gitlab-ci.yml`` and GitHub workflow: ``{"plan", "files": [{"path", "content"}]}``."""
    ...
def audit_records(
    *,
    config: Optional[_StrPath] = None,
    app: Optional[str] = None,
    env: Optional[str] = None,
    user: Optional[str] = None,
    since: Optional[str] = None,
    until: Optional[str] = None,
    limit: Optional[int] = None,
) -> list[dict[str, Any]]:
    """Audit records of the SQLite audit log ``opa.yaml`` names, oldest first."""
    ...
def operate_app(
    app: str,
    env: str,
    operation: str,
    *,
    user: str,
    provider: Optional[str] = None,
    version: Optional[str] = None,
    variables: Optional[Mapping[str, str]] = None,
    keys: Optional[Sequence[str]] = None,
    catalog: Optional[Catalog] = None,
    config: Optional[_StrPath] = None,
) -> dict[str, Any]:
    """Runs an audited operation on an app on the local cloud; the report's ``status`` is
    ``SUCCESS``, ``REFUSED`` or ``FAILED``."""
    ...
def bootstrap_local(
    account: str,
    region: str,
    env_name: str,
    *,
    prefix: str = "opa",
    github_repo: Optional[str] = None,
    gitlab_host: Optional[str] = None,
    gitlab_project: Optional[str] = None,
    destroy: bool = False,
    force: bool = False,
    apply: bool = False,
    config: Optional[_StrPath] = None,
) -> dict[str, Any]:
    """Plans (``apply=True``: applies) an account bootstrap on the local cloud:
    ``{"plan", "text", "resources"}``."""
    ...
