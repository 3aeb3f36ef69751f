//! nunjucks compiles operators to JavaScript text without parentheses (`a + (b - c)` in its
//! tree becomes `a + b - c`, `not a == b` becomes `!a == b`), so JavaScript's precedence decides
//! what a template computes: `"a" + 1 - 1` is `NaN`, `2 * 5 % 3` is `1`. This module rebuilds
//! each expression the way JavaScript reads the text nunjucks emits.
//!
//! Operands that nunjucks emits inside a call or parentheses (filters, tests, `in`, `**`, `//`'s
//! `Math.floor(…)`, groups, lookups, the parts of `x if c else y`) stay units; the chain of
//! `or`, `and`, comparisons, `~`, `+`, `-`, `*`, `/`, `%`, `not` and unary signs around them is
//! flattened and parsed again with JavaScript's precedence.

use super::TemplateError;
use super::ast::{BinOp, CmpOp, Expr, ExprKind};
use super::value::Value;

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Or,
    And,
    Cmp(CmpOp),
    Bin(BinOp),
}

impl Op {
    /// JavaScript's precedence (higher binds tighter).
    fn precedence(self) -> u8 {
        match self {
            Op::Or => 1,
            Op::And => 2,
            Op::Cmp(CmpOp::Eq | CmpOp::Ne | CmpOp::StrictEq | CmpOp::StrictNe) => 3,
            Op::Cmp(_) => 4,
            Op::Bin(BinOp::Add | BinOp::Sub | BinOp::Concat) => 5,
            Op::Bin(_) => 6,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Prefix {
    Not,
    Neg,
    Pos,
}

enum Item {
    Operand(Expr),
    Prefix(Prefix, usize),
    Op(Op),
}

/// Rebuilds an expression with JavaScript's reading of nunjucks' output.
/// `fail` builds a syntax error at a byte offset (for `- -x`, which is `--x` in JavaScript).
pub(crate) fn reorder(
    expr: Expr,
    fail: &dyn Fn(usize, &str) -> TemplateError,
) -> Result<Expr, TemplateError> {
    // Most expressions are a lookup, a literal or a filter call: nothing to reorder.
    match expr.kind {
        ExprKind::Literal(_)
        | ExprKind::Symbol(_)
        | ExprKind::Lookup(..)
        | ExprKind::Call(..)
        | ExprKind::Array(_)
        | ExprKind::Dict(_)
        | ExprKind::Group(_)
        | ExprKind::Slice { .. } => return Ok(expr),
        ExprKind::Filter { .. } => return unit(expr, fail),
        _ => {}
    }
    let mut items = Vec::new();
    flatten(expr, &mut items, fail)?;
    let mut items = items.into_iter().peekable();
    let expr = climb(&mut items, 0);
    Ok(expr)
}

fn flatten(
    expr: Expr,
    out: &mut Vec<Item>,
    fail: &dyn Fn(usize, &str) -> TemplateError,
) -> Result<(), TemplateError> {
    let pos = expr.pos;
    match expr.kind {
        ExprKind::Or(l, r) => {
            flatten(*l, out, fail)?;
            out.push(Item::Op(Op::Or));
            flatten(*r, out, fail)?;
        }
        ExprKind::And(l, r) => {
            flatten(*l, out, fail)?;
            out.push(Item::Op(Op::And));
            flatten(*r, out, fail)?;
        }
        ExprKind::Compare(first, ops) => {
            flatten(*first, out, fail)?;
            for (op, e) in ops {
                out.push(Item::Op(Op::Cmp(op)));
                flatten(e, out, fail)?;
            }
        }
        ExprKind::Binary(BinOp::Concat, l, r) => {
            // `a ~ b` is emitted as `a + "" + b`.
            flatten(*l, out, fail)?;
            out.push(Item::Op(Op::Bin(BinOp::Add)));
            out.push(Item::Operand(Expr::new(
                ExprKind::Literal(Value::str("")),
                pos,
            )));
            out.push(Item::Op(Op::Bin(BinOp::Add)));
            flatten(*r, out, fail)?;
        }
        ExprKind::Binary(
            op @ (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod),
            l,
            r,
        ) => {
            flatten(*l, out, fail)?;
            out.push(Item::Op(Op::Bin(op)));
            flatten(*r, out, fail)?;
        }
        ExprKind::Binary(BinOp::FloorDiv, l, r) => {
            // `Math.floor(l / r)`: the division inside is read as JavaScript too.
            let inner = Expr::new(ExprKind::Binary(BinOp::Div, l, r), pos);
            let inner = reorder(inner, fail)?;
            out.push(Item::Operand(Expr::new(
                ExprKind::Floor(Box::new(inner)),
                pos,
            )));
        }
        ExprKind::Not(t) => {
            out.push(Item::Prefix(Prefix::Not, pos));
            flatten(*t, out, fail)?;
        }
        // `- -x` and `+ +x` are emitted as `--x` and `++x`: increments, a JavaScript syntax error.
        ExprKind::Neg(t) if matches!(t.kind, ExprKind::Neg(_)) => {
            return Err(fail(
                pos,
                "Invalid left-hand side expression in prefix operation",
            ));
        }
        ExprKind::Pos(t) if matches!(t.kind, ExprKind::Pos(_)) => {
            return Err(fail(
                pos,
                "Invalid left-hand side expression in prefix operation",
            ));
        }
        ExprKind::Neg(t) => {
            out.push(Item::Prefix(Prefix::Neg, pos));
            flatten(*t, out, fail)?;
        }
        ExprKind::Pos(t) => {
            out.push(Item::Prefix(Prefix::Pos, pos));
            flatten(*t, out, fail)?;
        }
        kind => out.push(Item::Operand(unit(Expr::new(kind, pos), fail)?)),
    }
    Ok(())
}

/// An operand nunjucks emits as a unit; its own sub-expressions are reordered separately.
fn unit(expr: Expr, fail: &dyn Fn(usize, &str) -> TemplateError) -> Result<Expr, TemplateError> {
    let pos = expr.pos;
    let boxed =
        |e: Box<Expr>| -> Result<Box<Expr>, TemplateError> { Ok(Box::new(reorder(*e, fail)?)) };
    let kind = match expr.kind {
        ExprKind::InlineIf { cond, body, else_ } => ExprKind::InlineIf {
            cond: boxed(cond)?,
            body: boxed(body)?,
            else_: else_.map(boxed).transpose()?,
        },
        ExprKind::Binary(BinOp::Pow, l, r) => ExprKind::Binary(BinOp::Pow, boxed(l)?, boxed(r)?),
        ExprKind::In(l, r) => ExprKind::In(boxed(l)?, boxed(r)?),
        ExprKind::Is { target, test, args } => ExprKind::Is {
            target: boxed(target)?,
            test,
            args,
        },
        ExprKind::Filter { name, target, args } => ExprKind::Filter {
            name,
            target: boxed(target)?,
            args,
        },
        other => other,
    };
    Ok(Expr::new(kind, pos))
}

fn climb(items: &mut std::iter::Peekable<std::vec::IntoIter<Item>>, min: u8) -> Expr {
    let mut left = prefixed(items);
    while let Some(Item::Op(op)) = items.peek() {
        let op = *op;
        if op.precedence() < min.max(1) {
            break;
        }
        items.next();
        let right = climb(items, op.precedence() + 1);
        let pos = left.pos;
        let (l, r) = (Box::new(left), Box::new(right));
        left = Expr::new(
            match op {
                Op::Or => ExprKind::Or(l, r),
                Op::And => ExprKind::And(l, r),
                Op::Cmp(c) => ExprKind::Compare(l, vec![(c, *r)]),
                Op::Bin(b) => ExprKind::Binary(b, l, r),
            },
            pos,
        );
    }
    left
}

fn prefixed(items: &mut std::iter::Peekable<std::vec::IntoIter<Item>>) -> Expr {
    match items.next() {
        Some(Item::Prefix(p, pos)) => {
            let inner = Box::new(prefixed(items));
            Expr::new(
                match p {
                    Prefix::Not => ExprKind::Not(inner),
                    Prefix::Neg => ExprKind::Neg(inner),
                    Prefix::Pos => ExprKind::Pos(inner),
                },
                pos,
            )
        }
        Some(Item::Operand(e)) => e,
        // Flattening always alternates operands and operators.
        _ => Expr::new(ExprKind::Literal(Value::Undefined), 0),
    }
}
