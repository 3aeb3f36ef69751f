//! Templating never panics on bad input: thousands of generated templates (fragments of tags,
//! operators, filters, multi-byte text) must each render or fail with a `TemplateError`.

use opa_core::scaffolder::templating::{FileRenderOptions, RenderLimits, TemplateEngine};
use serde_json::json;

const FRAGMENTS: &[&str] = &[
    "${{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{{",
    "-",
    "+",
    "*",
    "/",
    "//",
    "%",
    "**",
    "~",
    "==",
    "===",
    "!=",
    "!==",
    "<",
    ">=",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "|",
    ".",
    "'",
    "\"",
    "\\",
    " ",
    "\n",
    "\t",
    "é",
    "日本",
    "\u{a0}",
    "😀",
    "a",
    "x",
    "values",
    "parameters",
    "0",
    "1",
    "2.5",
    "-1",
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "in",
    "endfor",
    "set",
    "=",
    "raw",
    "endraw",
    "not",
    "and",
    "or",
    "is",
    "defined",
    "none",
    "true",
    "macro",
    "endmacro",
    "range",
    "lower",
    "replace",
    "default",
    "dump",
    "join",
    "center",
    "truncate",
    "indent",
    "batch",
    "int",
    "round",
    "parseRepoUrl",
    "parseEntityRef",
    "pick",
    "r/",
    "loop",
    "caller",
    "switch",
    "case",
    "filter",
    "endfilter",
    "length",
    "split",
    "slice",
    "[1:]",
    "$",
];

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn generated_templates_render_or_fail_cleanly() {
    let engine = TemplateEngine::new(RenderLimits {
        fuel: 20_000,
        max_output_bytes: 1 << 20,
        ..RenderLimits::default()
    });
    let ctx =
        json!({"values": {"x": [1, "é", {"a": null}], "s": "日本語"}, "parameters": {"x": 1}});
    let compat = FileRenderOptions {
        cookiecutter_compat: true,
        trim_blocks: true,
        lstrip_blocks: true,
    };
    // OPA_TEMPLATING_FUZZ=N runs N templates (and seeds the generator with N) for a longer search.
    let iterations: usize = std::env::var("OPA_TEMPLATING_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let mut rng = Lcg(iterations as u64);
    let mut rendered = 0;
    for _ in 0..iterations {
        let n = 1 + rng.next() % 14;
        let mut template = String::new();
        // Start inside an expression half of the time, so the code paths get exercised.
        if rng.next() % 2 == 0 {
            template.push_str("${{ ");
        }
        for _ in 0..n {
            template.push_str(FRAGMENTS[rng.next() % FRAGMENTS.len()]);
        }
        if rng.next() % 2 == 0 {
            template.push_str(" }}");
        }
        if engine.render_str(&template, &ctx).is_ok() {
            rendered += 1;
        }
        let _ = engine.render_file(&template, &ctx, &compat);
        let _ = engine.render_value(&json!({"k": template}), &ctx);
    }
    // Some generated templates are valid; most are not. Neither may panic.
    assert!(rendered > 100, "only {rendered} templates rendered");
}

#[test]
fn multi_byte_text_next_to_delimiters_is_handled() {
    let engine = TemplateEngine::default();
    let ctx = json!({"é": 1});
    for template in [
        "${{ é }}",
        "${{ 1+é }}",
        "${{ a==é }}",
        "${{ 'x'|é }}",
        "${{ 日本 }}",
        "{% if é %}y{% endif %}",
        "é${{ 1 }}é",
        "${{ '0é' | int }}",
        "${{ 'a' | truncate(-5) }}",
        "${{ '' | truncate(-5) }}",
        "${{ 'a' | center(1/0) }}",
        "${{ 'a\\nb' | indent(1/0) }}",
    ] {
        let _ = engine.render_str(template, &ctx);
    }
    assert_eq!(engine.render_str("${{ é }}", &ctx).unwrap(), "1");
}
