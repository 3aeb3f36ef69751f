"""run_template / run_template_async: the runner of `opa template run`, with Python actions."""

import asyncio
import os
import threading

import pytest

import opa_platform as opa

SECRET = "s3cr3t-value-42"


def template(steps: str, output: str = "{}", parameters: str = "[]") -> str:
    return f"""apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: py-test
spec:
  owner: group:default/platform
  type: service
  parameters: {parameters}
  steps:
{steps}
  output: {output}
"""


CHAINED = template(
    """    - id: make
      name: Make a greeting
      action: py:greet
      input:
        who: ${{ parameters.name }}
    - id: use
      name: Use it
      action: py:shout
      input:
        text: ${{ steps.make.output.greeting }}
        count: ${{ steps.make.output.count }}
""",
    output="{shouted: '${{ steps.use.output.text }}', count: '${{ steps.make.output.count }}'}",
    parameters="[{properties: {name: {type: string}}, required: [name]}]",
)


def greet(ctx):
    ctx.logger.info(f"greeting {ctx.input['who']}")
    ctx.output("count", 2)
    return {"greeting": f"hello {ctx.input['who']}"}


def shout(ctx):
    return {"text": ctx.input["text"].upper() * ctx.input["count"]}


def test_sync_actions_outputs_flow_into_later_steps():
    r = opa.run_template(CHAINED, {"name": "ada"}, actions={"py:greet": greet, "py:shout": shout})
    assert isinstance(r, opa.TaskResult)
    # A value that is one expression keeps its type, as in Backstage.
    assert r.output == {"shouted": "HELLO ADAHELLO ADA", "count": 2}
    assert [s["id"] for s in r.steps] == ["make", "use"]
    assert [s["status"] for s in r.steps] == ["completed", "completed"]
    lines = [(e.step_id, e.level, e.message) for e in r.log]
    assert ("make", "info", "greeting ada") in lines
    assert all(isinstance(e, opa.LogEntry) for e in r.log)
    assert r.workspace is None


def test_async_actions_run_with_the_sync_variant_on_a_private_loop():
    seen = {}

    async def agreet(ctx):
        await asyncio.sleep(0)
        seen["loop"] = asyncio.get_running_loop()
        return {"greeting": f"hi {ctx.input['who']}", "count": 1}

    r = opa.run_template(CHAINED, {"name": "bo"}, actions={"py:greet": agreet, "py:shout": shout})
    assert r.output["shouted"] == "HI BO"
    assert seen["loop"].is_closed()


def test_run_template_async_runs_coroutines_on_the_callers_loop():
    seen = {}

    async def agreet(ctx):
        seen["loop"] = asyncio.get_running_loop()
        seen["thread"] = threading.get_ident()
        await asyncio.sleep(0.01)
        ctx.logger.warning("careful")
        return {"greeting": "yo", "count": 3}

    async def main():
        seen["caller"] = asyncio.get_running_loop()
        seen["caller_thread"] = threading.get_ident()
        return await opa.run_template_async(
            CHAINED, {"name": "x"}, actions={"py:greet": agreet, "py:shout": shout}
        )

    r = asyncio.run(main())
    assert r.output["shouted"] == "YOYOYO"
    assert seen["loop"] is seen["caller"]
    assert seen["thread"] == seen["caller_thread"]
    assert ("make", "warn", "careful") in [(e.step_id, e.level, e.message) for e in r.log]


def test_run_template_async_lets_the_loop_run_meanwhile():
    async def slow(ctx):
        await asyncio.sleep(0.05)
        return None

    ticks = []

    async def ticker():
        for _ in range(3):
            ticks.append(1)
            await asyncio.sleep(0.005)

    async def main():
        t = asyncio.ensure_future(ticker())
        r = await opa.run_template_async(
            template("    - {id: a, name: A, action: 'py:slow'}\n"), {}, actions={"py:slow": slow}
        )
        await t
        return r

    r = asyncio.run(main())
    assert r.steps[0]["status"] == "completed"
    assert len(ticks) == 3


def test_run_template_async_needs_a_running_loop():
    with pytest.raises(RuntimeError):
        opa.run_template_async(template("    - {id: a, name: A, action: 'debug:log'}\n"), {})


def test_a_raising_action_fails_its_step_with_template_error():
    def boom(ctx):
        raise KeyError("no such thing")

    with pytest.raises(opa.TemplateError) as info:
        opa.run_template(
            CHAINED, {"name": "ada"}, actions={"py:greet": greet, "py:shout": boom}
        )
    e = info.value
    assert isinstance(e, opa.OpaError) and isinstance(e, ValueError)
    assert e.code == "action-failed"
    assert e.step_id == "use"
    assert e.action == "py:shout"
    assert "step \"use\"" in str(e) and "KeyError" in str(e) and "no such thing" in str(e)
    assert any(line.step_id == "make" for line in e.log)


