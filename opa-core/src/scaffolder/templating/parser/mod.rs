//! Parses tokens into nodes with nunjucks' grammar: its operator precedence (filters bind tighter
//! than any operator, `is` sits between `in` and comparisons), its whitespace control and its
//! error messages.

mod expressions;
mod statements;

use super::TemplateError;
use super::ast::Node;
use super::lexer::{Lexer, Tok, Token};

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
