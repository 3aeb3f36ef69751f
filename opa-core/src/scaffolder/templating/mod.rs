//! Templating with Backstage's semantics: `${{ … }}` expressions and `{% … %}` statements as
//! Backstage's `SecureTemplater` renders them (nunjucks with `variableStart: '${{'`,
//! `variableEnd: '}}'`, `autoescape: false`).
//!
//! Templates are lexed and parsed with nunjucks' grammar and evaluated with JavaScript's value
//! rules (numbers are doubles, `[]` is true, `==` converts types, `undefined` prints nothing),
//! because that is what nunjucks compiles them to. `{{ }}` without `$` is plain text. Every
//! render runs under [`RenderLimits`], so a runaway template stops with `limit-exceeded`.
//!
//! ```
//! use opa_core::scaffolder::templating::{RenderLimits, TemplateEngine};
//! use serde_json::json;
//!
//! let engine = TemplateEngine::new(RenderLimits::default());
//! let ctx = json!({"parameters": {"name": "My-App", "tags": ["a", "b"]}});
//! assert_eq!(
//!     engine.render_str("${{ parameters.name | lower }}-{{ kept }}", &ctx).unwrap(),
//!     "my-app-{{ kept }}"
//! );
//! // A string that is exactly one expression keeps the expression's type.
//! let input = json!({"tags": "${{ parameters.tags }}", "gone": "${{ parameters.missing }}"});
//! assert_eq!(engine.render_value(&input, &ctx).unwrap(), json!({"tags": ["a", "b"]}));
//! ```

mod ast;
mod backstage;
mod filters;
mod input;
mod is_tests;
mod json;
mod jsorder;
mod lexer;
mod methods;
mod parser;
mod render;
mod text;
mod value;

use std::rc::Rc;
use std::sync::Arc;

use lexer::{Lexer, Tags};
use value::{Object, Value};

/// Resource limits for one render; every render call starts with the full budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderLimits {
    /// Evaluation steps (each statement, expression and loop iteration costs at least one).
    pub fuel: u64,
    /// Loop iterations over the whole render, nested loops and `range()` included.
    pub max_loop_iterations: u64,
    /// Largest output (or intermediate string) in bytes.
    pub max_output_bytes: usize,
    /// Deepest nesting of expressions and blocks, and of macro calls.
    pub max_depth: usize,
}

impl Default for RenderLimits {
    /// Generous for real templates (a 3 KB skeleton file uses a few hundred units of fuel),
    /// small enough that a runaway template stops within about a second.
    fn default() -> Self {
        RenderLimits {
            fuel: 20_000_000,
            max_loop_iterations: 1_000_000,
            max_output_bytes: 64 * 1024 * 1024,
            max_depth: 48,
        }
    }
}

/// How a `fetch:template` skeleton file is rendered (the action's inputs of the same names).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileRenderOptions {
    /// `cookiecutterCompat`: `{{ }}` delimiters, jinja compatibility (`True`, `None`, Python
    /// string methods, slices), the `jsonify` filter, and `cookiecutter.x` for `values.x`.
    pub cookiecutter_compat: bool,
    /// `trimBlocks`: drop the first newline after a `{% %}` tag.
    pub trim_blocks: bool,
    /// `lstripBlocks`: drop spaces and tabs before a `{% %}` tag at the start of a line.
    pub lstrip_blocks: bool,
}

/// A template could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// The template is not valid nunjucks.
    #[error("template syntax error at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong (nunjucks' wording).
        message: String,
    },
    /// Rendering failed (an unknown filter, calling something that is not a function, a
    /// filter given the wrong type…).
    #[error("template render error at line {line}, column {column}: {message}")]
    Render {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What failed.
        message: String,
    },
    /// A [`RenderLimits`] limit was reached: the template runs away or is too large.
    #[error("template exceeded its {limit} limit ({max})")]
    LimitExceeded {
        /// Which limit: `fuel`, `loop iterations`, `output size`, `nesting depth`, `call depth`.
        limit: &'static str,
        /// The limit's value.
        max: u64,
    },
}

impl TemplateError {
    /// A stable kebab-case code: `template-syntax`, `template-render` or `limit-exceeded`.
    pub fn code(&self) -> &'static str {
        match self {
            TemplateError::Syntax { .. } => "template-syntax",
            TemplateError::Render { .. } => "template-render",
            TemplateError::LimitExceeded { .. } => "limit-exceeded",
        }
    }
}

