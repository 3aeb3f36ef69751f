//! Expressions, with nunjucks' precedence: `x if c else y`, `or`, `and`, `not`, `in`, `is`,
//! comparisons, `~`, `+`, `-`, `*`, `/`, `//`, `%`, `**`, unary signs, filters, then primaries
//! with their lookups and calls.

use std::rc::Rc;

use super::token_text;
use super::{PResult, Parser};
use crate::scaffolder::templating::ast::{Args, BinOp, CmpOp, Expr, ExprKind};
use crate::scaffolder::templating::jsorder;
use crate::scaffolder::templating::lexer::{Tok, Token};
use crate::scaffolder::templating::value::{JsRegex, Value};

impl<'s> Parser<'s> {
    pub(crate) fn parse_expression(&mut self) -> PResult<Expr> {
        self.enter()?;
        let expr = self.parse_inline_if();
        self.leave();
        let lexer = &self.lexer;
        jsorder::reorder(expr?, &|pos, message| lexer.error(pos, message))
    }

    pub(super) fn parse_inline_if(&mut self) -> PResult<Expr> {
        let node = self.parse_or()?;
        if self.skip_symbol("if")? {
            let cond = self.parse_or()?;
            let else_ = if self.skip_symbol("else")? {
                Some(Box::new(self.parse_or()?))
            } else {
                None
            };
            let pos = node.pos;
            return Ok(Expr::new(
                ExprKind::InlineIf {
                    cond: Box::new(cond),
                    body: Box::new(node),
                    else_,
                },
                pos,
            ));
        }
        Ok(node)
    }

    pub(super) fn parse_or(&mut self) -> PResult<Expr> {
        let mut node = self.parse_and()?;
        while self.skip_symbol("or")? {
            let right = self.parse_and()?;
            let pos = node.pos;
            node = Expr::new(ExprKind::Or(Box::new(node), Box::new(right)), pos);
        }
        Ok(node)
    }

    pub(super) fn parse_and(&mut self) -> PResult<Expr> {
        let mut node = self.parse_not()?;
        while self.skip_symbol("and")? {
            let right = self.parse_not()?;
            let pos = node.pos;
            node = Expr::new(ExprKind::And(Box::new(node), Box::new(right)), pos);
        }
        Ok(node)
    }

    pub(super) fn parse_not(&mut self) -> PResult<Expr> {
        let pos = self.here();
        if self.skip_symbol("not")? {
            self.enter()?;
            let inner = self.parse_not();
            self.leave();
            return Ok(Expr::new(ExprKind::Not(Box::new(inner?)), pos));
        }
        self.parse_in()
    }

    pub(super) fn parse_in(&mut self) -> PResult<Expr> {
        let mut node = self.parse_is()?;
        while let Some(tok) = self.next()? {
            let invert = matches!(tok.tok, Tok::Symbol("not"));
            let saved = if invert {
                Some(tok)
            } else {
                self.push(Some(tok))?;
                None
            };
            if self.skip_symbol("in")? {
                let right = self.parse_is()?;
                let pos = node.pos;
                node = Expr::new(ExprKind::In(Box::new(node), Box::new(right)), pos);
                if invert {
                    node = Expr::new(ExprKind::Not(Box::new(node)), pos);
                }
            } else {
                if let Some(tok) = saved {
                    self.push(Some(tok))?;
                }
                break;
            }
        }
        Ok(node)
    }

    pub(super) fn parse_is(&mut self) -> PResult<Expr> {
        let node = self.parse_compare()?;
        if !self.skip_symbol("is")? {
            return Ok(node);
        }
        let negate = self.skip_symbol("not")?;
        let right = self.parse_compare()?;
        let (test, args): (Rc<str>, Vec<Expr>) = match right.kind {
            ExprKind::Symbol(s) => (s, Vec::new()),
            ExprKind::Call(callee, args) => match callee.kind {
                ExprKind::Symbol(s) => (s, args.positional),
                _ => (Rc::from("undefined"), args.positional),
            },
            ExprKind::Literal(v) => (Rc::from(v.to_js_string()), Vec::new()),
            _ => (Rc::from("undefined"), Vec::new()),
        };
        let pos = node.pos;
        let mut expr = Expr::new(
            ExprKind::Is {
                target: Box::new(node),
                test,
                args,
            },
            pos,
        );
        if negate {
            expr = Expr::new(ExprKind::Not(Box::new(expr)), pos);
        }
        Ok(expr)
    }

