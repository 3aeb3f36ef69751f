//! A fast path for the plain block YAML that catalog files are made of.
//!
//! Most catalog documents use a small part of YAML: block mappings and sequences indented with
//! spaces, one-line plain and quoted scalars, one-line flow collections, literal and folded block
//! scalars, comments. This reader builds the [`Node`] tree of such a document straight from its
//! lines — several times faster than going through saphyr's event stream — and gives up
//! (`None`) on anything else: anchors, aliases, tags, multi-line plain or quoted scalars,
//! complex keys, tabs, carriage returns, directives, duplicate keys, exceeded limits, syntax
//! errors. The caller then parses the document with saphyr, so what it accepts, and every
//! position and value, is exactly what the saphyr path gives; the tests compare the two on real
//! files and on thousands of mutations of them.

use super::limits::Limits;
use super::node::{Mapping, Node, Value};
use super::parse::Document;
use super::scalar;
use super::split::Chunk;
use crate::diagnostic::Position;

/// Parses a chunk holding one document, or gives up.
pub(crate) fn parse(chunk: &Chunk<'_>, limits: &Limits) -> Option<Document> {
    let text = chunk.text;
    // Tabs, carriage returns and other control characters, a byte-order mark (and the rest of
    // U+F000..U+FFFF), and the Unicode line and paragraph separators: the saphyr path.
    if text
        .bytes()
        .any(|b| (b < 0x20 && b != b'\n') || b == 0x7f || b == 0xef)
        || text.contains(['\u{85}', '\u{2028}', '\u{2029}'])
    {
        return None;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    if lines
        .iter()
        .any(|l| l.starts_with("...") || l.starts_with('%'))
    {
        return None;
    }
    let mut reader = Reader {
        ascii: lines.iter().map(|l| l.is_ascii()).collect(),
        lines,
        line_offset: chunk.line_offset,
        ends_with_newline: text.ends_with('\n'),
        limits,
        nodes: 0,
        depth: 0,
    };
    let first = reader.next_significant(0)?;
    let marker = reader.lines[first];
    let (doc_line, start) = if marker == "---" || marker.starts_with("--- ") {
        if !rest_is_empty(&marker[3..]) {
            return None;
        }
        (first, reader.next_significant(first + 1)?)
    } else {
        (first, first)
    };
    let indent = indent(reader.lines[start]);
    let rest = &reader.lines[start][indent..];
    let (root, next) = if is_seq_item(rest) {
        reader.block_seq(start, indent, false)?
    } else if reader.key_end(start, indent).is_some() {
        reader.block_map(start, indent)?
    } else {
        return None;
    };
    if reader.next_significant(next).is_some() {
        return None;
    }
    Some(Document {
        index: 0,
        line: doc_line as u32 + 1 + chunk.line_offset,
        root: Some(root),
        error: None,
    })
}

struct Reader<'a, 'l> {
    lines: Vec<&'a str>,
    ascii: Vec<bool>,
    line_offset: u32,
    ends_with_newline: bool,
    limits: &'l Limits,
    nodes: usize,
    depth: usize,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_seq_item(s: &str) -> bool {
    s == "-" || s.starts_with("- ")
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ')
}

/// Whether what follows a value on its line is only spaces and maybe a comment.
fn rest_is_empty(rest: &str) -> bool {
    let t = rest.trim_start_matches(' ');
    t.is_empty() || (t.starts_with('#') && t.len() < rest.len())
}

/// Whether a plain scalar may start here, in block context: not on an indicator, except `-`,
/// `?` and `:` followed by a non-space.
fn plain_start_ok(s: &str) -> bool {
    plain_start(s, false)
}

/// [`plain_start_ok`] in flow context, where `-`, `?` and `:` must not be followed by a flow
/// indicator either.
fn plain_start_ok_in_flow(s: &str) -> bool {
    plain_start(s, true)
}

fn plain_start(s: &str, flow: bool) -> bool {
    let b = s.as_bytes();
    match b.first() {
        None => false,
        Some(b'-' | b'?' | b':') => b.get(1).is_some_and(|&c| {
            c != b' ' && !(flow && matches!(c, b',' | b'[' | b']' | b'{' | b'}'))
        }),
        Some(
            b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b'#' | b','
            | b'[' | b']' | b'{' | b'}',
        ) => false,
        Some(_) => true,
    }
}

impl Reader<'_, '_> {
    fn pos(&self, line: usize, byte: usize) -> Position {
        let column = if self.ascii[line] {
            byte as u32 + 1
        } else {
            self.lines[line][..byte].chars().count() as u32 + 1
        };
        Position::new(line as u32 + 1 + self.line_offset, column)
    }

    /// The first line at or after `from` that is neither blank nor a comment.
    fn next_significant(&self, from: usize) -> Option<usize> {
        (from..self.lines.len()).find(|&i| {
            let t = self.lines[i].trim_start_matches(' ');
            !(t.is_empty() || t.starts_with('#'))
        })
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.limits.max_nodes).then_some(())
    }

    fn enter(&mut self) -> Option<()> {
        self.count()?;
        if self.depth >= self.limits.max_depth {
            return None;
        }
        self.depth += 1;
        Some(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// If a block mapping key starts at `(line, col)`: the byte where its `:` is.
    fn key_end(&self, line: usize, col: usize) -> Option<usize> {
        let s = &self.lines[line][col..];
        let colon = match s.as_bytes().first()? {
            b'"' | b'\'' => col + quoted_len(s)?,
            _ if !plain_start_ok(s) => return None,
            _ => {
                let b = s.as_bytes();
                let mut i = 0;
                loop {
                    if i >= b.len() {
                        return None;
                    }
                    if b[i] == b':' && b.get(i + 1).is_none_or(|&c| c == b' ') {
                        break col + i;
                    }
                    if b[i] == b'#' && i > 0 && b[i - 1] == b' ' {
                        return None;
                    }
                    i += 1;
                }
            }
        };
        let after = self.lines[line].as_bytes().get(colon + 1);
        (self.lines[line].as_bytes().get(colon) == Some(&b':') && after.is_none_or(|&c| c == b' '))
            .then_some(colon)
    }

    /// A block mapping whose first key is at `(line, col)`; returns it and the next line.
    fn block_map(&mut self, line: usize, col: usize) -> Option<(Node, usize)> {
        self.enter()?;
        let map_pos = self.pos(line, col);
        let mut entries: Vec<(Node, Node)> = Vec::new();
        let (mut line, n) = (line, col);
        let next = loop {
            let colon = self.key_end(line, n)?;
            let key = self.key(line, n, colon)?;
            // Duplicate keys are the saphyr path's to report; very large mappings too (this
            // check is quadratic).
            if entries.len() >= 256 || entries.iter().any(|(k, _)| k.value == key.value) {
                return None;
            }
            let rest = &self.lines[line][colon + 1..];
            let (value, next) = if rest_is_empty(rest) {
                match self.next_significant(line + 1) {
                    Some(nl) if indent(self.lines[nl]) > n => {
                        self.nested_block(nl, indent(self.lines[nl]))?
                    }
                    Some(nl)
                        if indent(self.lines[nl]) == n && is_seq_item(&self.lines[nl][n..]) =>
                    {
                        self.block_seq(nl, n, true)?
                    }
                    _ => {
                        self.count()?;
                        (Node::new(Value::Null, self.pos(line, colon)), line + 1)
                    }
                }
            } else {
                let start = colon + 1 + (rest.len() - rest.trim_start_matches(' ').len());
                self.inline_value(line, start, n)?
            };
            entries.push((key, value));
            match self.next_significant(next) {
                Some(nl) if indent(self.lines[nl]) == n => {
                    if is_seq_item(&self.lines[nl][n..]) {
                        return None;
                    }
                    line = nl;
                }
                Some(nl) if indent(self.lines[nl]) > n => return None,
                _ => break next,
            }
        };
        self.leave();
        Some((Node::new(Value::Map(Mapping { entries }), map_pos), next))
    }

    /// The key of a mapping entry, from `col` to its `:` at `colon`.
    fn key(&mut self, line: usize, col: usize, colon: usize) -> Option<Node> {
        self.count()?;
        let s = &self.lines[line][col..colon];
        let pos = self.pos(line, col);
        let value = match s.as_bytes()[0] {
            b'"' => Value::String(double_quoted(s)?.0),
            b'\'' => Value::String(single_quoted(s)?.0),
            _ => {
                if s.ends_with(' ') {
                    return None;
                }
                scalar::resolve_plain(s)
            }
        };
        Some(Node::new(value, pos))
    }

    /// A block collection that starts on its own line (after `key:` or a lone `-`).
    fn nested_block(&mut self, line: usize, col: usize) -> Option<(Node, usize)> {
        if is_seq_item(&self.lines[line][col..]) {
            self.block_seq(line, col, false)
        } else if self.key_end(line, col).is_some() {
            self.block_map(line, col)
        } else {
            None
        }
    }

    /// A block sequence whose first `-` is at `(line, col)`. An indentless sequence (a mapping
    /// value at the key's own indentation) starts after its first dash, as saphyr says.
    fn block_seq(&mut self, line: usize, col: usize, indentless: bool) -> Option<(Node, usize)> {
        self.enter()?;
        let mut seq_pos = (!indentless).then(|| self.pos(line, col));
        let mut items = Vec::new();
        let (mut line, n) = (line, col);
        let next = loop {
            let after = n + 1;
            let rest = &self.lines[line][after..];
            let trimmed = rest.trim_start_matches(' ');
            if seq_pos.is_none() {
                // saphyr places an indentless sequence where its first item's token would be:
                // after the dash and the spaces on its line.
                seq_pos = Some(self.pos(line, after + (rest.len() - trimmed.len())));
            }
            let (item, next) = if trimmed.is_empty() {
                match self.next_significant(line + 1) {
                    Some(nl) if indent(self.lines[nl]) > n => {
                        self.nested_block(nl, indent(self.lines[nl]))?
                    }
                    _ => {
                        self.count()?;
                        let end = self.lines[line].len();
                        (Node::new(Value::Null, self.pos(line, end)), line + 1)
                    }
                }
            } else if trimmed.starts_with('#') {
                return None;
            } else {
                let start = after + (rest.len() - trimmed.len());
                if is_seq_item(trimmed) {
                    self.block_seq(line, start, false)?
                } else if self.key_end(line, start).is_some() {
                    self.block_map(line, start)?
                } else {
                    self.inline_value(line, start, n)?
                }
            };
            items.push(item);
            match self.next_significant(next) {
                Some(nl) if indent(self.lines[nl]) == n && is_seq_item(&self.lines[nl][n..]) => {
                    line = nl;
                }
                Some(nl) if indent(self.lines[nl]) > n => return None,
                _ => break next,
            }
        };
        self.leave();
        Some((Node::new(Value::Seq(items), seq_pos?), next))
    }

    /// A value that starts on the line of its key or dash, at byte `start`, in a block whose
    /// indentation is `n`.
    fn inline_value(&mut self, line: usize, start: usize, n: usize) -> Option<(Node, usize)> {
        let s = &self.lines[line][start..];
        let pos = self.pos(line, start);
        let (value, end) = match s.as_bytes()[0] {
            b'"' => {
                self.count()?;
                let (v, len) = double_quoted(s)?;
                (Node::new(Value::String(v), pos), start + len)
            }
            b'\'' => {
                self.count()?;
                let (v, len) = single_quoted(s)?;
                (Node::new(Value::String(v), pos), start + len)
            }
            b'[' | b'{' => self.flow(line, start)?,
            b'|' | b'>' => return self.block_scalar(line, start, n),
            _ if !plain_start_ok(s) => return None,
            _ => {
                self.count()?;
                let b = s.as_bytes();
                let mut end = b.len();
                for i in 1..b.len() {
                    if b[i] == b'#' && b[i - 1] == b' ' {
                        end = i;
                        break;
                    }
                }
                let text = s[..end].trim_end_matches(' ');
                if text.contains(": ") || text.ends_with(':') {
                    return None;
                }
                let node = Node::new(scalar::resolve_plain(text), pos);
                return Some((node, line + 1));
            }
        };
        rest_is_empty(&self.lines[line][end..]).then_some((value, line + 1))
    }

    /// A one-line flow sequence or mapping at `(line, start)`; returns it and the byte after it.
    fn flow(&mut self, line: usize, start: usize) -> Option<(Node, usize)> {
        self.enter()?;
        let s = self.lines[line];
        let b = s.as_bytes();
        let pos = self.pos(line, start);
        let is_map = b[start] == b'{';
        let close = if is_map { b'}' } else { b']' };
        let mut i = start + 1;
        let mut items = Vec::new();
        let mut entries = Vec::new();
        let skip = |i: &mut usize| {
            while b.get(*i) == Some(&b' ') {
                *i += 1;
            }
        };
        skip(&mut i);
        if b.get(i) == Some(&close) {
            i += 1;
        } else {
            loop {
                let first = self.flow_scalar_or_collection(line, &mut i, is_map)?;
                if is_map {
                    // `key: value`, the key a scalar.
                    if !matches!(
                        first.value,
                        Value::String(_) | Value::Int(_) | Value::Bool(_)
                    ) || b.get(i) != Some(&b':')
                        || b.get(i + 1) != Some(&b' ')
                    {
                        return None;
                    }
                    i += 1;
                    skip(&mut i);
                    let value = self.flow_scalar_or_collection(line, &mut i, false)?;
                    if entries
                        .iter()
                        .any(|(k, _): &(Node, Node)| k.value == first.value)
                    {
                        return None;
                    }
                    entries.push((first, value));
                } else {
                    items.push(first);
                }
                skip(&mut i);
                match b.get(i) {
                    Some(b',') => {
                        i += 1;
                        skip(&mut i);
                        if matches!(b.get(i), Some(b']' | b'}' | b',') | None) {
                            return None;
                        }
                    }
                    Some(&c) if c == close => {
                        i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.leave();
        let value = if is_map {
            Value::Map(Mapping { entries })
        } else {
            Value::Seq(items)
        };
        Some((Node::new(value, pos), i))
    }

    /// An item of a flow collection at byte `*i`; advances `*i` past it (not past spaces after).
    fn flow_scalar_or_collection(
        &mut self,
        line: usize,
        i: &mut usize,
        is_key: bool,
    ) -> Option<Node> {
        let s = self.lines[line];
        let rest = &s[*i..];
        let pos = self.pos(line, *i);
        match rest.as_bytes().first()? {
            b'[' | b'{' if !is_key => {
                let (node, end) = self.flow(line, *i)?;
                *i = end;
                Some(node)
            }
            b'"' => {
                self.count()?;
                let (v, len) = double_quoted(rest)?;
                *i += len;
                Some(Node::new(Value::String(v), pos))
            }
            b'\'' => {
                self.count()?;
                let (v, len) = single_quoted(rest)?;
                *i += len;
                Some(Node::new(Value::String(v), pos))
            }
            _ if !plain_start_ok_in_flow(rest) => None,
            _ => {
                self.count()?;
                let b = rest.as_bytes();
                let mut end = b.len();
                for (k, &c) in b.iter().enumerate() {
                    let stop = match c {
                        b',' | b'[' | b']' | b'{' | b'}' => true,
                        b':' => b
                            .get(k + 1)
                            .is_none_or(|&n| matches!(n, b' ' | b',' | b']' | b'}')),
                        b'#' => k > 0 && b[k - 1] == b' ',
                        _ => false,
                    };
                    if stop {
                        end = k;
                        break;
                    }
                }
                if end == b.len() {
                    return None; // the collection goes on to the next line
                }
                let text = rest[..end].trim_end_matches(' ');
                if b[end] == b':' && !is_key {
                    return None; // an implicit mapping inside a flow sequence
                }
                *i += text.len();
                Some(Node::new(scalar::resolve_plain(text), pos))
            }
        }
    }

    /// A literal (`|`) or folded (`>`) block scalar whose header is at `(line, start)`, in a
    /// block indented by `n`. Gives up on indentation indicators, leading blank lines, and (for
    /// folded scalars) more-indented lines, whose rules are subtle.
    fn block_scalar(&mut self, line: usize, start: usize, n: usize) -> Option<(Node, usize)> {
        self.count()?;
        let header = &self.lines[line][start..];
        let folded = header.starts_with('>');
        let (chomp, rest) = match header.as_bytes().get(1) {
            Some(b'-') => (Chomp::Strip, &header[2..]),
            Some(b'+') => (Chomp::Keep, &header[2..]),
            _ => (Chomp::Clip, &header[1..]),
        };
        if !(rest.is_empty() || rest_is_empty(rest)) {
            return None;
        }
        let first = line + 1;
        let first_line = *self.lines.get(first)?;
        if is_blank(first_line) {
            return None;
        }
        let bi = indent(first_line);
        if bi <= n {
            return None;
        }
        let mut k = first;
        let mut last_content = first;
        while k < self.lines.len() {
            let l = self.lines[k];
            if is_blank(l) {
                if l.len() > bi {
                    return None;
                }
            } else if indent(l) >= bi {
                if folded && indent(l) > bi {
                    return None;
                }
                last_content = k;
            } else {
                break;
            }
            k += 1;
        }
        // A block scalar that runs to the end of a stream without a final newline: saphyr's
        // rules for its last line differ; leave it to saphyr.
        if k == self.lines.len() && !self.ends_with_newline {
            return None;
        }
        let mut body = String::new();
        let mut blanks = 0usize;
        for (j, l) in self.lines[first..=last_content].iter().enumerate() {
            if is_blank(l) {
                blanks += 1;
                continue;
            }
            if j > 0 {
                if folded {
                    if blanks == 0 {
                        body.push(' ');
                    }
                    body.extend(std::iter::repeat_n('\n', blanks));
                } else {
                    body.extend(std::iter::repeat_n('\n', blanks + 1));
                }
            }
            blanks = 0;
            body.push_str(&l[bi..]);
        }
        // The line breaks after the last content line: its own, and one per trailing blank line
        // that ends with one (the chunk's last line never does).
        let mut trailing = k - last_content - 1;
        if k == self.lines.len() {
            trailing = trailing.saturating_sub(1);
        }
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => body.push('\n'),
            Chomp::Keep => body.extend(std::iter::repeat_n('\n', trailing + 1)),
        }
        let pos = self.pos(first, bi);
        Some((Node::new(Value::String(body), pos), k))
    }
}

enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// The byte length of the quoted scalar at the start of `s` (quotes included), if it ends on
/// this line.
fn quoted_len(s: &str) -> Option<usize> {
    match s.as_bytes()[0] {
        b'"' => double_quoted(s).map(|(_, len)| len),
        _ => single_quoted(s).map(|(_, len)| len),
    }
}

/// A one-line double-quoted scalar at the start of `s`: its value and byte length.
fn double_quoted(s: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, i + 1)),
            '\\' => {
                let (_, e) = chars.next()?;
                let simple = match e {
                    '0' => Some('\0'),
                    'a' => Some('\u{7}'),
                    'b' => Some('\u{8}'),
                    't' => Some('\t'),
                    'n' => Some('\n'),
                    'v' => Some('\u{b}'),
                    'f' => Some('\u{c}'),
                    'r' => Some('\r'),
                    'e' => Some('\u{1b}'),
                    ' ' => Some(' '),
                    '"' => Some('"'),
                    '/' => Some('/'),
                    '\\' => Some('\\'),
                    'N' => Some('\u{85}'),
                    '_' => Some('\u{a0}'),
                    'L' => Some('\u{2028}'),
                    'P' => Some('\u{2029}'),
                    _ => None,
                };
                if let Some(c) = simple {
                    out.push(c);
                    continue;
                }
                let digits = match e {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    _ => return None,
                };
                let mut code = 0u32;
                for _ in 0..digits {
                    let (_, d) = chars.next()?;
                    code = code * 16 + d.to_digit(16)?;
                }
                out.push(char::from_u32(code)?);
            }
            _ => out.push(c),
        }
    }
    None
}

/// A one-line single-quoted scalar at the start of `s`: its value and byte length.
fn single_quoted(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut i = 1;
    let mut run = 1;
    while i < b.len() {
        if b[i] == b'\'' {
            out.push_str(&s[run..i]);
            if b.get(i + 1) == Some(&b'\'') {
                out.push('\'');
                i += 2;
                run = i;
                continue;
            }
            return Some((out, i + 1));
        }
        i += 1;
    }
    None
}

#[cfg(test)]
#[path = "../../benches/support/generate.rs"]
mod generate;

#[cfg(test)]
mod tests {
    //! The fast path must agree with the saphyr path on every document it accepts: same tree,
    //! same values, same positions; and it must never accept what saphyr rejects.

    use std::path::{Path, PathBuf};

    use super::*;
    use crate::yaml::parse::parse_chunk_events;
    use crate::yaml::split::split;

    use super::generate;

    /// Compares both paths on every chunk of `text`; returns (chunks, chunks the fast path took).
    fn compare(text: &str, what: &str) -> (usize, usize) {
        let limits = Limits::default();
        let mut taken = 0;
        let chunks = split(text);
        for chunk in &chunks {
            if let Some(fast) = parse(chunk, &limits) {
                taken += 1;
                let slow = parse_chunk_events(chunk, &limits);
                assert_eq!(
                    slow,
                    vec![fast],
                    "{what}: the fast path disagrees on\n{}",
                    chunk.text
                );
            }
        }
        (chunks.len(), taken)
    }

    const SNIPPETS: &[&str] = &[
        "---\na: 1\nb:\nc: \"x\"\nd: |\n  lit\ne: [a, b]\nf:\n  - x\n  - k: v\n    k2: v2\ng: {a: b}\nh: >-\n  fold\n  ed\ni: 'q'\nj:\n- y\nk: # comment\n  z: 1\nl: ~\n",
        "j:\n- k: v\n  k2: v2\n- y\nm:\n-\n- - a\n  - b\nn:   \no: # c\np:\n  # deep comment\nq: x\n",
        "- a\n- b: 1\n",
        "\"quoted key\": 1\n'sq': 2\nurl: https://x.y/z # trailing\nsp: a b  c   \nempty_flow: []\nempty_map: {}\nu: é€x\nvé: 1\nlast:\n",
        "a: |+\n  x\n\nb: >\n  p\n  q\n\n  r\nc: |-\n  s\n\n\nd: [\"q\", 'r', 3]\ne: {a: b, c: [x]}\nf: \"a\\tb\\u00e9\"\n",
        "# c\n\na: 1\n",
        "-   \n- x\n",
        "a:\n    b: 1\nc: 2",
        "a:\n  - x\n  -\n  - y\nb:\n  -   z\n",
        "a: |\n  x\n   y\n  z\nb: |\n  last",
        "a: >\n  x\n\n\n  y\n",
        "a: |+\n  x\n\n\n",
        "a: |-\n  x\n",
        "a: 'it''s'\nb: \"say \\\"hi\\\"\"\nc: ''\nd: \"\"\n",
        "a: [1, 2.5, true, null, ~, 0x1F, -3, .inf, 1e3]\n",
        "a: {x: 1, 'y': [a, b], \"z\": {q: r}}\n",
        "a: b: c\n",
        "a: [a, b\n",
        "a: [a, b,]\n",
        "a: {a}\n",
        "a: 1\na: 2\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "? a\n: b\n",
        "a:\n  b\n",
        "a: b\n  c\n",
        "a: 'multi\n  line'\n",
        "- a\n  - b\n",
        "a:\n- b\nc: d\n",
        "  a: 1\n  b: 2\n",
        "  a: 1\nb: 2\n",
        "a: 1\n - b\n",
        "--- # c\na: 1\n",
        "--- a\n",
        "---\n",
        "a: -1\nb: - x\n",
        "a: 1 # c\nb: '2' # c\nc: [3] # c\nd: {e: 4} # c\n",
        "a: x #not-a-comment\nb: x#y\n",
        "a: ${{ values.name }}\nb: '${{ values.x | dump }}'\n",
        "a:\n  - name: x\n    value: y\n  - name: z\n",
        "é: ü\n'ü': [é, 'ß']\n",
        "a: |\n  # not a comment\n  x\n# a comment\nb: 1\n",
        "a: |\n\n  x\n",
        "a: |2\n   x\n",
        "a: >\n  x\n    y\n  z\n",
        "- |\n  x\n- >-\n  y\n",
        "-\n  a: 1\n-\n  - b\n",
        "a: \"\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\\e\\0\\ \"\n",
        "a: \"\\q\"\n",
        "a: [\"a,b\", 'c]d', e:f]\n",
        "a: [a: b]\n",
        "a: {a: b, a: c}\n",
        "a: [[1, [2]], {}]\n",
        "a: 1\n...\n",
        "%YAML 1.2\n---\na: 1\n",
        "a:\tb\n",
        "a: b\r\n",
        "100: x\ntrue: y\nnull: z\n",
    ];

    #[test]
    fn snippets_agree() {
        let mut taken = 0;
        for (i, s) in SNIPPETS.iter().enumerate() {
            taken += compare(s, &format!("snippet {i}")).1;
        }
        assert!(
            taken >= 25,
            "the fast path should take most snippets, took {taken}"
        );
    }

    #[test]
    fn generated_catalog_agrees_and_takes_the_fast_path() {
        let text = generate::catalog(400);
        let (chunks, taken) = compare(&text, "generated catalog");
        assert_eq!(
            chunks, taken,
            "every generated entity should take the fast path"
        );
    }

    fn corpus_files() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("../examples")];
        let corpus = root.join("../../shared/corpus");
        if corpus.is_dir() {
            dirs.push(corpus);
        } else {
            eprintln!(
                "the shared corpus ({}) is absent: compared on the examples only",
                corpus.display()
            );
        }
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
                    files.push(p);
                }
            }
        }
        files.sort();
        files
    }

    #[test]
    fn real_files_agree() {
        let (mut chunks, mut taken) = (0, 0);
        for file in corpus_files() {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let (c, t) = compare(&text, &file.display().to_string());
            chunks += c;
            taken += t;
        }
        eprintln!("fast path took {taken} of {chunks} documents of real files");
    }

    /// A small deterministic generator (xorshift) for mutations.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 11) as usize
        }

        fn below(&mut self, n: usize) -> usize {
            if n == 0 { 0 } else { self.next() % n }
        }
    }

    const TOKENS: &[&str] = &[
        " ", "  ", "- ", "-", ": ", ":", "#", " #", "'", "\"", "[", "]", "{", "}", ",", "|", ">",
        "|-", ">+", "&a ", "*a", "!t ", "? ", "---", "...", "\\", "é", "\n", "\n  ", "\n- ",
        "\n  - ", "x: ", "1", "~", "\t", "\"\\u00", "''",
    ];

    fn mutate(text: &str, rng: &mut Rng) -> String {
        let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
        for _ in 0..1 + rng.below(3) {
            let i = rng.below(lines.len());
            match rng.below(6) {
                0 | 1 => {
                    let line = &mut lines[i];
                    let bounds: Vec<usize> = line
                        .char_indices()
                        .map(|(b, _)| b)
                        .chain(std::iter::once(line.len()))
                        .collect();
                    let at = bounds[rng.below(bounds.len())];
                    line.insert_str(at, TOKENS[rng.below(TOKENS.len())]);
                }
                2 => {
                    let line = &mut lines[i];
                    if let Some((b, c)) = line
                        .char_indices()
                        .nth(rng.below(line.chars().count().max(1)))
                    {
                        line.replace_range(b..b + c.len_utf8(), "");
                    }
                }
                3 => {
                    let copy = lines[i].clone();
                    lines.insert(i, copy);
                }
                4 => {
                    let line = &mut lines[i];
                    if rng.below(2) == 0 {
                        line.insert_str(0, &" ".repeat(1 + rng.below(2)));
                    } else if line.starts_with(' ') {
                        line.remove(0);
                    }
                }
                _ => {
                    if i + 1 < lines.len() {
                        lines.swap(i, i + 1);
                    }
                }
            }
        }
        lines.join("\n")
    }

    #[test]
    fn mutations_agree() {
        let mut seeds: Vec<String> = SNIPPETS.iter().map(|s| (*s).to_owned()).collect();
        seeds.extend(
            split(&generate::catalog(40))
                .iter()
                .map(|c| c.text.to_owned()),
        );
        for file in corpus_files() {
            if let Ok(text) = std::fs::read_to_string(&file) {
                seeds.extend(split(&text).iter().map(|c| c.text.to_owned()));
            }
        }
        // OPA_FAST_MUTATIONS=N and OPA_FAST_SEED=S run more (or other) mutations.
        let env = |name: &str, default: usize| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ env("OPA_FAST_SEED", 0) as u64);
        let per_seed = (env("OPA_FAST_MUTATIONS", 12_000) / seeds.len()).max(20);
        let (mut total, mut taken) = (0, 0);
        for seed in &seeds {
            for _ in 0..per_seed {
                let mutated = mutate(seed, &mut rng);
                let (c, t) = compare(&mutated, "a mutation");
                total += c;
                taken += t;
            }
        }
        eprintln!("mutations: fast path took {taken} of {total} documents");
        assert!(
            taken > total / 10,
            "too few mutations took the fast path: {taken} of {total}"
        );
    }
}