/// What an engine is configured with; shared by every render.
#[derive(Debug)]
pub(crate) struct EngineConfig {
    pub limits: RenderLimits,
    /// Host → version-control kind, for `parseRepoUrl` and `projectSlug`.
    pub host_kinds: Vec<(String, String)>,
    /// Whether a host missing from `host_kinds` is an error (as in Backstage) or taken as the
    /// embedded local backend, which needs `owner` and `repo`.
    pub strict_hosts: bool,
}

/// Renders Backstage templates. Built once, cheap to clone and share between threads.
#[derive(Debug, Clone)]
pub struct TemplateEngine {
    config: Arc<EngineConfig>,
}

impl Default for TemplateEngine {
    fn default() -> Self {
        TemplateEngine::new(RenderLimits::default())
    }
}

/// Syntax options of one render.
#[derive(Clone, Copy)]
struct Syntax {
    tags: Tags,
    trim_blocks: bool,
    lstrip_blocks: bool,
    compat: bool,
}

const BACKSTAGE: Syntax = Syntax {
    tags: Tags { var_start: "${{" },
    trim_blocks: false,
    lstrip_blocks: false,
    compat: false,
};

impl TemplateEngine {
    /// An engine with these limits. Without [`with_integrations`](Self::with_integrations),
    /// `parseRepoUrl` knows github.com, gitlab.com, bitbucket.org and dev.azure.com and takes
    /// any other host as the embedded local git backend.
    pub fn new(limits: RenderLimits) -> Self {
        TemplateEngine {
            config: Arc::new(EngineConfig {
                limits,
                host_kinds: backstage::default_host_kinds(),
                strict_hosts: false,
            }),
        }
    }

    /// Declares the version-control integrations (host → kind: `github`, `gitlab`,
    /// `bitbucket`, `azure`, `gitea`, `gerrit`, `local`), as `opa.yaml`'s `integrations` do;
    /// `parseRepoUrl` then rejects other hosts, as Backstage does.
    pub fn with_integrations<H, K>(self, hosts: impl IntoIterator<Item = (H, K)>) -> Self
    where
        H: Into<String>,
        K: Into<String>,
    {
        let mut host_kinds: Vec<(String, String)> = hosts
            .into_iter()
            .map(|(h, k)| (h.into().to_lowercase(), k.into()))
            .collect();
        for (h, k) in backstage::default_host_kinds() {
            if !host_kinds.iter().any(|(x, _)| *x == h) {
                host_kinds.push((h, k));
            }
        }
        TemplateEngine {
            config: Arc::new(EngineConfig {
                limits: self.config.limits.clone(),
                host_kinds,
                strict_hosts: true,
            }),
        }
    }

    /// The limits every render runs under.
    pub fn limits(&self) -> &RenderLimits {
        &self.config.limits
    }

    /// Renders `${{ }}` expressions and `{% %}` statements in a step input or output string.
    pub fn render_str(&self, text: &str, ctx: &serde_json::Value) -> Result<String, TemplateError> {
        if !may_have_tags(text) {
            return Ok(text.to_string());
        }
        let context = context_object(ctx);
        self.render_with(text, &context, BACKSTAGE)
    }

    /// Renders every string inside a JSON value (a step's `input`, the template's `output`) as
    /// Backstage's workflow runner does: a string that is exactly one `${{ expr }}` keeps the
    /// expression's type; a string that renders empty drops its key (in an array, it becomes
    /// `null`). As in Backstage, a string whose template fails to parse or render is kept
    /// unrendered; only [`TemplateError::LimitExceeded`] is returned as an error.
    pub fn render_value(
        &self,
        value: &serde_json::Value,
        ctx: &serde_json::Value,
    ) -> Result<serde_json::Value, TemplateError> {
        let context = context_object(ctx);
        Ok(input::render_value(self, value, &context)?.unwrap_or(serde_json::Value::Null))
    }