    pub(super) fn parse_compare(&mut self) -> PResult<Expr> {
        let expr = self.parse_concat()?;
        let mut ops = Vec::new();
        while let Some(tok) = self.next()? {
            let op = match tok.tok {
                Tok::Op("==") => CmpOp::Eq,
                Tok::Op("===") => CmpOp::StrictEq,
                Tok::Op("!=") => CmpOp::Ne,
                Tok::Op("!==") => CmpOp::StrictNe,
                Tok::Op("<") => CmpOp::Lt,
                Tok::Op(">") => CmpOp::Gt,
                Tok::Op("<=") => CmpOp::Le,
                Tok::Op(">=") => CmpOp::Ge,
                _ => {
                    self.push(Some(tok))?;
                    break;
                }
            };
            ops.push((op, self.parse_concat()?));
        }
        if ops.is_empty() {
            Ok(expr)
        } else {
            let pos = expr.pos;
            Ok(Expr::new(ExprKind::Compare(Box::new(expr), ops), pos))
        }
    }

    pub(super) fn parse_concat(&mut self) -> PResult<Expr> {
        let mut node = self.parse_binary(0)?;
        while self.skip_if(|t| matches!(t, Tok::Tilde))? {
            let right = self.parse_binary(0)?;
            let pos = node.pos;
            node = Expr::new(
                ExprKind::Binary(BinOp::Concat, Box::new(node), Box::new(right)),
                pos,
            );
        }
        Ok(node)
    }

    /// nunjucks gives each arithmetic operator its own level, loosest first:
    /// `+`, `-`, `*`, `/`, `//`, `%`, `**`, each left-associative.
    pub(super) fn parse_binary(&mut self, level: usize) -> PResult<Expr> {
        const LEVELS: [(&str, BinOp); 7] = [
            ("+", BinOp::Add),
            ("-", BinOp::Sub),
            ("*", BinOp::Mul),
            ("/", BinOp::Div),
            ("//", BinOp::FloorDiv),
            ("%", BinOp::Mod),
            ("**", BinOp::Pow),
        ];
        let Some(&(op, bin)) = LEVELS.get(level) else {
            return self.parse_unary(false);
        };
        let mut node = self.parse_binary(level + 1)?;
        while self.skip_op(op)? {
            let right = self.parse_binary(level + 1)?;
            let pos = node.pos;
            node = Expr::new(ExprKind::Binary(bin, Box::new(node), Box::new(right)), pos);
        }
        Ok(node)
    }

    pub(super) fn parse_unary(&mut self, no_filters: bool) -> PResult<Expr> {
        let pos = self.here();
        let node = if self.skip_op("-")? {
            self.enter()?;
            let inner = self.parse_unary(true);
            self.leave();
            Expr::new(ExprKind::Neg(Box::new(inner?)), pos)
        } else if self.skip_op("+")? {
            self.enter()?;
            let inner = self.parse_unary(true);
            self.leave();
            Expr::new(ExprKind::Pos(Box::new(inner?)), pos)
        } else {
            self.parse_primary(false)?
        };
        if no_filters {
            Ok(node)
        } else {
            self.parse_filter(node)
        }
    }

    pub(super) fn parse_primary(&mut self, no_postfix: bool) -> PResult<Expr> {
        let Some(tok) = self.next()? else {
            return Err(self.fail("expected expression, got end of file", self.lexer.src.len()));
        };
        let pos = tok.pos;
        let literal = match &tok.tok {
            Tok::Str(s) => Some(Value::str(s)),
            Tok::Int(n) | Tok::Float(n) => Some(Value::Num(*n)),
            Tok::Bool(b) => Some(Value::Bool(*b)),
            Tok::None => Some(Value::Null),
            Tok::Regex { body, flags } => Some(self.regex(body, flags, pos)?),
            _ => None,
        };
        let node = if let Some(v) = literal {
            Expr::new(ExprKind::Literal(v), pos)
        } else if let Tok::Symbol(s) = tok.tok {
            Expr::new(ExprKind::Symbol(Rc::from(s)), pos)
        } else {
            let description = token_text(&tok.tok);
            self.push(Some(tok))?;
            match self.parse_aggregate()? {
                Some(node) => node,
                None => return Err(self.fail(format!("unexpected token: {description}"), pos)),
            }
        };
        if no_postfix {
            Ok(node)
        } else {
            self.parse_postfix(node)
        }
    }

