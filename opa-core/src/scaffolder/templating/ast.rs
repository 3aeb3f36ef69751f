//! The parsed form of a template, shaped like nunjucks' nodes.

use std::ops::Range;
use std::rc::Rc;

use super::value::Value;

/// A statement or a piece of output.
pub(crate) enum Node {
    /// Text copied as is (a range of the template source).
    Data(Range<usize>),
    /// Text that is not a slice of the source (a `{% raw %}` block).
    Text(String),
    /// `${{ expr }}`.
    Output(Expr),
    If {
        cond: Expr,
        body: Vec<Node>,
        else_: Vec<Node>,
    },
    For {
        names: Vec<Rc<str>>,
        iter: Expr,
        body: Vec<Node>,
        else_: Option<Vec<Node>>,
    },
    Set {
        targets: Vec<Rc<str>>,
        value: SetValue,
    },
    /// `{% filter name(args) %}…{% endfilter %}`.
    FilterBlock {
        name: Rc<str>,
        args: Args,
        body: Vec<Node>,
        pos: usize,
    },
    Macro(Rc<Macro>),
    Switch {
        expr: Expr,
        cases: Vec<(Expr, Vec<Node>)>,
        default: Option<Vec<Node>>,
    },
    /// `{% block name %}`: renders its body in place.
    Block(Vec<Node>),
    /// `include`, `import`, `extends`, `from`: need a template loader, which string rendering
    /// (as Backstage does it) has none of.
    Unsupported {
        tag: &'static str,
        pos: usize,
    },
}

pub(crate) enum SetValue {
    Expr(Expr),
    Capture(Vec<Node>),
}

pub(crate) struct Macro {
    pub name: Rc<str>,
    /// Positional parameters, then keyword parameters with their defaults.
    pub params: Vec<(Rc<str>, Option<Expr>)>,
    pub body: Vec<Node>,
}

/// Call arguments: positional, then `name=value` pairs.
#[derive(Default)]
pub(crate) struct Args {
    pub positional: Vec<Expr>,
    pub keyword: Vec<(Rc<str>, Expr)>,
}

pub(crate) struct Expr {
    pub kind: ExprKind,
    /// Byte offset in the source, for error positions.
    pub pos: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    Concat,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum CmpOp {
    Eq,
    StrictEq,
    Ne,
    StrictNe,
    Lt,
    Gt,
    Le,
    Ge,
}

pub(crate) enum ExprKind {
    Literal(Value),
    Symbol(Rc<str>),
    Lookup(Box<Expr>, Box<Expr>),
    Call(Box<Expr>, Args),
    Filter {
        name: Rc<str>,
        target: Box<Expr>,
        args: Args,
    },
    Array(Vec<Expr>),
    Dict(Vec<(Rc<str>, Expr)>),
    /// `(a, b)`: JavaScript's comma operator, the last value.
    Group(Vec<Expr>),
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Pos(Box<Expr>),
    In(Box<Expr>, Box<Expr>),
    Is {
        target: Box<Expr>,
        test: Rc<str>,
        args: Vec<Expr>,
    },
    InlineIf {
        cond: Box<Expr>,
        body: Box<Expr>,
        else_: Option<Box<Expr>>,
    },
    /// `Math.floor(expr)`, what `a // b` compiles to.
    Floor(Box<Expr>),
    /// `obj[start:stop:step]` (cookiecutter compatibility only).
    Slice {
        target: Box<Expr>,
        start: Option<Box<Expr>>,
        stop: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
}

impl Expr {
    pub(crate) fn new(kind: ExprKind, pos: usize) -> Self {
        Expr { kind, pos }
    }

    /// How nunjucks names a callee in "Unable to call `…`".
    pub(crate) fn describe(&self) -> String {
        match &self.kind {
            ExprKind::Symbol(s) => s.to_string(),
            ExprKind::Call(callee, _) => format!("the return value of ({})", callee.describe()),
            ExprKind::Lookup(target, key) => {
                format!("{}[\"{}\"]", target.describe(), key.describe())
            }
            ExprKind::Literal(v) => v.to_js_string(),
            _ => "--expression--".to_string(),
        }
    }
}
