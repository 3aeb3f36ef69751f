//! Splits a template into tokens exactly as nunjucks' lexer does (same delimiters, same quirks:
//! a `}}` closes an expression even inside a `{% %}` tag, and a stray `#}` in text is an error).

use std::borrow::Cow;

use super::TemplateError;
use super::value::is_js_space;

/// Which delimiters a template uses.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tags {
    /// `${{` (Backstage) or `{{` (cookiecutter compatibility).
    pub var_start: &'static str,
}

const BLOCK_START: &str = "{%";
const BLOCK_END: &str = "%}";
const VAR_END: &str = "}}";
const COMMENT_START: &str = "{#";
const COMMENT_END: &str = "#}";
const WHITESPACE: &[u8] = b" \n\t\r";
const DELIMS: &[u8] = b"()[]{}%*-+~/#,:|.<>=!";

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok<'s> {
    Data(&'s str),
    /// A whole comment, delimiters included.
    Comment(&'s str),
    BlockStart {
        trim_before: bool,
    },
    VarStart {
        trim_before: bool,
    },
    BlockEnd {
        trim_after: bool,
    },
    VarEnd {
        trim_after: bool,
    },
    Str(Cow<'s, str>),
    Int(f64),
    Float(f64),
    Bool(bool),
    None,
    Symbol(&'s str),
    Regex {
        body: String,
        flags: String,
    },
    LParen,
    RParen,
    LBracket,
    RBracket,
    LCurly,
    RCurly,
    Comma,
    Colon,
    Tilde,
    Pipe,
    Op(&'static str),
}

impl Tok<'_> {
    /// nunjucks' name for the token type, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Tok::Data(_) => "data",
            Tok::Comment(_) => "comment",
            Tok::BlockStart { .. } => "block-start",
            Tok::VarStart { .. } => "variable-start",
            Tok::BlockEnd { .. } => "block-end",
            Tok::VarEnd { .. } => "variable-end",
            Tok::Str(_) => "string",
            Tok::Int(_) => "int",
            Tok::Float(_) => "float",
            Tok::Bool(_) => "boolean",
            Tok::None => "none",
            Tok::Symbol(_) => "symbol",
            Tok::Regex { .. } => "regex",
            Tok::LParen => "left-paren",
            Tok::RParen => "right-paren",
            Tok::LBracket => "left-bracket",
            Tok::RBracket => "right-bracket",
            Tok::LCurly => "left-curly",
            Tok::RCurly => "right-curly",
            Tok::Comma => "comma",
            Tok::Colon => "colon",
            Tok::Tilde => "tilde",
            Tok::Pipe => "pipe",
            Tok::Op(_) => "operator",
        }
    }
}

/// A token and the byte offset where it starts.
#[derive(Debug, Clone)]
pub(crate) struct Token<'s> {
    pub tok: Tok<'s>,
    pub pos: usize,
}

pub(crate) struct Lexer<'s> {
    pub src: &'s str,
    pub pos: usize,
    in_code: bool,
    tags: Tags,
    trim_blocks: bool,
    lstrip_blocks: bool,
    /// Bytes that may start a tag in text: `{`, `#` and the first byte of `var_start`.
    begin: [u8; 3],
}

/// 1-based line and column (in characters) of a byte offset, as nunjucks reports them.
pub(crate) fn line_col(src: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(src.len());
    let before = &src[..pos];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = src[line_start..pos].chars().count() + 1;
    (line, column)
}

impl<'s> Lexer<'s> {
    pub(crate) fn new(src: &'s str, tags: Tags, trim_blocks: bool, lstrip_blocks: bool) -> Self {
        Lexer {
            src,
            pos: 0,
            in_code: false,
            tags,
            trim_blocks,
            lstrip_blocks,
            begin: [b'{', b'#', tags.var_start.as_bytes()[0]],
        }
    }

    pub(crate) fn error(&self, pos: usize, message: impl Into<String>) -> TemplateError {
        let (line, column) = line_col(self.src, pos);
        TemplateError::Syntax {
            line,
            column,
            message: message.into(),
        }
    }

