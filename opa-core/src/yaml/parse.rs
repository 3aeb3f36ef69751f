//! From saphyr's event stream to [`Node`] trees, one [`Document`] at a time.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

use super::limits::Limits;
use super::node::{Mapping, Node, Value};
use super::scalar;
use super::split::{self, Chunk};
use crate::diagnostic::{Diagnostic, Position, codes};

/// One document of a YAML stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// 0-based index of the document in its stream, counting every document, empty ones included.
    pub index: usize,
    /// 1-based line where the document starts.
    pub line: u32,
    /// The document's root node; `None` when the document is empty or could not be parsed.
    pub root: Option<Node>,
    /// Why the document could not be parsed (`yaml-syntax`, `duplicate-key`, `limit-exceeded`).
    pub error: Option<Diagnostic>,
}

/// Streams bigger than this are parsed on every core.
const PARALLEL_THRESHOLD: usize = 256 * 1024;

/// Documents parsed at a time: bounds the memory held by parsed trees when the caller maps each
/// document to something smaller.
const BATCH_CHUNKS: usize = 8192;

/// Where a document's text lies in its stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocumentSource {
    /// Byte offset of the text holding the document (usually exactly the document).
    pub start: usize,
    /// Length in bytes of that text.
    pub len: usize,
    /// Lines before that text in the stream.
    pub line_offset: u32,
}

/// Parses every document of a YAML stream. Never fails: a document that cannot be parsed carries
/// its `error`, and the documents around it are still parsed.
pub fn parse_documents(text: &str, limits: &Limits) -> Vec<Document> {
    map_sources(text, limits, |doc, _| doc)
}

