//! Templating with Backstage's semantics: operators, statements, filters, `render_value`,
//! `render_file` and limits. Expected outputs are what nunjucks 3.2.4 configured as Backstage's
//! SecureTemplater prints (the differential test in `conformance/nunjucks` checks many more).

use opa_core::scaffolder::templating::{
    FileRenderOptions, RenderLimits, TemplateEngine, TemplateError,
};
use serde_json::{Value, json};

fn ctx() -> Value {
    json!({
        "parameters": {
            "name": "My-Service",
            "owner": "group:default/team-a",
            "count": 3,
            "ratio": 2.5,
            "enabled": true,
            "disabled": false,
            "empty": "",
            "nothing": null,
            "tags": ["web", "api", "java"],
            "list": [3, 1, 2],
            "emptyList": [],
            "repoUrl": "github.com?repo=backstage&owner=backstage",
            "gitlabUrl": "gitlab.example.com?owner=group%2Fsub&repo=my+repo",
            "obj": {"b": 2, "a": 1},
            "people": [{"name": "ann", "age": 30}, {"name": "bob", "age": 25}],
            "text": "  hello world  ",
            "sentence": "the quick brown fox jumps over the lazy dog"
        },
        "steps": {"fetch-base": {"output": {"targetPath": "./app"}}},
        "user": {"ref": "user:default/jane", "entity": {"metadata": {"name": "jane"}}}
    })
}

fn render(template: &str) -> String {
    TemplateEngine::default()
        .render_str(template, &ctx())
        .unwrap_or_else(|e| panic!("{template}: {e}"))
}

fn render_err(template: &str) -> TemplateError {
    TemplateEngine::default()
        .render_str(template, &ctx())
        .expect_err(template)
}

#[track_caller]
fn check(cases: &[(&str, &str)]) {
    for (template, expected) in cases {
        assert_eq!(render(template), *expected, "template: {template}");
    }
}

#[test]
fn expressions_need_the_dollar_and_plain_braces_pass_through() {
    check(&[
        ("${{ parameters.name }}", "My-Service"),
        ("{{ parameters.name }}", "{{ parameters.name }}"),
        ("a ${{ parameters.count }} b", "a 3 b"),
        ("${{ steps['fetch-base'].output.targetPath }}", "./app"),
        ("${{ user.entity.metadata.name }}", "jane"),
        ("no tags at all", "no tags at all"),
        ("", ""),
    ]);
}

#[test]
fn undefined_and_null_render_empty() {
    check(&[
        ("[${{ parameters.missing }}]", "[]"),
        ("[${{ parameters.missing.deeper.still }}]", "[]"),
        ("[${{ parameters.nothing }}]", "[]"),
        ("[${{ nope }}]", "[]"),
    ]);
}

#[test]
fn values_print_as_javascript_prints_them() {
    check(&[
        ("${{ parameters.tags }}", "web,api,java"),
        ("${{ parameters.obj }}", "[object Object]"),
        ("${{ parameters.enabled }}", "true"),
        ("${{ 6 / 2 }}", "3"),
        ("${{ 7 / 2 }}", "3.5"),
        ("${{ 0.1 + 0.2 }}", "0.30000000000000004"),
        ("${{ parameters.ratio }}", "2.5"),
    ]);
}

#[test]
fn comparison_operators() {
    check(&[
        ("${{ parameters.count === 3 }}", "true"),
        ("${{ parameters.count === '3' }}", "false"),
        ("${{ parameters.count == '3' }}", "true"),
        ("${{ parameters.count !== 3 }}", "false"),
        ("${{ parameters.count != '3' }}", "false"),
        ("${{ parameters.count !== '3' }}", "true"),
        ("${{ parameters.count < 4 }}", "true"),
        ("${{ parameters.count > 4 }}", "false"),
        ("${{ parameters.count <= 3 }}", "true"),
        ("${{ parameters.count >= 4 }}", "false"),
        ("${{ 'b' > 'a' }}", "true"),
        ("${{ parameters.nothing == parameters.missing }}", "true"),
        ("${{ parameters.nothing === parameters.missing }}", "false"),
    ]);
}