    /// Byte-wise, so it is safe at any offset (inside a multi-byte character too).
    fn matches(&self, s: &str) -> bool {
        self.src.as_bytes()[self.pos.min(self.src.len())..].starts_with(s.as_bytes())
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.matches(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// The next token, skipping whitespace inside tags; `None` at the end.
    pub(crate) fn next_token(&mut self) -> Result<Option<Token<'s>>, TemplateError> {
        loop {
            let start = self.pos;
            if self.pos >= self.src.len() {
                return Ok(None);
            }
            let tok = if self.in_code {
                match self.code_token()? {
                    Some(tok) => tok,
                    None => continue, // whitespace
                }
            } else {
                match self.text_token()? {
                    Some(tok) => tok,
                    None => continue, // all stripped by lstripBlocks
                }
            };
            return Ok(Some(Token { tok, pos: start }));
        }
    }

    fn text_token(&mut self) -> Result<Option<Tok<'s>>, TemplateError> {
        let var_start = self.tags.var_start;
        if self.eat(BLOCK_START) {
            self.in_code = true;
            return Ok(Some(Tok::BlockStart {
                trim_before: self.eat("-"),
            }));
        }
        if self.eat(var_start) {
            self.in_code = true;
            return Ok(Some(Tok::VarStart {
                trim_before: self.eat("-"),
            }));
        }
        let start = self.pos;
        let in_comment = self.eat(COMMENT_START);
        let bytes = self.src.as_bytes();
        loop {
            // Jump to the next byte that may start or end a tag.
            let next = memchr::memchr3(
                self.begin[0],
                self.begin[1],
                self.begin[2],
                &bytes[self.pos..],
            );
            let Some(offset) = next else {
                self.pos = bytes.len();
                if in_comment {
                    return Err(self.error(start, "expected end of comment, got end of file"));
                }
                break;
            };
            self.pos += offset;
            if !in_comment
                && (self.matches(BLOCK_START)
                    || self.matches(var_start)
                    || self.matches(COMMENT_START))
            {
                if self.lstrip_blocks && self.matches(BLOCK_START) {
                    if let Some(stripped) = self.lstrip(start) {
                        if stripped == start {
                            return Ok(None);
                        }
                        return Ok(Some(Tok::Data(&self.src[start..stripped])));
                    }
                }
                break;
            } else if self.matches(COMMENT_END) {
                if !in_comment {
                    return Err(self.error(self.pos, "unexpected end of comment"));
                }
                self.pos += COMMENT_END.len();
                break;
            } else {
                self.pos += 1;
            }
        }
        let text = &self.src[start..self.pos];
        Ok(Some(if in_comment {
            Tok::Comment(text)
        } else {
            Tok::Data(text)
        }))
    }

    /// `lstripBlocks`: where the text before a `{%` ends once the spaces that start its line are
    /// dropped, or `None` when the line has anything else before the tag.
    fn lstrip(&self, start: usize) -> Option<usize> {
        let text = &self.src[start..self.pos];
        let line_start = match text.rfind('\n') {
            Some(i) => start + i + 1,
            // The whole line must lie in this token: it starts at the beginning of a line.
            None if start == 0 || self.src.as_bytes()[start - 1] == b'\n' => start,
            None => return None,
        };
        let prefix = &self.src[line_start..self.pos];
        (!prefix.is_empty() && prefix.chars().all(is_js_space)).then_some(line_start)
    }

