//! Parses tokens into nodes with nunjucks' grammar: its operator precedence (filters bind tighter
//! than any operator, `is` sits between `in` and comparisons), its whitespace control and its
//! error messages.

use std::rc::Rc;

use super::TemplateError;
use super::ast::{Args, BinOp, CmpOp, Expr, ExprKind, Macro, Node, SetValue};
use super::jsorder;
use super::lexer::{Lexer, Tok, Token};
use super::value::{JsRegex, Value, is_js_space};

/// Parses a whole template.
pub(crate) fn parse(
    lexer: Lexer<'_>,
    max_depth: usize,
    compat: bool,
) -> Result<Vec<Node>, TemplateError> {
    let mut parser = Parser {
        lexer,
        peeked: None,
        break_on: &[],
        drop_leading_ws: false,
        depth: 0,
        max_depth,
        compat,
    };
    parser.parse_nodes()
}

struct Parser<'s> {
    lexer: Lexer<'s>,
    peeked: Option<Token<'s>>,
    break_on: &'static [&'static str],
    drop_leading_ws: bool,
    depth: usize,
    max_depth: usize,
    compat: bool,
}

type PResult<T> = Result<T, TemplateError>;

impl<'s> Parser<'s> {
    fn next(&mut self) -> PResult<Option<Token<'s>>> {
        match self.peeked.take() {
            Some(t) => Ok(Some(t)),
            None => self.lexer.next_token(),
        }
    }

    fn peek(&mut self) -> PResult<Option<&Token<'s>>> {
        if self.peeked.is_none() {
            self.peeked = self.lexer.next_token()?;
        }
        Ok(self.peeked.as_ref())
    }

    fn push(&mut self, tok: Option<Token<'s>>) -> PResult<()> {
        if self.peeked.is_some() {
            let pos = self.here();
            return Err(self.fail("pushToken: can only push one token on between reads", pos));
        }
        self.peeked = tok;
        Ok(())
    }

    /// The position of the next token (or the end), for messages.
    fn here(&self) -> usize {
        self.peeked.as_ref().map_or(self.lexer.pos, |t| t.pos)
    }

    fn fail(&self, message: impl Into<String>, pos: usize) -> TemplateError {
        self.lexer.error(pos, message)
    }

    fn fail_here(&mut self, message: impl Into<String>) -> TemplateError {
        let _ = self.peek();
        let pos = self.here();
        self.fail(message, pos)
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(TemplateError::LimitExceeded {
                limit: "nesting depth",
                max: self.max_depth as u64,
            });
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn skip_if(&mut self, pred: impl Fn(&Tok<'s>) -> bool) -> PResult<bool> {
        if self.peek()?.is_some_and(|t| pred(&t.tok)) {
            self.peeked = None;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn skip_symbol(&mut self, name: &str) -> PResult<bool> {
        self.skip_if(|t| matches!(t, Tok::Symbol(s) if *s == name))
    }

    fn skip_op(&mut self, op: &str) -> PResult<bool> {
        self.skip_if(|t| matches!(t, Tok::Op(o) if *o == op))
    }

    fn peek_is(&mut self, pred: impl Fn(&Tok<'s>) -> bool) -> PResult<bool> {
        Ok(self.peek()?.is_some_and(|t| pred(&t.tok)))
    }

    fn peek_symbol(&mut self) -> PResult<Option<&'s str>> {
        Ok(match self.peek()? {
            Some(Token {
                tok: Tok::Symbol(s),
                ..
            }) => Some(*s),
            _ => None,
        })
    }

    // ---- statements ----

    fn parse_nodes(&mut self) -> PResult<Vec<Node>> {
        let mut nodes = Vec::new();
        while let Some(token) = self.next()? {
            match token.tok {
                Tok::Data(text) => {
                    let mut start = token.pos;
                    let mut end = token.pos + text.len();
                    if self.drop_leading_ws {
                        let trimmed = text.trim_start_matches(is_js_space);
                        start = end - trimmed.len();
                        self.drop_leading_ws = false;
                    }
                    let trim_end = match self.peek()? {
                        Some(Token {
                            tok: Tok::BlockStart { trim_before },
                            ..
                        })
                        | Some(Token {
                            tok: Tok::VarStart { trim_before },
                            ..
                        }) => *trim_before,
                        Some(Token {
                            tok: Tok::Comment(c),
                            ..
                        }) => c[2..].starts_with('-'),
                        _ => false,
                    };
                    if trim_end {
                        let kept = self.lexer.src[start..end].trim_end_matches(is_js_space);
                        end = start + kept.len();
                    }
                    // Kept even when empty: Backstage's single-expression check counts it.
                    nodes.push(Node::Data(start..end));
                }
                Tok::BlockStart { .. } => {
                    self.drop_leading_ws = false;
                    match self.parse_statement()? {
                        Some(node) => nodes.push(node),
                        None => break,
                    }
                }
                Tok::VarStart { .. } => {
                    let expr = self.parse_expression()?;
                    self.drop_leading_ws = false;
                    self.advance_after_variable_end()?;
                    nodes.push(Node::Output(expr));
                }
                Tok::Comment(c) => {
                    self.drop_leading_ws = c.len() >= 5 && c[..c.len() - 2].ends_with('-');
                }
                other => {
                    return Err(self.fail(
                        format!("Unexpected token at top-level: {}", other.kind()),
                        token.pos,
                    ));
                }
            }
        }
        Ok(nodes)
    }

    fn parse_until(&mut self, blocks: &'static [&'static str]) -> PResult<Vec<Node>> {
        self.enter()?;
        let prev = std::mem::replace(&mut self.break_on, blocks);
        let nodes = self.parse_nodes();
        self.break_on = prev;
        self.leave();
        nodes
    }

    fn advance_after_block_end(&mut self, name: Option<&str>) -> PResult<()> {
        let name = match name {
            Some(n) => n.to_string(),
            None => {
                let Some(tok) = self.peek()? else {
                    return Err(self.fail_here("unexpected end of file"));
                };
                let Tok::Symbol(s) = tok.tok else {
                    return Err(self.fail_here(
                        "advanceAfterBlockEnd: expected symbol token or explicit name to be passed",
                    ));
                };
                self.next()?;
                s.to_string()
            }
        };
        match self.next()? {
            Some(Token {
                tok: Tok::BlockEnd { trim_after },
                ..
            }) => {
                if trim_after {
                    self.drop_leading_ws = true;
                }
                Ok(())
            }
            other => {
                let pos = other.map_or(self.lexer.src.len(), |t| t.pos);
                Err(self.fail(format!("expected block end in {name} statement"), pos))
            }
        }
    }

    fn advance_after_variable_end(&mut self) -> PResult<()> {
        match self.next()? {
            Some(Token {
                tok: Tok::VarEnd { trim_after },
                ..
            }) => {
                self.drop_leading_ws = trim_after;
                Ok(())
            }
            other => {
                let pos = other.as_ref().map_or(self.lexer.src.len(), |t| t.pos);
                self.push(other)?;
                Err(self.fail("expected variable end", pos))
            }
        }
    }

    fn parse_statement(&mut self) -> PResult<Option<Node>> {
        let pos = self.here();
        let Some(name) = self.peek_symbol()? else {
            return Err(self.fail_here("tag name expected"));
        };
        if self.break_on.contains(&name) {
            return Ok(None);
        }
        let node = match name {
            "raw" | "verbatim" => self.parse_raw(name)?,
            "if" | "ifAsync" => self.parse_if()?,
            "for" | "asyncEach" | "asyncAll" => self.parse_for()?,
            "set" => self.parse_set()?,
            "macro" => self.parse_macro()?,
            "filter" => self.parse_filter_statement()?,
            "switch" => self.parse_switch()?,
            "block" => self.parse_block()?,
            "include" | "extends" => {
                self.next()?;
                let tag = if name == "include" {
                    "include"
                } else {
                    "extends"
                };
                self.parse_expression()?;
                if tag == "include" && self.skip_symbol("ignore")? {
                    self.skip_symbol("missing")?;
                }
                self.advance_after_block_end(Some(tag))?;
                Node::Unsupported { tag, pos }
            }
            "call" | "import" | "from" => {
                return Err(self.fail(
                    format!("the `{name}` tag needs template files, which OPA-rs templating does not load"),
                    pos,
                ));
            }
            other => return Err(self.fail(format!("unknown block tag: {other}"), pos)),
        };
        Ok(Some(node))
    }

    fn parse_raw(&mut self, tag: &str) -> PResult<Node> {
        self.advance_after_block_end(None)?;
        // The lexer now stands right after the tag's `%}`; nothing is peeked.
        let body = self.lexer.raw_body(tag);
        Ok(Node::Text(body))
    }

    fn parse_if(&mut self) -> PResult<Node> {
        let pos = self.here();
        let tag = self.peek_symbol()?.unwrap_or("if");
        if !["if", "elif", "elseif", "ifAsync"].contains(&tag) {
            return Err(self.fail("parseIf: expected if, elif, or elseif", pos));
        }
        self.next()?;
        let cond = self.parse_expression()?;
        self.advance_after_block_end(Some(tag))?;
        let body = self.parse_until(&["elif", "elseif", "else", "endif"])?;
        let else_ = match self.peek_symbol()? {
            Some("elif" | "elseif") => {
                self.enter()?;
                let nested = self.parse_if();
                self.leave();
                vec![nested?]
            }
            Some("else") => {
                self.advance_after_block_end(None)?;
                let nodes = self.parse_until(&["endif"])?;
                self.advance_after_block_end(None)?;
                nodes
            }
            Some("endif") => {
                self.advance_after_block_end(None)?;
                Vec::new()
            }
            _ => {
                return Err(
                    self.fail_here("parseIf: expected elif, else, or endif, got end of file")
                );
            }
        };
        Ok(Node::If { cond, body, else_ })
    }

    fn parse_for(&mut self) -> PResult<Node> {
        let pos = self.here();
        let (tag, end): (&str, &'static str) = match self.peek_symbol()? {
            Some("asyncEach") => ("asyncEach", "endeach"),
            Some("asyncAll") => ("asyncAll", "endall"),
            _ => ("for", "endfor"),
        };
        self.next()?;
        let mut names = vec![self.loop_name()?];
        while self.skip_if(|t| matches!(t, Tok::Comma))? {
            names.push(self.loop_name()?);
        }
        if !self.skip_symbol("in")? {
            return Err(self.fail("parseFor: expected \"in\" keyword for loop", pos));
        }
        let iter = self.parse_expression()?;
        self.advance_after_block_end(Some(tag))?;
        let blocks: &'static [&'static str] = match end {
            "endeach" => &["endeach", "else"],
            "endall" => &["endall", "else"],
            _ => &["endfor", "else"],
        };
        let body = self.parse_until(blocks)?;
        let else_ = if self.skip_symbol("else")? {
            self.advance_after_block_end(Some("else"))?;
            let end_only: &'static [&'static str] = match end {
                "endeach" => &["endeach"],
                "endall" => &["endall"],
                _ => &["endfor"],
            };
            Some(self.parse_until(end_only)?)
        } else {
            None
        };
        self.advance_after_block_end(None)?;
        Ok(Node::For {
            names,
            iter,
            body,
            else_,
        })
    }

    fn loop_name(&mut self) -> PResult<Rc<str>> {
        let expr = self.parse_primary(false)?;
        match expr.kind {
            ExprKind::Symbol(s) => Ok(s),
            _ => Err(self.fail("parseFor: variable name expected for loop", expr.pos)),
        }
    }

    fn parse_set(&mut self) -> PResult<Node> {
        let pos = self.here();
        self.next()?;
        let mut targets = Vec::new();
        loop {
            let target = self.parse_primary(false)?;
            match target.kind {
                ExprKind::Symbol(s) => targets.push(s),
                _ => return Err(self.fail("parseSet: expected a variable name", target.pos)),
            }
            if !self.skip_if(|t| matches!(t, Tok::Comma))? {
                break;
            }
        }
        let value = if self.skip_op("=")? {
            let value = self.parse_expression()?;
            self.advance_after_block_end(Some("set"))?;
            SetValue::Expr(value)
        } else if self.skip_if(|t| matches!(t, Tok::BlockEnd { .. }))? {
            let body = self.parse_until(&["endset"])?;
            self.advance_after_block_end(None)?;
            SetValue::Capture(body)
        } else {
            return Err(self.fail("parseSet: expected = or block end in set tag", pos));
        };
        Ok(Node::Set { targets, value })
    }

    fn parse_macro(&mut self) -> PResult<Node> {
        self.next()?;
        let name_expr = self.parse_primary(true)?;
        let ExprKind::Symbol(name) = name_expr.kind else {
            return Err(self.fail("expected macro name", name_expr.pos));
        };
        let args = self.parse_signature(false)?;
        let mut params: Vec<(Rc<str>, Option<Expr>)> = Vec::new();
        for arg in args.positional {
            match arg.kind {
                ExprKind::Symbol(s) => params.push((s, None)),
                _ => return Err(self.fail("macro parameters must be names", arg.pos)),
            }
        }
        for (k, v) in args.keyword {
            params.push((k, Some(v)));
        }
        self.advance_after_block_end(Some("macro"))?;
        let body = self.parse_until(&["endmacro"])?;
        self.advance_after_block_end(None)?;
        Ok(Node::Macro(Rc::new(Macro { name, params, body })))
    }

    fn parse_filter_statement(&mut self) -> PResult<Node> {
        self.next()?;
        let pos = self.here();
        let name = self.parse_filter_name()?;
        let args = if self.peek_is(|t| matches!(t, Tok::LParen))? {
            self.parse_signature(false)?
        } else {
            Args::default()
        };
        self.advance_after_block_end(Some("filter"))?;
        let body = self.parse_until(&["endfilter"])?;
        self.advance_after_block_end(None)?;
        Ok(Node::FilterBlock {
            name,
            args,
            body,
            pos,
        })
    }

    fn parse_switch(&mut self) -> PResult<Node> {
        self.next()?;
        let expr = self.parse_expression()?;
        self.advance_after_block_end(Some("switch"))?;
        // Text before the first case is dropped, as nunjucks does.
        self.parse_until(&["case", "default", "endswitch"])?;
        let mut cases = Vec::new();
        while self.skip_symbol("case")? {
            let cond = self.parse_expression()?;
            self.advance_after_block_end(Some("switch"))?;
            let body = self.parse_until(&["case", "default", "endswitch"])?;
            cases.push((cond, body));
        }
        let default = match self.peek_symbol()? {
            Some("default") => {
                self.advance_after_block_end(None)?;
                let body = self.parse_until(&["endswitch"])?;
                self.advance_after_block_end(None)?;
                Some(body)
            }
            Some("endswitch") => {
                self.advance_after_block_end(None)?;
                None
            }
            _ => {
                return Err(self.fail_here(
                    "parseSwitch: expected \"case,\" \"default\" or \"endswitch,\" got EOF.",
                ));
            }
        };
        Ok(Node::Switch {
            expr,
            cases,
            default,
        })
    }

    fn parse_block(&mut self) -> PResult<Node> {
        let pos = self.here();
        self.next()?;
        let name = self.parse_primary(false)?;
        let ExprKind::Symbol(name) = name.kind else {
            return Err(self.fail("parseBlock: variable name expected", pos));
        };
        self.advance_after_block_end(Some("block"))?;
        let body = self.parse_until(&["endblock"])?;
        self.skip_symbol("endblock")?;
        self.skip_symbol(&name)?;
        if self.peek()?.is_none() {
            return Err(self.fail_here("parseBlock: expected endblock, got end of file"));
        }
        self.advance_after_block_end(Some("endblock"))?;
        Ok(Node::Block(body))
    }

    // ---- expressions ----

    pub(crate) fn parse_expression(&mut self) -> PResult<Expr> {
        self.enter()?;
        let expr = self.parse_inline_if();
        self.leave();
        let lexer = &self.lexer;
        jsorder::reorder(expr?, &|pos, message| lexer.error(pos, message))
    }

    fn parse_inline_if(&mut self) -> PResult<Expr> {
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

    fn parse_or(&mut self) -> PResult<Expr> {
        let mut node = self.parse_and()?;
        while self.skip_symbol("or")? {
            let right = self.parse_and()?;
            let pos = node.pos;
            node = Expr::new(ExprKind::Or(Box::new(node), Box::new(right)), pos);
        }
        Ok(node)
    }

    fn parse_and(&mut self) -> PResult<Expr> {
        let mut node = self.parse_not()?;
        while self.skip_symbol("and")? {
            let right = self.parse_not()?;
            let pos = node.pos;
            node = Expr::new(ExprKind::And(Box::new(node), Box::new(right)), pos);
        }
        Ok(node)
    }

    fn parse_not(&mut self) -> PResult<Expr> {
        let pos = self.here();
        if self.skip_symbol("not")? {
            self.enter()?;
            let inner = self.parse_not();
            self.leave();
            return Ok(Expr::new(ExprKind::Not(Box::new(inner?)), pos));
        }
        self.parse_in()
    }

    fn parse_in(&mut self) -> PResult<Expr> {
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

    fn parse_is(&mut self) -> PResult<Expr> {
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

    fn parse_compare(&mut self) -> PResult<Expr> {
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

    fn parse_concat(&mut self) -> PResult<Expr> {
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
    fn parse_binary(&mut self, level: usize) -> PResult<Expr> {
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

    fn parse_unary(&mut self, no_filters: bool) -> PResult<Expr> {
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

    fn parse_primary(&mut self, no_postfix: bool) -> PResult<Expr> {
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

    fn regex(&self, body: &str, flags: &str, pos: usize) -> PResult<Value> {
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

    fn parse_postfix(&mut self, mut node: Expr) -> PResult<Expr> {
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
    fn parse_compat_index(&mut self, node: Expr) -> PResult<Expr> {
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

    fn parse_filter_name(&mut self) -> PResult<Rc<str>> {
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

    fn parse_filter(&mut self, mut node: Expr) -> PResult<Expr> {
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

    fn parse_aggregate(&mut self) -> PResult<Option<Expr>> {
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

    fn parse_signature(&mut self, tolerant: bool) -> PResult<Args> {
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

fn token_text(tok: &Tok<'_>) -> String {
    match tok {
        Tok::Data(s) | Tok::Comment(s) | Tok::Symbol(s) => s.to_string(),
        Tok::Str(s) => s.to_string(),
        Tok::Int(n) | Tok::Float(n) => super::value::js_number_string(*n),
        Tok::Bool(b) => b.to_string(),
        Tok::None => "none".to_string(),
        Tok::Op(o) => o.to_string(),
        Tok::LParen => "(".into(),
        Tok::RParen => ")".into(),
        Tok::LBracket => "[".into(),
        Tok::RBracket => "]".into(),
        Tok::LCurly => "{".into(),
        Tok::RCurly => "}".into(),
        Tok::Comma => ",".into(),
        Tok::Colon => ":".into(),
        Tok::Tilde => "~".into(),
        Tok::Pipe => "|".into(),
        Tok::BlockStart { .. } => "{%".into(),
        Tok::VarStart { .. } => "${{".into(),
        Tok::BlockEnd { .. } => "%}".into(),
        Tok::VarEnd { .. } => "}}".into(),
        Tok::Regex { body, .. } => format!("r/{body}/"),
    }
}
