//! Resource limits on untrusted YAML.

/// Bounds on what one YAML document may cost to parse. The defaults are safe for untrusted input
/// and generous for real catalogs (the largest real entities are a few hundred KB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest document, in bytes (default 8 MiB).
    pub max_document_bytes: usize,
    /// Deepest nesting of sequences and mappings (default 128).
    pub max_depth: usize,
    /// Most nodes in one document, counting every node an alias expands to (default 1,000,000).
    /// This is what stops an alias-expansion ("billion laughs") bomb.
    pub max_nodes: usize,
    /// Most documents in one file (default 10,000,000: large catalogs are one file).
    pub max_documents: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_document_bytes: 8 * 1024 * 1024,
            max_depth: 128,
            max_nodes: 1_000_000,
            max_documents: 10_000_000,
        }
    }
}
