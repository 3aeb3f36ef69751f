//! YAML with positions: every node of a parsed document knows its 1-based line and column.
//!
//! Built on [`saphyr_parser`]'s event stream (YAML 1.2, the schema Backstage's `yaml` package
//! uses) into a compact tree of [`Node`]s. Multi-document files are split on their `---` markers
//! so that large catalogs are parsed on every core, and every document is bounded by [`Limits`]:
//! a syntax error or an exceeded limit in one document is a diagnostic for that document only.

mod emit;
mod fast;
mod limits;
mod locate;
mod node;
mod parse;
mod scalar;
mod split;

pub use emit::{key_order, to_yaml_string};
pub use limits::Limits;
pub use node::{Mapping, Node, Value};
pub use parse::{Document, map_documents, parse_documents, parse_single};
pub(crate) use parse::{DocumentSource, map_sources_batched, parse_source};