    pub(super) fn regex(&self, body: &str, flags: &str, pos: usize) -> PResult<Value> {
        let mut builder = regex::RegexBuilder::new(body);
        builder
            .case_insensitive(flags.contains('i'))
            .multi_line(flags.contains('m'))
            .size_limit(1 << 20);
        let regex = builder
            .build()
            .map_err(|e| self.fail(format!("invalid regular expression: {e}"), pos))?;
        Ok(Value::Regex(Rc::new(JsRegex {
            regex,
            global: flags.contains('g'),
            source: body.to_string(),
            flags: flags.to_string(),
        })))
    }

    pub(super) fn parse_postfix(&mut self, mut node: Expr) -> PResult<Expr> {
        while let Some(tok) = self.peek()? {
            let pos = tok.pos;
            match tok.tok {
                Tok::LParen => {
                    let args = self.parse_signature(false)?;
                    node = Expr::new(ExprKind::Call(Box::new(node), args), pos);
                }
                Tok::LBracket => {
                    if self.compat {
                        node = self.parse_compat_index(node)?;
                        continue;
                    }
                    let Some(agg) = self.parse_aggregate()? else {
                        return Err(self.fail("invalid index", pos));
                    };
                    let ExprKind::Array(mut items) = agg.kind else {
                        return Err(self.fail("invalid index", pos));
                    };
                    if items.len() != 1 {
                        return Err(self.fail("invalid index", pos));
                    }
                    let key = items.remove(0);
                    node = Expr::new(ExprKind::Lookup(Box::new(node), Box::new(key)), pos);
                }
                Tok::Op(".") => {
                    self.next()?;
                    let val = self.next()?;
                    match val {
                        Some(Token {
                            tok: Tok::Symbol(s),
                            pos: vpos,
                        }) => {
                            let key = Expr::new(ExprKind::Literal(Value::str(s)), vpos);
                            node = Expr::new(ExprKind::Lookup(Box::new(node), Box::new(key)), pos);
                        }
                        other => {
                            let (text, vpos) = other
                                .map_or(("undefined".to_string(), self.lexer.src.len()), |t| {
                                    (token_text(&t.tok), t.pos)
                                });
                            return Err(self
                                .fail(format!("expected name as lookup value, got {text}"), vpos));
                        }
                    }
                }
                _ => break,
            }
        }
        Ok(node)
    }

    /// `x[i]` or, with jinja compatibility, `x[start:stop:step]`.
    pub(super) fn parse_compat_index(&mut self, node: Expr) -> PResult<Expr> {
        let pos = self.here();
        self.next()?; // [
        let mut parts: [Option<Box<Expr>>; 3] = [None, None, None];
        let mut field = 0;
        let mut is_slice = false;
        loop {
            if self.skip_if(|t| matches!(t, Tok::RBracket))? {
                break;
            }
            if field == 3 {
                return Err(self.fail("parseSlice: too many slice components", pos));
            }
            if self.skip_if(|t| matches!(t, Tok::Colon))? {
                is_slice = true;
                field += 1;
                continue;
            }
            parts[field] = Some(Box::new(self.parse_expression()?));
            if self.skip_if(|t| matches!(t, Tok::Colon))? {
                is_slice = true;
            } else if !self.peek_is(|t| matches!(t, Tok::RBracket))? {
                return Err(self.fail_here("parseAggregate: expected comma after expression"));
            }
            field += 1;
        }
        let [start, stop, step] = parts;
        if is_slice {
            return Ok(Expr::new(
                ExprKind::Slice {
                    target: Box::new(node),
                    start,
                    stop,
                    step,
                },
                pos,
            ));
        }
        match start {
            Some(key) => Ok(Expr::new(ExprKind::Lookup(Box::new(node), key), pos)),
            None => Err(self.fail("invalid index", pos)),
        }
    }

