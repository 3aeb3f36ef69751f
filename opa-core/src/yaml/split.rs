//! Splitting a multi-document stream on its `---` markers, so documents can be parsed apart.
//!
//! A line that starts with `---` followed by a space, a tab or the end of the line is a document
//! marker wherever it appears: YAML forbids such a line inside a document's content (block and
//! quoted scalars included), so splitting there agrees with a full parse. Streams with directives
//! (`%YAML`, `%TAG`) are not split.

/// A slice of the stream holding whole documents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunk<'a> {
    /// The text, starting at a line boundary.
    pub text: &'a str,
    /// Byte offset of `text` in the stream.
    pub start: usize,
    /// Number of lines before `text` in the stream.
    pub line_offset: u32,
    /// Whether the chunk begins with a `---` marker (then it holds at least one document).
    pub explicit: bool,
}

pub(crate) fn split(text: &str) -> Vec<Chunk<'_>> {
    let mut chunks = Vec::new();
    let mut start = 0usize;
    let mut start_line = 0u32;
    let mut explicit = false;
    let mut line_no = 0u32;
    let mut offset = 0usize;
    let bytes = text.as_bytes();
    while offset < bytes.len() {
        let end = memchr_newline(&bytes[offset..]).map_or(bytes.len(), |i| offset + i + 1);
        let line = &bytes[offset..end];
        if line.first() == Some(&b'%') {
            return vec![Chunk {
                text,
                start: 0,
                line_offset: 0,
                explicit: false,
            }];
        }
        if is_marker(line) && offset > 0 {
            push(&mut chunks, text, start..offset, start_line, explicit);
            start = offset;
            start_line = line_no;
            explicit = true;
        } else if is_marker(line) {
            explicit = true;
        }
        offset = end;
        line_no += 1;
    }
    push(&mut chunks, text, start..text.len(), start_line, explicit);
    chunks
}

fn push<'a>(
    chunks: &mut Vec<Chunk<'a>>,
    stream: &'a str,
    range: std::ops::Range<usize>,
    line_offset: u32,
    explicit: bool,
) {
    let start = range.start;
    let text = &stream[range];
    if !explicit && is_blank(text) {
        return;
    }
    chunks.push(Chunk {
        text,
        start,
        line_offset,
        explicit,
    });
}

fn is_marker(line: &[u8]) -> bool {
    line.starts_with(b"---") && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

/// Whether a chunk holds nothing but blank lines and comments.
fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim_start();
        t.is_empty() || t.starts_with('#')
    })
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_markers_only() {
        let text = "# head\n---\na: 1\n---\nb: |\n  ---x\n--- \nc: 3\n";
        let chunks = split(text);
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0].line_offset, 1);
        assert_eq!(chunks[1].text, "---\nb: |\n  ---x\n");
        assert_eq!(chunks[2].line_offset, 6);
    }

    #[test]
    fn leading_document_without_marker() {
        let chunks = split("a: 1\n---\nb: 2");
        assert_eq!(chunks.len(), 2);
        assert!(!chunks[0].explicit);
        assert!(chunks[1].explicit);
    }

    #[test]
    fn directives_disable_splitting() {
        assert_eq!(split("%YAML 1.2\n---\na: 1\n---\nb: 2\n").len(), 1);
    }
}