    fn code_token(&mut self) -> Result<Option<Tok<'s>>, TemplateError> {
        let bytes = self.src.as_bytes();
        let c = bytes[self.pos];
        if c == b'"' || c == b'\'' {
            return Ok(Some(Tok::Str(self.string(c))));
        }
        if WHITESPACE.contains(&c) || self.matches("\u{a0}") {
            while self.pos < bytes.len() {
                if WHITESPACE.contains(&bytes[self.pos]) {
                    self.pos += 1;
                } else if self.matches("\u{a0}") {
                    self.pos += 2;
                } else {
                    break;
                }
            }
            return Ok(None);
        }
        let block_end = if self.eat(BLOCK_END) {
            Some(false)
        } else if self.eat("-%}") {
            Some(true)
        } else {
            None
        };
        if let Some(trim_after) = block_end {
            self.in_code = false;
            if self.trim_blocks {
                if self.matches("\n") {
                    self.pos += 1;
                } else if self.matches("\r\n") {
                    self.pos += 2;
                }
            }
            return Ok(Some(Tok::BlockEnd { trim_after }));
        }
        let var_end = if self.eat(VAR_END) {
            Some(false)
        } else if self.eat("-}}") {
            Some(true)
        } else {
            None
        };
        if let Some(trim_after) = var_end {
            self.in_code = false;
            return Ok(Some(Tok::VarEnd { trim_after }));
        }
        if c == b'r' && bytes.get(self.pos + 1) == Some(&b'/') {
            return Ok(Some(self.regex()));
        }
        if DELIMS.contains(&c) {
            self.pos += 1;
            let mut op = &self.src[self.pos - 1..self.pos];
            const COMPLEX: [&str; 8] = ["==", "===", "!=", "!==", "<=", ">=", "//", "**"];
            // Delimiters are ASCII: compare bytes so a multi-byte character after one is safe.
            let complex = |start: usize, end: usize| {
                bytes
                    .get(start..end)
                    .and_then(|b| COMPLEX.iter().find(|op| op.as_bytes() == b))
                    .copied()
            };
            if let Some(two) = complex(self.pos - 1, self.pos + 1) {
                self.pos += 1;
                op = two;
                if let Some(three) = complex(self.pos - 2, self.pos + 1) {
                    self.pos += 1;
                    op = three;
                }
            }
            return Ok(Some(match op {
                "(" => Tok::LParen,
                ")" => Tok::RParen,
                "[" => Tok::LBracket,
                "]" => Tok::RBracket,
                "{" => Tok::LCurly,
                "}" => Tok::RCurly,
                "," => Tok::Comma,
                ":" => Tok::Colon,
                "~" => Tok::Tilde,
                "|" => Tok::Pipe,
                other => Tok::Op(static_op(other)),
            }));
        }
        // A word: everything up to whitespace or a delimiter.
        let start = self.pos;
        while self.pos < bytes.len() {
            let b = bytes[self.pos];
            if WHITESPACE.contains(&b) || DELIMS.contains(&b) || self.matches("\u{a0}") {
                break;
            }
            self.pos += 1;
        }
        // Stay on a character boundary (a multi-byte character never holds a delimiter byte).
        while !self.src.is_char_boundary(self.pos) {
            self.pos += 1;
        }
        let word = &self.src[start..self.pos];
        if is_int_word(word) {
            if self.matches(".") {
                self.pos += 1;
                let frac_start = self.pos;
                while self.pos < bytes.len() && bytes[self.pos].is_ascii_digit() {
                    self.pos += 1;
                }
                let text = format!("{word}.{}", &self.src[frac_start..self.pos]);
                return Ok(Some(Tok::Float(super::value::parse_float_prefix(&text))));
            }
            return Ok(Some(Tok::Int(super::value::parse_int_prefix(word, 10))));
        }
        Ok(Some(match word {
            "true" => Tok::Bool(true),
            "false" => Tok::Bool(false),
            "none" | "null" => Tok::None,
            _ => Tok::Symbol(word),
        }))
    }

    fn string(&mut self, quote: u8) -> Cow<'s, str> {
        self.pos += 1;
        let start = self.pos;
        let bytes = self.src.as_bytes();
        // Fast path: no escapes.
        let mut i = self.pos;
        while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\\' {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == quote {
            self.pos = (i + 1).min(bytes.len());
            return Cow::Borrowed(&self.src[start..i]);
        }
        let mut out = String::from(&self.src[start..i]);
        let mut chars = self.src[i..].char_indices();
        let mut end = self.src.len();
        while let Some((off, ch)) = chars.next() {
            if ch as u32 == u32::from(quote) {
                end = i + off + 1;
                break;
            }
            if ch == '\\' {
                match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, 'r')) => out.push('\r'),
                    Some((_, other)) => out.push(other),
                    None => {}
                }
            } else {
                out.push(ch);
            }
        }
        self.pos = end;
        Cow::Owned(out)
    }

    fn regex(&mut self) -> Tok<'s> {
        self.pos += 2;
        let mut body = String::new();
        let mut prev = '\0';
        let mut chars = self.src[self.pos..].char_indices();
        let mut consumed = self.src.len() - self.pos;
        for (off, ch) in chars.by_ref() {
            if ch == '/' && prev != '\\' {
                consumed = off + 1;
                break;
            }
            body.push(ch);
            prev = ch;
        }
        self.pos += consumed;
        let mut flags = String::new();
        while let Some(&b) = self.src.as_bytes().get(self.pos) {
            if matches!(b, b'g' | b'i' | b'm' | b'y') {
                flags.push(b as char);
                self.pos += 1;
            } else {
                break;
            }
        }
        Tok::Regex { body, flags }
    }

    /// For `{% raw %}`: the text up to the matching `{% endraw %}` (nested raw blocks counted),
    /// leaving the lexer after it. Mirrors nunjucks' regular expression, which does not accept
    /// whitespace control on these tags.
    pub(crate) fn raw_body(&mut self, tag: &str) -> String {
        let end_tag = format!("end{tag}");
        let mut level = 1;
        let mut out = String::new();
        while let Some((pre_end, name, after)) = self.find_raw_tag(tag, &end_tag) {
            let pre = &self.src[self.pos..pre_end];
            if name == tag {
                level += 1;
            } else {
                level -= 1;
            }
            if level == 0 {
                out.push_str(pre);
                self.pos = after;
                break;
            }
            out.push_str(&self.src[self.pos..after]);
            self.pos = after;
        }
        out
    }

    /// The next `{%\s*(tag|endtag)\s*%}`: where it starts, which name, and where it ends.
    fn find_raw_tag(&self, tag: &str, end_tag: &str) -> Option<(usize, String, usize)> {
        let mut from = self.pos;
        while let Some(i) = self.src[from..].find("{%") {
            let at = from + i;
            let after_open = &self.src[at + 2..];
            let trimmed = after_open.trim_start_matches(is_js_space);
            let ws = after_open.len() - trimmed.len();
            for name in [tag, end_tag] {
                if let Some(rest) = trimmed.strip_prefix(name) {
                    let rest_trimmed = rest.trim_start_matches(is_js_space);
                    if rest_trimmed.starts_with("%}") {
                        let end = at + 2 + ws + name.len() + (rest.len() - rest_trimmed.len()) + 2;
                        return Some((at, name.to_string(), end));
                    }
                }
            }
            from = at + 1;
        }
        None
    }
}