#[test]
fn logic_operators_return_operands() {
    check(&[
        (
            "${{ parameters.enabled and parameters.name }}",
            "My-Service",
        ),
        ("${{ parameters.disabled and parameters.name }}", "false"),
        ("${{ parameters.empty or 'fallback' }}", "fallback"),
        ("${{ parameters.name or 'fallback' }}", "My-Service"),
        ("${{ not parameters.enabled }}", "false"),
        ("${{ not parameters.emptyList }}", "false"),
        ("${{ 'api' in parameters.tags }}", "true"),
        ("${{ 'go' in parameters.tags }}", "false"),
        ("${{ 'go' not in parameters.tags }}", "true"),
        ("${{ 'Serv' in parameters.name }}", "true"),
        ("${{ 'a' in parameters.obj }}", "true"),
    ]);
}

#[test]
fn arithmetic_and_concatenation() {
    check(&[
        ("${{ parameters.count + 1 }}", "4"),
        ("${{ parameters.name + '-repo' }}", "My-Service-repo"),
        ("${{ parameters.count - 5 }}", "-2"),
        ("${{ parameters.count * 2 }}", "6"),
        ("${{ 7 // 2 }}", "3"),
        ("${{ -7 // 2 }}", "-4"),
        ("${{ 7 % 3 }}", "1"),
        ("${{ -7 % 3 }}", "-1"),
        ("${{ 2 ** 10 }}", "1024"),
        (
            "${{ parameters.name ~ '-' ~ parameters.count }}",
            "My-Service-3",
        ),
        ("${{ 'a' ~ parameters.missing }}", "aundefined"),
        ("${{ -parameters.count }}", "-3"),
        ("${{ (1 + 2) * 3 }}", "9"),
    ]);
}

#[test]
fn operators_follow_the_javascript_nunjucks_emits() {
    // nunjucks emits operators without parentheses, so JavaScript's precedence decides.
    check(&[
        ("${{ 'a' + 1 - 1 }}", "NaN"),
        ("${{ 2 * 5 % 3 }}", "1"),
        ("${{ 'a' ~ 1 + 2 }}", "a12"),
        ("${{ not parameters.name == 'x' }}", "false"),
        ("${{ parameters.count == 3 < 4 }}", "false"),
        ("${{ 7 // 2 % 2 }}", "1"),
        ("${{ - +3 }}", "-3"),
    ]);
    assert_eq!(render_err("${{ - - 3 }}").code(), "template-syntax");
}

#[test]
fn inline_if() {
    check(&[
        ("${{ 'yes' if parameters.enabled else 'no' }}", "yes"),
        ("${{ 'yes' if parameters.disabled else 'no' }}", "no"),
        ("[${{ 'yes' if parameters.disabled }}]", "[]"),
        ("${{ 'yes' if parameters.emptyList else 'no' }}", "yes"),
    ]);
}

#[test]
fn if_elif_else() {
    let t = "{% if parameters.count > 5 %}big{% elif parameters.count > 2 %}medium{% else %}small{% endif %}";
    check(&[
        (t, "medium"),
        ("{% if parameters.missing %}x{% else %}y{% endif %}", "y"),
        ("{% if parameters.emptyList %}truthy{% endif %}", "truthy"),
        (
            "{% if parameters.disabled %}a{% elseif parameters.enabled %}b{% endif %}",
            "b",
        ),
    ]);
}

#[test]
fn for_loops_with_loop_variables() {
    check(&[
        (
            "{% for t in parameters.tags %}${{ loop.index }}:${{ t }}{% if not loop.last %},{% endif %}{% endfor %}",
            "1:web,2:api,3:java",
        ),
        (
            "{% for t in parameters.tags %}${{ loop.index0 }}${{ loop.revindex }}${{ loop.revindex0 }}${{ loop.first }}${{ loop.length }};{% endfor %}",
            "032true3;121false3;210false3;",
        ),
        (
            "{% for k, v in parameters.obj %}${{ k }}=${{ v }};{% endfor %}",
            "b=2;a=1;",
        ),
        (
            "{% for x in parameters.emptyList %}x{% else %}none{% endfor %}",
            "none",
        ),
        (
            "{% for x in parameters.missing %}x{% else %}none{% endfor %}",
            "none",
        ),
        (
            "{% for a, b in [[1, 2], [3, 4]] %}${{ a + b }} {% endfor %}",
            "3 7 ",
        ),
        ("{% for i in range(3) %}${{ i }}{% endfor %}", "012"),
        ("{% for i in range(1, 10, 3) %}${{ i }}{% endfor %}", "147"),
        (
            "{% for p in parameters.people %}${{ p.name }}${{ p.age }} {% endfor %}",
            "ann30 bob25 ",
        ),
    ]);
}