/// Parses every document of a YAML stream and hands each to `f` as soon as it is read, keeping
/// only what `f` returns, in document order. Large streams are parsed and mapped on every core,
/// and only a bounded batch of parsed trees is alive at a time, so a catalog file of millions of
/// entities can be read in little memory. Documents are numbered and limited as in
/// [`parse_documents`].
pub fn map_documents<T, F>(text: &str, limits: &Limits, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(Document) -> T + Sync,
{
    map_sources(text, limits, |doc, _| f(doc))
}

/// [`map_documents`], also telling `f` where the document's text is.
pub(crate) fn map_sources<T, F>(text: &str, limits: &Limits, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(Document, DocumentSource) -> T + Sync,
{
    let mut out = Vec::new();
    map_sources_batched(text, limits, f, |mut batch| out.append(&mut batch));
    out
}

/// [`map_sources`], handing the results to `sink` one batch at a time (in document order), so
/// the caller never holds them all. On large streams `sink` runs on one thread while the next
/// batch is parsed on the others, so a caller's serial work overlaps the parsing.
pub(crate) fn map_sources_batched<T, F, S>(text: &str, limits: &Limits, f: F, mut sink: S)
where
    T: Send,
    F: Fn(Document, DocumentSource) -> T + Sync,
    S: FnMut(Vec<T>) + Send,
{
    let chunks = split::split(text);
    let parallel = text.len() > PARALLEL_THRESHOLD && chunks.len() > 1;
    let mut reader = BatchReader {
        limits,
        parallel,
        next_index: 0,
        stop: false,
    };
    let mut pending: Option<Vec<T>> = None;
    for batch in chunks.chunks(BATCH_CHUNKS) {
        if reader.stop {
            break;
        }
        let fresh = match pending.take() {
            Some(done) if parallel => {
                let (_, fresh) = rayon::join(|| sink(done), || reader.read(batch, &f));
                fresh
            }
            Some(done) => {
                sink(done);
                reader.read(batch, &f)
            }
            None => reader.read(batch, &f),
        };
        pending = Some(fresh);
    }
    if let Some(done) = pending {
        sink(done);
    }
}

/// Parses batches of chunks, numbering their documents across batches.
struct BatchReader<'l> {
    limits: &'l Limits,
    parallel: bool,
    next_index: usize,
    /// Set once the document limit is reached: nothing more is read.
    stop: bool,
}

impl BatchReader<'_> {
    fn read<T, F>(&mut self, batch: &[Chunk<'_>], f: &F) -> Vec<T>
    where
        T: Send,
        F: Fn(Document, DocumentSource) -> T + Sync,
    {
        let limits = self.limits;
        let parsed: Vec<Vec<Document>> = if self.parallel {
            batch
                .par_iter()
                .with_min_len(32)
                .map(|c| parse_chunk(c, limits))
                .collect()
        } else {
            batch.iter().map(|c| parse_chunk(c, limits)).collect()
        };
        let mut numbered = Vec::with_capacity(batch.len());
        'chunks: for (chunk, docs) in batch.iter().zip(parsed) {
            let source = DocumentSource {
                start: chunk.start,
                len: chunk.text.len(),
                line_offset: chunk.line_offset,
            };
            for doc in docs {
                if self.next_index >= limits.max_documents {
                    numbered.push((
                        too_many_documents(self.next_index, doc.line, limits),
                        source,
                    ));
                    self.stop = true;
                    break 'chunks;
                }
                numbered.push((
                    Document {
                        index: self.next_index,
                        ..doc
                    },
                    source,
                ));
                self.next_index += 1;
            }
        }
        if self.parallel {
            numbered
                .into_par_iter()
                .with_min_len(32)
                .map(|(doc, source)| f(doc, source))
                .collect()
        } else {
            numbered
                .into_iter()
                .map(|(doc, source)| f(doc, source))
                .collect()
        }
    }
}

/// Parses the documents of one [`DocumentSource`] of `stream` again (positions are in the stream).
pub(crate) fn parse_source(stream: &str, source: DocumentSource, limits: &Limits) -> Vec<Document> {
    let chunk = Chunk {
        text: &stream[source.start..source.start + source.len],
        start: source.start,
        line_offset: source.line_offset,
        explicit: true,
    };
    parse_chunk(&chunk, limits)
}

fn too_many_documents(index: usize, line: u32, limits: &Limits) -> Document {
    Document {
        index,
        line,
        root: None,
        error: Some(Diagnostic::new(
            codes::LIMIT_EXCEEDED,
            "",
            format!(
                "the file has more than {} documents; the rest is not read",
                limits.max_documents
            ),
            Position::new(line, 1),
        )),
    }
}

/// Parses a stream that must hold at most one document (a template, a config file). Returns the
/// root (`None` when empty) or the first problem; a second document is a `yaml-syntax` problem.
pub fn parse_single(text: &str, limits: &Limits) -> Result<Option<Node>, Diagnostic> {
    let mut docs = parse_documents(text, limits).into_iter();
    let first = docs.next();
    if let Some(second) = docs.next() {
        return Err(Diagnostic::new(
            codes::YAML_SYNTAX,
            "",
            "expected a single YAML document, found more than one",
            Position::new(second.line, 1),
        ));
    }
    match first {
        None => Ok(None),
        Some(Document { error: Some(e), .. }) => Err(e),
        Some(doc) => Ok(doc.root),
    }
}

fn parse_chunk(chunk: &Chunk<'_>, limits: &Limits) -> Vec<Document> {
    if chunk.text.len() > limits.max_document_bytes {
        let line = chunk.line_offset + 1;
        return vec![Document {
            index: 0,
            line,
            root: None,
            error: Some(Diagnostic::new(
                codes::LIMIT_EXCEEDED,
                "",
                format!(
                    "the document is {} bytes, more than the limit of {} bytes",
                    chunk.text.len(),
                    limits.max_document_bytes
                ),
                Position::new(line, 1),
            )),
        }];
    }
    if let Some(doc) = super::fast::parse(chunk, limits) {
        return vec![doc];
    }
    parse_chunk_events(chunk, limits)
}

/// Parses a chunk through saphyr's event stream: the reference path, for every document the fast
/// path leaves.
pub(crate) fn parse_chunk_events(chunk: &Chunk<'_>, limits: &Limits) -> Vec<Document> {
    let mut builder = Builder::new(chunk.line_offset, limits);
    let mut parser = Parser::new_from_str(chunk.text);
    while let Some(next) = parser.next_event() {
        match next {
            Ok((event, span)) => {
                if let Err(problem) = builder.event(event, span) {
                    builder.fail(problem);
                    break;
                }
            }
            Err(e) => {
                builder.fail(syntax_error(&e, chunk.line_offset));
                break;
            }
        }
    }
    let mut docs = builder.docs;
    if docs.is_empty() && chunk.explicit {
        docs.push(Document {
            index: 0,
            line: chunk.line_offset + 1,
            root: None,
            error: None,
        });
    }
    docs
}

fn syntax_error(e: &ScanError, line_offset: u32) -> Diagnostic {
    let m = e.marker();
    Diagnostic::new(
        codes::YAML_SYNTAX,
        "",
        format!("YAML syntax error: {}", e.info()),
        Position::new(m.line() as u32 + line_offset, m.col() as u32 + 1),
    )
}

enum Frame {
    Seq {
        items: Vec<Node>,
        pos: Position,
        anchor: usize,
        start_count: usize,
    },
    Map {
        map: Mapping,
        key: Option<Node>,
        seen: Option<HashSet<String>>,
        pos: Position,
        anchor: usize,
        start_count: usize,
    },
}

struct Builder<'l> {
    limits: &'l Limits,
    line_offset: u32,
    docs: Vec<Document>,
    doc_line: Option<u32>,
    root: Option<Node>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
}

impl<'l> Builder<'l> {
    fn new(line_offset: u32, limits: &'l Limits) -> Self {
        Self {
            limits,
            line_offset,
            docs: Vec::new(),
            doc_line: None,
            root: None,
            stack: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
        }
    }