    /// Renders a `fetch:template` skeleton file (the context holds `values`). The output keeps
    /// the file's trailing newline, as nunjucks does. To render many files with one context, use
    /// [`skeleton_renderer`](Self::skeleton_renderer).
    pub fn render_file(
        &self,
        text: &str,
        ctx: &serde_json::Value,
        options: &FileRenderOptions,
    ) -> Result<String, TemplateError> {
        if !may_have_tags(text) {
            return Ok(text.to_string());
        }
        self.skeleton_renderer(ctx, options).render(text)
    }

    /// A renderer for the files (and file names) of one skeleton, with the context converted
    /// once. It is not `Send`: make one per thread, e.g. with rayon's `map_init`.
    ///
    /// ```
    /// use opa_core::scaffolder::templating::{FileRenderOptions, TemplateEngine};
    ///
    /// let engine = TemplateEngine::default();
    /// let ctx = serde_json::json!({"values": {"name": "svc"}});
    /// let skeleton = engine.skeleton_renderer(&ctx, &FileRenderOptions::default());
    /// assert_eq!(skeleton.render("name: ${{ values.name }}\n").unwrap(), "name: svc\n");
    /// assert_eq!(skeleton.render("${{ values.name }}/README.md").unwrap(), "svc/README.md");
    /// ```
    pub fn skeleton_renderer(
        &self,
        ctx: &serde_json::Value,
        options: &FileRenderOptions,
    ) -> SkeletonRenderer<'_> {
        let mut context = context_object(ctx);
        let syntax = if options.cookiecutter_compat {
            // Backstage passes `{cookiecutter: values}`; accept a `values` context too.
            if !context.contains_key("cookiecutter") {
                if let Some(values) = context.get("values").cloned() {
                    context.insert(Rc::from("cookiecutter"), values);
                }
            }
            Syntax {
                tags: Tags { var_start: "{{" },
                trim_blocks: options.trim_blocks,
                lstrip_blocks: options.lstrip_blocks,
                compat: true,
            }
        } else {
            Syntax {
                trim_blocks: options.trim_blocks,
                lstrip_blocks: options.lstrip_blocks,
                ..BACKSTAGE
            }
        };
        SkeletonRenderer {
            engine: self,
            context,
            syntax,
        }
    }

    fn parse(&self, text: &str, syntax: Syntax) -> Result<Vec<ast::Node>, TemplateError> {
        let lexer = Lexer::new(text, syntax.tags, syntax.trim_blocks, syntax.lstrip_blocks);
        parser::parse(lexer, self.config.limits.max_depth, syntax.compat)
    }

    fn render_with(
        &self,
        text: &str,
        context: &Object,
        syntax: Syntax,
    ) -> Result<String, TemplateError> {
        let nodes = self.parse(text, syntax)?;
        let mut renderer = render::Renderer::new(
            text,
            context,
            &self.config.limits,
            &self.config,
            syntax.compat,
        );
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        renderer.render_nodes(&nodes, &mut out)?;
        Ok(out)
    }
}

/// Renders the files of one skeleton with one context (see
/// [`TemplateEngine::skeleton_renderer`]).
pub struct SkeletonRenderer<'e> {
    engine: &'e TemplateEngine,
    context: Object,
    syntax: Syntax,
}

impl SkeletonRenderer<'_> {
    /// Renders one file's text (or a file name) as `fetch:template` does.
    pub fn render(&self, text: &str) -> Result<String, TemplateError> {
        if !may_have_tags(text) {
            return Ok(text.to_string());
        }
        self.engine.render_with(text, &self.context, self.syntax)
    }
}

impl std::fmt::Debug for SkeletonRenderer<'_> {
    /// Shows the options only: the context may hold secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SkeletonRenderer")
            .field("cookiecutter_compat", &self.syntax.compat)
            .field("trim_blocks", &self.syntax.trim_blocks)
            .field("lstrip_blocks", &self.syntax.lstrip_blocks)
            .finish_non_exhaustive()
    }
}

/// Whether a text may contain a tag (or a stray `#}`, which nunjucks rejects); text without any
/// `{`, `$` or `#` is returned as is without parsing.
fn may_have_tags(text: &str) -> bool {
    memchr::memchr3(b'{', b'#', b'$', text.as_bytes()).is_some()
}

/// The render context: the top-level keys of a JSON object.
fn context_object(ctx: &serde_json::Value) -> Object {
    match Value::from(ctx) {
        Value::Object(map) => value::Obj::into_map(map),
        _ => Object::default(),
    }
}