#[test]
fn set_writes_to_the_enclosing_variable() {
    check(&[
        ("{% set x = parameters.count * 2 %}${{ x }}", "6"),
        ("{% set a, b = 'same' %}${{ a }}${{ b }}", "samesame"),
        (
            "{% set block %}hi ${{ parameters.name }}{% endset %}[${{ block }}]",
            "[hi My-Service]",
        ),
        (
            "{% set total = 0 %}{% for n in parameters.list %}{% set total = total + n %}{% endfor %}${{ total }}",
            "6",
        ),
        (
            "{% for n in [1] %}{% set inner = 5 %}{% endfor %}[${{ inner }}]",
            "[]",
        ),
    ]);
}

#[test]
fn raw_comments_and_whitespace_control() {
    check(&[
        (
            "{% raw %}${{ not rendered }}{% endraw %}",
            "${{ not rendered }}",
        ),
        ("{% verbatim %}{% if %}{% endverbatim %}", "{% if %}"),
        ("a{# a comment #}b", "ab"),
        ("a  {%- if true %} b {% endif -%}  c", "a b c"),
        ("x\n  ${{- parameters.count -}}  \ny", "x3y"),
        ("a {#- c -#} b", "ab"),
        ("{% if true %}\nline\n{% endif %}\n", "\nline\n\n"),
    ]);
}

#[test]
fn trim_and_lstrip_blocks_for_files() {
    let engine = TemplateEngine::default();
    let options = FileRenderOptions {
        trim_blocks: true,
        lstrip_blocks: true,
        ..Default::default()
    };
    let out = engine
        .render_file(
            "start\n  {% if values.on %}\n  yes\n  {% endif %}\nend\n",
            &json!({"values": {"on": true}}),
            &options,
        )
        .unwrap();
    assert_eq!(out, "start\n  yes\nend\n");
}

#[test]
fn macros_switch_and_filter_blocks() {
    check(&[
        (
            "{% macro greet(who, greeting='hello') %}${{ greeting }} ${{ who }}{% endmacro %}${{ greet('ann') }}/${{ greet('bob', greeting='hi') }}",
            "hello ann/hi bob",
        ),
        (
            "{% switch parameters.count %}{% case 1 %}one{% case 3 %}three{% default %}other{% endswitch %}",
            "three",
        ),
        (
            "{% filter upper %}shout ${{ parameters.name }}{% endfilter %}",
            "SHOUT MY-SERVICE",
        ),
        (
            "{% filter replace('a', 'o') %}banana{% endfilter %}",
            "bonono",
        ),
    ]);
}

#[test]
fn javascript_methods_on_strings_and_arrays() {
    check(&[
        ("${{ parameters.name.length }}", "10"),
        ("${{ parameters.tags.length }}", "3"),
        ("${{ parameters.name.split('-')[0] }}", "My"),
        ("${{ parameters.name.toLowerCase() }}", "my-service"),
        ("${{ parameters.name.replace('-', '_') }}", "My_Service"),
        ("${{ parameters.name.startsWith('My') }}", "true"),
        ("${{ parameters.tags.join('|') }}", "web|api|java"),
        ("${{ parameters.tags[1] }}", "api"),
        ("${{ parameters.name[0] }}", "M"),
    ]);
}