def test_a_raising_async_action_in_the_async_variant():
    async def boom(ctx):
        await asyncio.sleep(0)
        raise RuntimeError("async boom")

    async def main():
        await opa.run_template_async(
            CHAINED, {"name": "ada"}, actions={"py:greet": boom, "py:shout": shout}
        )

    with pytest.raises(opa.TemplateError) as info:
        asyncio.run(main())
    assert info.value.step_id == "make"
    assert "RuntimeError: async boom" in str(info.value)


def test_an_action_returning_a_non_dict_fails_the_step():
    with pytest.raises(opa.TemplateError) as info:
        opa.run_template(
            template("    - {id: a, name: A, action: 'py:bad'}\n"), {}, actions={"py:bad": lambda ctx: 42}
        )
    assert info.value.step_id == "a"
    assert "expected a dict of outputs or None" in str(info.value)


def test_actions_must_be_callable():
    with pytest.raises(TypeError):
        opa.run_template(template("    - {id: a, name: A, action: 'x'}\n"), {}, actions={"x": 3})


def test_unknown_action_and_invalid_values():
    with pytest.raises(opa.TemplateError) as info:
        opa.run_template(template("    - {id: a, name: A, action: 'nope:nope'}\n"), {})
    assert info.value.code == "unknown-action"
    assert info.value.step_id == "a"
    with pytest.raises(opa.TemplateError) as info:
        opa.run_template(CHAINED, {}, actions={"py:greet": greet, "py:shout": shout})
    assert info.value.code == "invalid-values"
    assert info.value.problems and info.value.problems[0]["parameter"] == "name"


def test_invalid_template_yaml_has_positions():
    with pytest.raises(opa.TemplateError) as info:
        opa.run_template("apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nspec: [\n", {})
    e = info.value
    assert e.code == "invalid-template"
    assert e.line >= 1 and e.column >= 1
    assert e.errors and {"code", "path", "message", "line", "column"} <= set(e.errors[0])


def test_secrets_reach_actions_but_never_the_log_errors_or_reprs():
    captured = {}

    def use_secret(ctx):
        captured["secret"] = ctx.secrets["token"]
        captured["input"] = ctx.input["auth"]
        captured["repr"] = repr(ctx)
        ctx.logger.info(f"using {ctx.secrets['token']}")
        ctx.logger.error(f"token={ctx.input['auth']}")
        return {"echo": ctx.secrets["token"]}

    steps = """    - id: s
      name: S
      action: py:secret
      input:
        auth: ${{ secrets.token }}
"""
    r = opa.run_template(
        template(steps, output="{echo: '${{ steps.s.output.echo }}'}"),
        {},
        secrets={"token": SECRET},
        actions={"py:secret": use_secret},
    )
    assert captured["secret"] == SECRET and captured["input"] == SECRET
    assert SECRET not in captured["repr"] and "token" in captured["repr"]
    texts = [repr(r), repr(r.output), repr(r.steps)] + [repr(e) for e in r.log]
    assert not [t for t in texts if SECRET in t]
    assert "***" in r.output["echo"]

    def leak(ctx):
        raise ValueError(f"bad token {ctx.secrets['token']}")

    with pytest.raises(opa.TemplateError) as info:
        opa.run_template(template(steps), {}, secrets={"token": SECRET}, actions={"py:secret": leak})
    e = info.value
    assert SECRET not in str(e) and SECRET not in repr(e)
    assert not [line for line in e.log if SECRET in line.message]


def test_dry_run_skips_actions_that_do_not_support_it():
    calls = []

    def record(ctx):
        calls.append(ctx.dry_run)
        return {"ok": True}

    def checked(ctx):
        calls.append(("checked", ctx.dry_run))
        return {"ok": True}

    checked.supports_dry_run = True  # type: ignore[attr-defined]
    record.output_schema = {"type": "object", "properties": {"ok": {"type": "boolean"}}}  # type: ignore[attr-defined]
    steps = """    - {id: a, name: A, action: 'py:record'}
    - {id: b, name: B, action: 'py:checked'}
"""
    r = opa.run_template(template(steps), {}, dry_run=True, actions={"py:record": record, "py:checked": checked})
    assert calls == [("checked", True)]
    assert [s["status"] for s in r.steps] == ["dry-run-skipped", "completed"]
    r = opa.run_template(template(steps), {}, actions={"py:record": record, "py:checked": checked})
    assert calls[1:] == [False, ("checked", False)]


def test_input_schema_is_checked_before_the_action_runs():
    def act(ctx):
        raise AssertionError("must not run")

    act.input_schema = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}  # type: ignore[attr-defined]
    with pytest.raises(opa.TemplateError) as info:
        opa.run_template(template("    - {id: a, name: A, action: 'py:act', input: {}}\n"), {}, actions={"py:act": act})
    assert info.value.code == "invalid-input"