fn is_int_word(word: &str) -> bool {
    let digits = word.strip_prefix(['-', '+']).unwrap_or(word);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn static_op(op: &str) -> &'static str {
    const OPS: [&str; 24] = [
        "%", "*", "-", "+", "/", "#", ".", "<", ">", "=", "!", "==", "===", "!=", "!==", "<=",
        ">=", "//", "**", "(", ")", "[", "]", "|",
    ];
    OPS.iter().find(|o| **o == op).copied().unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<String> {
        let mut lx = Lexer::new(src, Tags { var_start: "${{" }, false, false);
        let mut out = Vec::new();
        while let Some(t) = lx.next_token().unwrap() {
            out.push(match t.tok {
                Tok::Data(d) => format!("data:{d}"),
                Tok::Symbol(s) => format!("sym:{s}"),
                Tok::Op(o) => format!("op:{o}"),
                other => other.kind().to_string(),
            });
        }
        out
    }

    #[test]
    fn dollar_braces_open_an_expression_and_plain_braces_are_text() {
        assert_eq!(
            kinds("a {{ b }} ${{ c }}"),
            ["data:a {{ b }} ", "variable-start", "sym:c", "variable-end"]
        );
    }

    #[test]
    fn strict_equality_is_one_operator() {
        assert_eq!(
            kinds("${{a===b!==c}}"),
            [
                "variable-start",
                "sym:a",
                "op:===",
                "sym:b",
                "op:!==",
                "sym:c",
                "variable-end"
            ]
        );
    }

    #[test]
    fn a_stray_comment_end_is_an_error() {
        let mut lx = Lexer::new("a #} b", Tags { var_start: "${{" }, false, false);
        assert!(lx.next_token().is_err());
    }

    #[test]
    fn positions_count_characters() {
        assert_eq!(line_col("ab\ncé${{", 6), (2, 3));
    }
}