    fn pos(&self, span: &Span) -> Position {
        Position::new(
            span.start.line() as u32 + self.line_offset,
            span.start.col() as u32 + 1,
        )
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Diagnostic> {
        match event {
            Event::DocumentStart(_) => {
                self.doc_line = Some(self.pos(&span).line);
                self.root = None;
                self.stack.clear();
                self.anchors.clear();
                self.nodes = 0;
            }
            Event::DocumentEnd => {
                let line = self.doc_line.take().unwrap_or(self.line_offset + 1);
                let root = self.root.take();
                self.docs.push(Document {
                    index: 0,
                    line,
                    root,
                    error: None,
                });
            }
            Event::Scalar(text, style, anchor, tag) => {
                let pos = self.pos(&span);
                let value = match (&tag, style) {
                    (Some(tag), _) if tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:" => {
                        scalar::resolve_tagged(&tag.suffix, &text)
                            .unwrap_or_else(|| Value::String(text.into_owned()))
                    }
                    (Some(_), _) => Value::String(text.into_owned()),
                    (None, ScalarStyle::Plain) => scalar::resolve_plain(&text),
                    (None, _) => Value::String(text.into_owned()),
                };
                self.count(1, pos)?;
                let node = Node::new(value, pos);
                if anchor != 0 {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                self.push(node)?;
            }
            Event::Alias(id) => {
                let pos = self.pos(&span);
                let Some((node, count)) = self.anchors.get(&id) else {
                    return Err(Diagnostic::new(
                        codes::YAML_SYNTAX,
                        "",
                        "YAML syntax error: alias to an unknown anchor",
                        pos,
                    ));
                };
                let (mut node, count) = (node.clone(), *count);
                self.count(count, pos)?;
                node.pos = pos;
                self.push(node)?;
            }
            Event::SequenceStart(anchor, _) => {
                let pos = self.pos(&span);
                self.enter(pos)?;
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    pos,
                    anchor,
                    start_count: self.nodes,
                });
            }
            Event::MappingStart(anchor, _) => {
                let pos = self.pos(&span);
                self.enter(pos)?;
                self.stack.push(Frame::Map {
                    map: Mapping::default(),
                    key: None,
                    seen: None,
                    pos,
                    anchor,
                    start_count: self.nodes,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor, start_count) = match self.stack.pop() {
                    Some(Frame::Seq {
                        items,
                        pos,
                        anchor,
                        start_count,
                    }) => (Node::new(Value::Seq(items), pos), anchor, start_count),
                    Some(Frame::Map {
                        map,
                        pos,
                        anchor,
                        start_count,
                        ..
                    }) => (Node::new(Value::Map(map), pos), anchor, start_count),
                    None => return Ok(()),
                };
                if anchor != 0 {
                    self.anchors
                        .insert(anchor, (node.clone(), self.nodes - start_count));
                }
                self.push(node)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn enter(&mut self, pos: Position) -> Result<(), Diagnostic> {
        self.count(1, pos)?;
        if self.stack.len() >= self.limits.max_depth {
            return Err(Diagnostic::new(
                codes::LIMIT_EXCEEDED,
                "",
                format!(
                    "the document nests deeper than the limit of {} levels",
                    self.limits.max_depth
                ),
                pos,
            ));
        }
        Ok(())
    }

    fn count(&mut self, n: usize, pos: Position) -> Result<(), Diagnostic> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(Diagnostic::new(
                codes::LIMIT_EXCEEDED,
                "",
                format!(
                    "the document expands to more than {} nodes (aliases included)",
                    self.limits.max_nodes
                ),
                pos,
            ));
        }
        Ok(())
    }

    fn push(&mut self, node: Node) -> Result<(), Diagnostic> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { map, key, seen, .. }) => match key.take() {
                None => {
                    if is_duplicate(map, seen, &node) {
                        return Err(Diagnostic::new(
                            codes::DUPLICATE_KEY,
                            "",
                            format!(
                                "map keys must be unique; \"{}\" is repeated",
                                node.key_string()
                            ),
                            node.pos,
                        ));
                    }
                    *key = Some(node);
                }
                Some(k) => map.entries.push((k, node)),
            },
        }
        Ok(())
    }

    /// Ends the current document with a problem; the chunk is not read further.
    fn fail(&mut self, problem: Diagnostic) {
        let line = self.doc_line.take().unwrap_or(problem.line);
        self.stack.clear();
        self.root = None;
        self.docs.push(Document {
            index: 0,
            line,
            root: None,
            error: Some(problem),
        });
    }
}

/// Whether `key` is already a key of `map`. Small maps are scanned; big ones keep a set of keys.
fn is_duplicate(map: &Mapping, seen: &mut Option<HashSet<String>>, key: &Node) -> bool {
    const SCAN: usize = 16;
    if map.entries.len() < SCAN {
        return map.entries.iter().any(|(k, _)| k.value == key.value);
    }
    let set = seen.get_or_insert_with(|| map.entries.iter().map(|(k, _)| k.key_string()).collect());
    !set.insert(key.key_string())
}