#[test]
fn nunjucks_string_filters() {
    check(&[
        ("${{ parameters.name | lower }}", "my-service"),
        ("${{ parameters.name | upper }}", "MY-SERVICE"),
        ("${{ 'hello WORLD' | capitalize }}", "Hello world"),
        ("${{ 'hello big world' | title }}", "Hello Big World"),
        ("[${{ parameters.text | trim }}]", "[hello world]"),
        ("${{ parameters.name | replace('-', '') }}", "MyService"),
        ("${{ 'aaa' | replace('a', 'b', 2) }}", "bba"),
        ("${{ 'abc' | replace('', '-') }}", "-a-b-c-"),
        ("${{ 'a-b-c' | replace(r/-/g, '+') }}", "a+b+c"),
        ("[${{ 'ab' | center(6) }}]", "[  ab  ]"),
        ("[${{ 'abc' | center(6) }}]", "[ abc  ]"),
        (
            "${{ parameters.sentence | truncate(20) }}",
            "the quick brown fox...",
        ),
        (
            "${{ parameters.sentence | truncate(9, true, '!') }}",
            "the quick!",
        ),
        ("${{ 'a b' | urlencode }}", "a%20b"),
        ("${{ parameters.obj | urlencode }}", "b=2&a=1"),
        (
            "${{ '<a href=\"x\">' | escape }}",
            "&lt;a href=&quot;x&quot;&gt;",
        ),
        ("${{ 'one two  three' | wordcount }}", "3"),
        ("${{ 'a\nb' | indent(2, true) }}", "  a\n  b"),
        ("${{ '<p>hi  <b>there</b></p>' | striptags }}", "hi there"),
        ("${{ 'abc' | reverse }}", "cba"),
        ("${{ 'a\nb' | nl2br }}", "a<br />\nb"),
        (
            "${{ 'see www.x.org or me@x.com' | urlize }}",
            "see <a href=\"http://www.x.org\">www.x.org</a> or <a href=\"mailto:me@x.com\">me@x.com</a>",
        ),
    ]);
}

#[test]
fn nunjucks_default_filter_and_its_boolean_form() {
    check(&[
        ("${{ parameters.missing | default('d') }}", "d"),
        ("[${{ parameters.nothing | default('d') }}]", "[]"),
        ("[${{ parameters.empty | default('d') }}]", "[]"),
        ("${{ parameters.empty | default('d', true) }}", "d"),
        ("${{ parameters.disabled | default('d', true) }}", "d"),
        ("${{ parameters.name | d('d') }}", "My-Service"),
        ("${{ parameters.missing | default(0, true) }}", "0"),
    ]);
}

#[test]
fn nunjucks_list_filters() {
    check(&[
        ("${{ parameters.tags | join(', ') }}", "web, api, java"),
        ("${{ parameters.tags | join }}", "webapijava"),
        ("${{ parameters.people | join(',', 'name') }}", "ann,bob"),
        ("${{ parameters.tags | length }}", "3"),
        ("${{ parameters.obj | length }}", "2"),
        ("${{ parameters.name | length }}", "10"),
        ("${{ parameters.missing | length }}", "0"),
        ("${{ parameters.tags | first }}", "web"),
        ("${{ parameters.tags | last }}", "java"),
        ("${{ parameters.list | sort | join }}", "123"),
        ("${{ parameters.list | sort(true) | join }}", "321"),
        (
            "${{ parameters.people | sort(attribute='age') | join(',', 'name') }}",
            "bob,ann",
        ),
        ("${{ parameters.tags | sort | join(',') }}", "api,java,web"),
        ("${{ parameters.list | reverse | join }}", "213"),
        (
            "${{ [1, 2, 3, 4, 5] | batch(2) | dump }}",
            "[[1,2],[3,4],[5]]",
        ),
        ("${{ [1, 2, 3] | batch(2, 0) | dump }}", "[[1,2],[3]]"),
        (
            "${{ [1, 2, 3] | batch(2, '-') | dump }}",
            "[[1,2],[3,\"-\"]]",
        ),
        ("${{ 'abc' | list | dump }}", "[\"a\",\"b\",\"c\"]"),
        (
            "${{ parameters.obj | list | dump }}",
            "[{\"key\":\"b\",\"value\":2},{\"key\":\"a\",\"value\":1}]",
        ),
        ("${{ parameters.list | sum }}", "6"),
        ("${{ parameters.people | sum('age') }}", "55"),
        ("${{ [1, 2, 3, 4] | slice(2) | dump }}", "[[1,2],[3,4]]"),
        ("${{ [0, 1, 2, 3] | select('odd') | join }}", "13"),
        ("${{ [0, 1, 2, 3] | reject('odd') | join }}", "02"),
        (
            "${{ [{'a': 1}, {'a': 0}] | selectattr('a') | length }}",
            "1",
        ),
        (
            "${{ [{'a': 1}, {'a': 0}] | rejectattr('a') | length }}",
            "1",
        ),
        (
            "${{ parameters.people | groupby('age') | dump }}",
            "{\"25\":[{\"name\":\"bob\",\"age\":25}],\"30\":[{\"name\":\"ann\",\"age\":30}]}",
        ),
        (
            "${{ parameters.obj | dictsort | dump }}",
            "[[\"a\",1],[\"b\",2]]",
        ),
    ]);
}

