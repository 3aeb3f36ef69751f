//! Field paths, as crossplane-runtime's `fieldpath` package parses them.
//!
//! A field path names a field of a Kubernetes object in "JavaScript syntax without the leading
//! dot": `metadata.name`, `spec.containers[0].name`, `data[.config.yml]`,
//! `metadata.annotations['crossplane.io/external-name']`, `spec.items[*].name`. Periods separate
//! fields, brackets hold an index or a field name (periods have no meaning inside brackets), and
//! quotes around a field name are dropped. Errors name the byte position, as Crossplane's do.

use std::fmt;

use super::error::{PatchError, PatchResult};

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A field of an object (`*` is the wildcard).
    Field(String),
    /// An index into an array.
    Index(u32),
}

impl Segment {
    /// A field segment; quotes around the name are dropped.
    pub fn field(s: &str) -> Self {
        Segment::Field(s.trim_matches(|c| c == '\'' || c == '"').to_string())
    }

    /// An index when `s` is an unsigned 32-bit integer, a field otherwise (as between brackets).
    pub fn field_or_index(s: &str) -> Self {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(i) = s.parse::<u32>() {
                return Segment::Index(i);
            }
        }
        Segment::field(s)
    }

    /// Whether this is the `*` wildcard.
    pub fn is_wildcard(&self) -> bool {
        matches!(self, Segment::Field(f) if f == WILDCARD)
    }
}

/// The wildcard field name.
pub const WILDCARD: &str = "*";

/// A parsed field path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Segments(pub Vec<Segment>);

impl Segments {
    /// The first `n` segments.
    pub fn prefix(&self, n: usize) -> Segments {
        Segments(self.0[..n.min(self.0.len())].to_vec())
    }

    /// Number of segments.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the path has no segments.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Segments {
    /// Renders the path back, bracketing fields that hold a period or are the wildcard.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        for s in &self.0 {
            match s {
                Segment::Field(name) if name == WILDCARD || name.contains('.') => {
                    out.push('[');
                    out.push_str(name);
                    out.push(']');
                }
                Segment::Field(name) => {
                    out.push('.');
                    out.push_str(name);
                }
                Segment::Index(i) => {
                    out.push_str(&format!("[{i}]"));
                }
            }
        }
        f.write_str(out.strip_prefix('.').unwrap_or(&out))
    }
}

/// Parses a field path into segments.
pub fn parse(path: &str) -> PatchResult<Segments> {
    let mut lexer = Lexer {
        input: path,
        pos: 0,
        start: 0,
        segments: Vec::new(),
    };
    lexer.run()?;
    Ok(Segments(lexer.segments))
}

/// A lexer in the shape of crossplane-runtime's (itself a simplified text/template lexer), so
/// that the same inputs fail at the same positions with the same words.
struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    segments: Vec<Segment>,
}

enum State {
    Field,
    Period,
    LeftBracket,
    FieldOrIndex,
    RightBracket,
}

fn unexpected(c: char, pos: usize) -> PatchError {
    PatchError::new(format!("unexpected '{c}' at position {pos}"))
}

impl Lexer<'_> {
    fn run(&mut self) -> PatchResult<()> {
        let mut state = Some(State::Field);
        while let Some(s) = state {
            state = match s {
                State::Field => self.lex_field()?,
                State::Period => self.lex_period()?,
                State::LeftBracket => self.lex_left_bracket()?,
                State::FieldOrIndex => self.lex_field_or_index()?,
                State::RightBracket => {
                    self.pos += 1;
                    self.start = self.pos;
                    Some(State::Field)
                }
            };
        }
        Ok(())
    }

    /// Emits the text between `start` and `pos` (when not empty) through `make`.
    fn emit(&mut self, make: fn(&str) -> Segment) {
        if self.pos > self.start {
            let text = &self.input[self.start..self.pos];
            self.segments.push(make(text));
        }
        self.start = self.pos;
    }

    fn lex_field(&mut self) -> PatchResult<Option<State>> {
        for (i, c) in self.input[self.pos..].char_indices() {
            match c {
                ']' => return Err(unexpected(']', self.pos + i)),
                '[' => {
                    self.pos += i;
                    self.emit(Segment::field);
                    return Ok(Some(State::LeftBracket));
                }
                '.' => {
                    self.pos += i;
                    self.emit(Segment::field);
                    return Ok(Some(State::Period));
                }
                _ => {}
            }
        }
        self.pos = self.input.len();
        self.emit(Segment::field);
        Ok(None)
    }

    fn lex_period(&mut self) -> PatchResult<Option<State>> {
        if self.pos == 0 || self.pos + 1 == self.input.len() {
            return Err(unexpected('.', self.pos));
        }
        self.pos += 1;
        self.start = self.pos;
        match self.input[self.pos..].chars().next() {
            Some('.') => Err(unexpected('.', self.pos)),
            Some('[') => Err(unexpected('[', self.pos)),
            _ => Ok(Some(State::Field)),
        }
    }

    fn lex_left_bracket(&mut self) -> PatchResult<Option<State>> {
        if !self.input[self.pos..].contains(']') {
            return Err(PatchError::new(format!(
                "unterminated '[' at position {}",
                self.pos
            )));
        }
        self.pos += 1;
        self.start = self.pos;
        Ok(Some(State::FieldOrIndex))
    }

    fn lex_field_or_index(&mut self) -> PatchResult<Option<State>> {
        let rest = &self.input[self.pos..];
        let rbi = rest.find(']').unwrap_or(0);
        if rbi == 0 {
            return Err(unexpected(']', self.pos));
        }
        if let Some(lbi) = rest[..rbi].find('[') {
            return Err(unexpected('[', self.pos + lbi));
        }
        self.pos += rbi;
        self.emit(Segment::field_or_index);
        Ok(Some(State::RightBracket))
    }
}