    pub(super) fn parse_filter_name(&mut self) -> PResult<Rc<str>> {
        let mut name = match self.next()? {
            Some(Token {
                tok: Tok::Symbol(s),
                ..
            }) => s.to_string(),
            other => {
                let (kind, pos) = other.map_or(("end of file", self.lexer.src.len()), |t| {
                    (t.tok.kind(), t.pos)
                });
                return Err(self.fail(format!("expected symbol, got {kind}"), pos));
            }
        };
        while self.skip_op(".")? {
            match self.next()? {
                Some(Token {
                    tok: Tok::Symbol(s),
                    ..
                }) => {
                    name.push('.');
                    name.push_str(s);
                }
                other => {
                    let pos = other.map_or(self.lexer.src.len(), |t| t.pos);
                    return Err(self.fail("expected symbol", pos));
                }
            }
        }
        Ok(Rc::from(name))
    }

    pub(super) fn parse_filter(&mut self, mut node: Expr) -> PResult<Expr> {
        while self.skip_if(|t| matches!(t, Tok::Pipe))? {
            let pos = self.here();
            let name = self.parse_filter_name()?;
            let args = if self.peek_is(|t| matches!(t, Tok::LParen))? {
                self.parse_signature(false)?
            } else {
                Args::default()
            };
            node = Expr::new(
                ExprKind::Filter {
                    name,
                    target: Box::new(node),
                    args,
                },
                pos,
            );
        }
        Ok(node)
    }

    pub(super) fn parse_aggregate(&mut self) -> PResult<Option<Expr>> {
        let Some(tok) = self.next()? else {
            return Ok(None);
        };
        let pos = tok.pos;
        #[derive(PartialEq)]
        enum Kind {
            Group,
            Array,
            Dict,
        }
        let kind = match tok.tok {
            Tok::LParen => Kind::Group,
            Tok::LBracket => Kind::Array,
            Tok::LCurly => Kind::Dict,
            _ => return Ok(None),
        };
        self.enter()?;
        let mut items = Vec::new();
        let mut pairs = Vec::new();
        loop {
            if self.peek()?.is_none() {
                self.leave();
                return Err(self.fail_here("unexpected end of file"));
            }
            if self.skip_if(|t| matches!(t, Tok::RParen | Tok::RBracket | Tok::RCurly))? {
                break;
            }
            if (!items.is_empty() || !pairs.is_empty())
                && !self.skip_if(|t| matches!(t, Tok::Comma))?
            {
                self.leave();
                return Err(self.fail("parseAggregate: expected comma after expression", pos));
            }
            if kind == Kind::Dict {
                let key = self.parse_primary(false)?;
                let key = match key.kind {
                    ExprKind::Symbol(s) => s,
                    ExprKind::Literal(Value::Str(s)) => s,
                    _ => {
                        self.leave();
                        return Err(
                            self.fail("compilePair: Dict keys must be strings or names", key.pos)
                        );
                    }
                };
                if !self.skip_if(|t| matches!(t, Tok::Colon))? {
                    self.leave();
                    return Err(self.fail("parseAggregate: expected colon after dict key", pos));
                }
                let value = self.parse_expression()?;
                pairs.push((key, value));
            } else {
                items.push(self.parse_expression()?);
            }
        }
        self.leave();
        Ok(Some(Expr::new(
            match kind {
                Kind::Group => ExprKind::Group(items),
                Kind::Array => ExprKind::Array(items),
                Kind::Dict => ExprKind::Dict(pairs),
            },
            pos,
        )))
    }

    pub(super) fn parse_signature(&mut self, tolerant: bool) -> PResult<Args> {
        if !self.peek_is(|t| matches!(t, Tok::LParen))? {
            if tolerant {
                return Ok(Args::default());
            }
            return Err(self.fail_here("expected arguments"));
        }
        self.next()?;
        let mut args = Args::default();
        let mut check_comma = false;
        loop {
            if self.peek()?.is_none() {
                return Err(self.fail_here("unexpected end of file"));
            }
            if self.skip_if(|t| matches!(t, Tok::RParen))? {
                break;
            }
            if check_comma && !self.skip_if(|t| matches!(t, Tok::Comma))? {
                return Err(self.fail_here("parseSignature: expected comma after expression"));
            }
            let arg = self.parse_expression()?;
            if self.skip_op("=")? {
                let value = self.parse_expression()?;
                match arg.kind {
                    ExprKind::Symbol(name) => args.keyword.push((name, value)),
                    ExprKind::Literal(Value::Str(name)) => args.keyword.push((name, value)),
                    _ => {
                        return Err(
                            self.fail("compilePair: Dict keys must be strings or names", arg.pos)
                        );
                    }
                }
            } else {
                args.positional.push(arg);
            }
            check_comma = true;
        }
        Ok(args)
    }
}
