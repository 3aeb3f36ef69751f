//! Statements: `if`, `for`, `set`, `raw`, `macro`, `filter`, `switch`, `block`, and the text and
//! whitespace control around them.

use std::rc::Rc;

use super::{PResult, Parser};
use crate::scaffolder::templating::ast::{Args, Expr, ExprKind, Macro, Node, SetValue};
use crate::scaffolder::templating::lexer::{Tok, Token};
use crate::scaffolder::templating::value::is_js_space;

impl Parser<'_> {
    pub(super) fn parse_nodes(&mut self) -> PResult<Vec<Node>> {
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

    pub(super) fn parse_until(&mut self, blocks: &'static [&'static str]) -> PResult<Vec<Node>> {
        self.enter()?;
        let prev = std::mem::replace(&mut self.break_on, blocks);
        let nodes = self.parse_nodes();
        self.break_on = prev;
        self.leave();
        nodes
    }

    pub(super) fn advance_after_block_end(&mut self, name: Option<&str>) -> PResult<()> {
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

    pub(super) fn advance_after_variable_end(&mut self) -> PResult<()> {
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

    pub(super) fn parse_statement(&mut self) -> PResult<Option<Node>> {
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

    pub(super) fn parse_raw(&mut self, tag: &str) -> PResult<Node> {
        self.advance_after_block_end(None)?;
        // The lexer now stands right after the tag's `%}`; nothing is peeked.
        let body = self.lexer.raw_body(tag);
        Ok(Node::Text(body))
    }

    pub(super) fn parse_if(&mut self) -> PResult<Node> {
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

    pub(super) fn parse_for(&mut self) -> PResult<Node> {
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

    pub(super) fn loop_name(&mut self) -> PResult<Rc<str>> {
        let expr = self.parse_primary(false)?;
        match expr.kind {
            ExprKind::Symbol(s) => Ok(s),
            _ => Err(self.fail("parseFor: variable name expected for loop", expr.pos)),
        }
    }

    pub(super) fn parse_set(&mut self) -> PResult<Node> {
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

    pub(super) fn parse_macro(&mut self) -> PResult<Node> {
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

    pub(super) fn parse_filter_statement(&mut self) -> PResult<Node> {
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

    pub(super) fn parse_switch(&mut self) -> PResult<Node> {
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

    pub(super) fn parse_block(&mut self) -> PResult<Node> {
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
}