#[test]
fn nunjucks_number_filters() {
    check(&[
        ("${{ 2.5 | round }}", "3"),
        ("${{ -2.5 | round }}", "-2"),
        ("${{ 3.14159 | round(2) }}", "3.14"),
        ("${{ 3.7 | round(0, 'floor') }}", "3"),
        ("${{ 3.2 | round(0, 'ceil') }}", "4"),
        ("${{ -3 | abs }}", "3"),
        ("${{ '42abc' | int }}", "42"),
        ("${{ 'x' | int(7) }}", "7"),
        ("${{ 'ff' | int(base=16) }}", "255"),
        ("${{ 3.9 | int }}", "3"),
        ("${{ '3.5' | float }}", "3.5"),
        ("${{ 'x' | float(1.5) }}", "1.5"),
        ("${{ 5 | string }}", "5"),
        ("${{ parameters.tags | string }}", "web,api,java"),
    ]);
}

#[test]
fn dump_matches_json_stringify() {
    check(&[
        (
            "${{ parameters.tags | dump }}",
            "[\"web\",\"api\",\"java\"]",
        ),
        ("${{ parameters.obj | dump }}", "{\"b\":2,\"a\":1}"),
        (
            "${{ parameters.obj | dump(2) }}",
            "{\n  \"b\": 2,\n  \"a\": 1\n}",
        ),
        ("${{ parameters.name | dump }}", "\"My-Service\""),
        ("[${{ parameters.missing | dump }}]", "[]"),
        ("${{ parameters.nothing | dump }}", "null"),
        ("${{ 'a\"b\\nc' | dump }}", "\"a\\\"b\\nc\""),
        ("${{ {a: parameters.missing, b: 1} | dump }}", "{\"b\":1}"),
        ("${{ [parameters.missing] | dump }}", "[null]"),
    ]);
}

#[test]
fn is_tests() {
    check(&[
        ("${{ parameters.name is defined }}", "true"),
        ("${{ parameters.missing is defined }}", "false"),
        ("${{ parameters.missing is undefined }}", "true"),
        ("${{ parameters.nothing is none }}", "true"),
        ("${{ parameters.nothing is null }}", "true"),
        ("${{ parameters.count is odd }}", "true"),
        ("${{ parameters.count is even }}", "false"),
        ("${{ parameters.count is divisibleby(3) }}", "true"),
        ("${{ parameters.count is equalto(3) }}", "true"),
        ("${{ parameters.count is not equalto(3) }}", "false"),
        ("${{ parameters.name is string }}", "true"),
        ("${{ parameters.count is number }}", "true"),
        ("${{ parameters.obj is mapping }}", "true"),
        ("${{ parameters.tags is iterable }}", "true"),
        ("${{ 'abc' is lower }}", "true"),
        ("${{ parameters.count is gt(2) }}", "true"),
    ]);
}