def test_fetch_template_reads_relative_urls_from_base_dir(tmp_path):
    skeleton = tmp_path / "tpl" / "skeleton"
    skeleton.mkdir(parents=True)
    (skeleton / "README.md").write_text("# ${{ values.name }}\n")
    steps = """    - id: fetch
      name: Fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
    - id: read
      name: Read
      action: py:read
"""

    def read(ctx):
        with open(os.path.join(ctx.workspace_path, "README.md")) as f:
            return {"readme": f.read()}

    out = tmp_path / "ws"
    r = opa.run_template(
        template(steps, output="{readme: '${{ steps.read.output.readme }}'}"),
        {"name": "svc"},
        base_dir=tmp_path / "tpl",
        workspace=str(out),
        user="user:default/ada",
        actions={"py:read": read},
    )
    assert r.output["readme"] == "# svc\n"
    assert r.files == ["README.md"]
    assert r.workspace is not None and os.path.samefile(r.workspace, out)
    assert (out / "README.md").read_text() == "# svc\n"
    # Without base_dir a relative URL cannot be served.
    with pytest.raises(opa.TemplateError) as info:
        opa.run_template(template(steps), {"name": "svc"}, actions={"py:read": read})
    assert info.value.step_id == "fetch"


def test_context_carries_user_and_workspace():
    seen = {}

    def look(ctx):
        seen.update(user=ctx.user, ws=ctx.workspace_path, step=ctx.step_id, task=ctx.task_id, input=ctx.input)
        return None

    r = opa.run_template(
        template("    - {id: look, name: L, action: 'py:look', input: {a: [1, {b: null}]}}\n"),
        {},
        user="user:default/ada",
        actions={"py:look": look},
    )
    assert seen["user"] == {"ref": "user:default/ada"}
    assert os.path.isabs(seen["ws"]) and seen["step"] == "look" and seen["task"] == r.task_id
    assert seen["input"] == {"a": [1, {"b": None}]}


def test_config_file_is_used_and_errors_are_structured(tmp_path):
    bad = tmp_path / "opa.yaml"
    bad.write_text("integrations: [\n")
    with pytest.raises(opa.OpaError) as info:
        opa.run_template(template("    - {id: a, name: A, action: 'debug:log'}\n"), {}, config=bad)
    assert info.value.code == "invalid-config"
    assert info.value.line >= 1
    good = tmp_path / "good.yaml"
    good.write_text("integrations:\n  - host: git.example.com\n    kind: local\n    root: ./git\n")
    steps = """    - id: p
      name: P
      action: debug:log
      input:
        message: ${{ 'git.example.com?owner=o&repo=r' | parseRepoUrl | dump }}
"""
    r = opa.run_template(template(steps), {}, config=good)
    assert any('"repo":"r"' in e.message.replace(" ", "") for e in r.log), [e.message for e in r.log]


def test_sync_actions_run_on_a_worker_thread_while_the_caller_waits_without_the_gil():
    seen = {}

    def where(ctx):
        # The caller is blocked inside run_template: this thread can only take the GIL because
        # run_template released it.
        seen["thread"] = threading.get_ident()
        assert isinstance(ctx, opa.ActionContext) and isinstance(ctx.logger, opa.ActionLogger)
        for log in (ctx.logger.debug, ctx.logger.info, ctx.logger.warning, ctx.logger.warn, ctx.logger.error):
            log(f"via {log.__name__}")
        return None

    r = opa.run_template(template("    - {id: w, name: W, action: 'py:where'}\n"), {}, actions={"py:where": where})
    assert seen["thread"] != threading.get_ident()
    levels = [(e.level, e.message) for e in r.log if e.step_id == "w" and e.message.startswith("via")]
    assert levels == [
        ("debug", "via debug"),
        ("info", "via info"),
        ("warn", "via warning"),
        ("warn", "via warn"),
        ("error", "via error"),
    ]


def test_each_collects_outputs_of_a_python_action():
    steps = """    - id: many
      name: Many
      action: py:double
      each: [1, 2, 3]
      input:
        n: ${{ each.value }}
"""
    r = opa.run_template(
        template(steps, output="{all: '${{ steps.many.output.n }}'}"),
        {},
        actions={"py:double": lambda ctx: {"n": ctx.input["n"] * 2}},
    )
    assert r.output["all"] == [2, 4, 6]


def test_the_public_names_are_the_native_ones():
    import opa_platform._native as native

    assert set(opa.__all__) == set(native.__all__)
    for name in opa.__all__:
        assert getattr(opa, name) is getattr(native, name)


def test_actions_may_run_templates_themselves():
    one = template("    - {id: a, name: A, action: 'py:a'}\n", output="{v: '${{ steps.a.output.v }}'}")

    def inner(ctx):
        return {"v": "inner"}

    def outer(ctx):
        return {"v": "outer+" + opa.run_template(one, {}, actions={"py:a": inner}).output["v"]}

    async def aouter(ctx):
        r = await opa.run_template_async(one, {}, actions={"py:a": inner})
        return {"v": "aouter+" + r.output["v"]}

    assert opa.run_template(one, {}, actions={"py:a": outer}).output == {"v": "outer+inner"}

    async def main():
        return await opa.run_template_async(one, {}, actions={"py:a": aouter})

    assert asyncio.run(main()).output == {"v": "aouter+inner"}