#[test]
fn backstage_filters_give_the_outputs_of_backstage_examples() {
    check(&[
        (
            "${{ parameters.repoUrl | parseRepoUrl | dump }}",
            r#"{"host":"github.com","owner":"backstage","repo":"backstage"}"#,
        ),
        (
            "${{ (parameters.repoUrl | parseRepoUrl).repo }}",
            "backstage",
        ),
        (
            "${{ (parameters.repoUrl | parseRepoUrl)['owner'] }}",
            "backstage",
        ),
        (
            "${{ parameters.repoUrl | projectSlug }}",
            "backstage/backstage",
        ),
        (
            "${{ parameters.gitlabUrl | parseRepoUrl | dump }}",
            r#"{"host":"gitlab.example.com","owner":"group/sub","repo":"my repo"}"#,
        ),
        (
            "${{ 'group:techdocs' | parseEntityRef | dump }}",
            r#"{"kind":"group","namespace":"default","name":"techdocs"}"#,
        ),
        (
            r#"${{ 'techdocs' | parseEntityRef({ defaultKind:"group", defaultNamespace:"another-namespace" }) | dump }}"#,
            r#"{"kind":"group","namespace":"another-namespace","name":"techdocs"}"#,
        ),
        (
            "${{ parameters.owner | parseEntityRef | pick('name') }}",
            "team-a",
        ),
        (
            "${{ parameters.owner | parseEntityRef | pick('namespace') }}",
            "default",
        ),
        ("${{ parameters.people | pick('[1].name') }}", "bob"),
    ]);
    // A reference without a kind and no default kind is an error, as in Backstage.
    assert_eq!(
        render_err("${{ 'techdocs' | parseEntityRef }}").code(),
        "template-render"
    );
    // So is a repository URL missing its owner.
    assert!(
        render_err("${{ 'github.com?repo=x' | parseRepoUrl }}")
            .to_string()
            .contains("missing owner")
    );
}

#[test]
fn configured_integrations_reject_unknown_hosts() {
    let engine = TemplateEngine::default().with_integrations([("git.corp", "gitlab")]);
    let ctx = json!({});
    assert_eq!(
        engine
            .render_str("${{ 'git.corp?project=42' | parseRepoUrl | dump }}", &ctx)
            .unwrap(),
        r#"{"host":"git.corp","project":"42"}"#
    );
    assert!(
        engine
            .render_str("${{ 'other.host?owner=a&repo=b' | parseRepoUrl }}", &ctx)
            .unwrap_err()
            .to_string()
            .contains("No matching integration configuration for host other.host")
    );
}

#[test]
fn errors_carry_codes_and_positions() {
    match render_err("line one\n  ${{ parameters.name | nosuchfilter }}") {
        TemplateError::Render { line, message, .. } => {
            assert_eq!(line, 2);
            assert!(
                message.contains("filter not found: nosuchfilter"),
                "{message}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    match render_err("ok\n{% if %}") {
        e @ TemplateError::Syntax { line: 2, .. } => assert_eq!(e.code(), "template-syntax"),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(render_err("${{ parameters.name ").code(), "template-syntax");
    assert_eq!(render_err("{% for x in y %}").code(), "template-syntax");
    assert_eq!(render_err("${{ nofunc() }}").code(), "template-render");
    assert_eq!(render_err("stray #} comment end").code(), "template-syntax");
    assert_eq!(
        render_err("${{ parameters.name | lower(").code(),
        "template-syntax"
    );
}

#[test]
fn runaway_templates_stop_with_limit_exceeded() {
    let engine = TemplateEngine::new(RenderLimits {
        fuel: 100_000,
        ..RenderLimits::default()
    });
    let ctx = json!({});
    for template in [
        "{% for i in range(100000000) %}x{% endfor %}",
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}${{ a }}{% endfor %}{% endfor %}{% endfor %}",
        "{% set s = 'xxxxxxxxxx' %}{% for i in range(100) %}{% set s = s ~ s %}{% endfor %}${{ s | length }}",
        "{% macro f(n) %}${{ f(n + 1) }}{% endmacro %}${{ f(0) }}",
        "${{ 'x' | center(100000000000) }}",
    ] {
        let err = engine.render_str(template, &ctx).expect_err(template);
        assert_eq!(err.code(), "limit-exceeded", "{template}: {err}");
    }
    // Arrays that share their elements grow exponentially when printed or dumped; values
    // wrapped in literals again and again nest without bound.
    let small_output = TemplateEngine::new(RenderLimits {
        max_output_bytes: 1 << 20,
        ..RenderLimits::default()
    });
    let doubling = "{% set x = [1] %}{% for i in range(60) %}{% set x = [x, x] %}{% endfor %}";
    for template in [
        format!("{doubling}${{{{ x }}}}"),
        format!("{doubling}${{{{ x | dump }}}}"),
        format!("{doubling}${{{{ x | parseEntityRef }}}}"),
        "{% set x = 1 %}{% for i in range(100000) %}{% set x = [x] %}{% endfor %}${{ x | length }}"
            .to_string(),
        "{% set x = 1 %}{% for i in range(100000) %}{% set x = {a: x} %}{% endfor %}${{ x | dump }}"
            .to_string(),
    ] {
        let err = small_output.render_str(&template, &ctx).expect_err(&template);
        assert_eq!(err.code(), "limit-exceeded", "{template}: {err}");
    }
    let deep = format!("${{{{ {}1{} }}}}", "(".repeat(500), ")".repeat(500));
    assert_eq!(
        engine.render_str(&deep, &ctx).unwrap_err().code(),
        "limit-exceeded"
    );
}

#[test]
fn render_value_keeps_types_and_drops_empty_values() {
    let engine = TemplateEngine::default();
    let input = json!({
        "name": "${{ parameters.name }}",
        "count": "${{ parameters.count }}",
        "enabled": "${{ parameters.enabled }}",
        "tags": "${{ parameters.tags }}",
        "obj": "${{ parameters.obj }}",
        "repo": "${{ parameters.repoUrl | parseRepoUrl }}",
        "text": "name: ${{ parameters.name }}",
        "missing": "${{ parameters.missing }}",
        "emptyString": "${{ parameters.empty }}",
        "literalEmpty": "",
        "number": 5,
        "nested": {"list": ["${{ parameters.count }}", "${{ parameters.missing }}", "x"]},
        "ifBlock": "{% if parameters.enabled %}true{% endif %}",
        "braces": "{{ untouched }}",
        "broken": "${{ parameters.name | nosuchfilter }}",
        "multiline": "${{\n parameters.count\n}}"
    });
    let out = engine.render_value(&input, &ctx()).unwrap();
    assert_eq!(
        out,
        json!({
            "name": "My-Service",
            "count": 3,
            "enabled": true,
            "tags": ["web", "api", "java"],
            "obj": {"b": 2, "a": 1},
            "repo": {"host": "github.com", "owner": "backstage", "repo": "backstage"},
            "text": "name: My-Service",
            "emptyString": "",
            "number": 5,
            "nested": {"list": [3, null, "x"]},
            "ifBlock": true,
            "braces": "{{ untouched }}",
            "broken": "${{ parameters.name | nosuchfilter }}",
            "multiline": 3
        })
    );
}

#[test]
fn render_value_stops_runaway_templates() {
    let engine = TemplateEngine::new(RenderLimits {
        fuel: 10_000,
        ..RenderLimits::default()
    });
    let err = engine
        .render_value(&json!({"x": "${{ range(100000) | length }}"}), &json!({}))
        .unwrap_err();
    assert_eq!(err.code(), "limit-exceeded");
}

#[test]
fn render_file_keeps_the_trailing_newline() {
    let engine = TemplateEngine::default();
    let ctx = json!({"values": {"name": "svc", "ports": [80, 443]}});
    let text = "name: ${{ values.name }}\nports:\n{%- for p in values.ports %}\n  - ${{ p }}\n{%- endfor %}\n";
    assert_eq!(
        engine
            .render_file(text, &ctx, &FileRenderOptions::default())
            .unwrap(),
        "name: svc\nports:\n  - 80\n  - 443\n"
    );
    assert_eq!(
        engine
            .render_file("plain\n\n", &ctx, &FileRenderOptions::default())
            .unwrap(),
        "plain\n\n"
    );
}

#[test]
fn cookiecutter_compat_uses_plain_braces() {
    let engine = TemplateEngine::default();
    let options = FileRenderOptions {
        cookiecutter_compat: true,
        ..Default::default()
    };
    let ctx = json!({"cookiecutter": {"name": "svc", "debug": true, "items": [1, 2, 3]}});
    let out = engine
        .render_file(
            "{{ cookiecutter.name | upper }} {{ cookiecutter.debug == True }} {{ cookiecutter.name | jsonify }} {{ cookiecutter.items[1:] | join(',') }} ${{ x }}\n",
            &ctx,
            &options,
        )
        .unwrap();
    assert_eq!(out, "SVC true \"svc\" 2,3 $\n");
    // A `values` context works too.
    let out = engine
        .render_file(
            "{{ cookiecutter.name }}",
            &json!({"values": {"name": "v"}}),
            &options,
        )
        .unwrap();
    assert_eq!(out, "v");
}

#[test]
fn engine_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<TemplateEngine>();
}
