//! Interned entity references: each distinct reference (compared ignoring ASCII case) is stored
//! once, as its canonical text, and named everywhere else by a 4-byte [`RefId`].

use std::hash::{BuildHasher, Hasher};

use hashbrown::{DefaultHashBuilder, HashTable};

/// The id of an interned reference.
pub(crate) type RefId = u32;

/// Canonical reference texts (`kind:namespace/name`), each stored once.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    arena: String,
    /// `(start, len)` of each reference in `arena`.
    spans: Vec<(usize, usize)>,
    table: HashTable<RefId>,
    hasher: DefaultHashBuilder,
}

impl Interner {
    /// The hasher, for computing [`Interner::hash`] on other threads.
    pub fn hasher(&self) -> &DefaultHashBuilder {
        &self.hasher
    }

    /// Hashes a reference text ignoring ASCII case.
    pub fn hash_with(hasher: &DefaultHashBuilder, text: &str) -> u64 {
        let mut h = hasher.build_hasher();
        let mut buf = [0u8; 32];
        for chunk in text.as_bytes().chunks(32) {
            for (d, s) in buf.iter_mut().zip(chunk) {
                *d = s.to_ascii_lowercase();
            }
            h.write(&buf[..chunk.len()]);
        }
        h.finish()
    }

    /// Hashes a reference text ignoring ASCII case.
    pub fn hash(&self, text: &str) -> u64 {
        Self::hash_with(&self.hasher, text)
    }

    /// Number of references.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// The canonical text of a reference.
    pub fn resolve(&self, id: RefId) -> &str {
        let (start, len) = self.spans[id as usize];
        &self.arena[start..start + len]
    }

    /// The id of `text` (with its precomputed `hash`), if interned.
    pub fn get(&self, text: &str, hash: u64) -> Option<RefId> {
        self.table
            .find(hash, |&id| self.resolve(id).eq_ignore_ascii_case(text))
            .copied()
    }

    /// The id of `text`, interning it if new; also whether it was new.
    pub fn intern(&mut self, text: &str, hash: u64) -> (RefId, bool) {
        if let Some(id) = self.get(text, hash) {
            return (id, false);
        }
        let id = self.spans.len() as RefId;
        let span = self.push_text(text);
        self.spans.push(span);
        let Self {
            table,
            spans,
            arena,
            hasher,
        } = self;
        table.insert_unique(hash, id, |&other| {
            let (s, l) = spans[other as usize];
            Self::hash_with(hasher, &arena[s..s + l])
        });
        (id, true)
    }

    /// Replaces the stored spelling of a reference (same reference, other case): an entity's own
    /// spelling wins over the spelling of a reference to it.
    pub fn respell(&mut self, id: RefId, text: &str) {
        if self.resolve(id) != text {
            self.spans[id as usize] = self.push_text(text);
        }
    }

    fn push_text(&mut self, text: &str) -> (usize, usize) {
        let start = self.arena.len();
        self.arena.push_str(text);
        (start, text.len())
    }

    /// Releases spare capacity once loading is done.
    pub fn shrink(&mut self) {
        self.arena.shrink_to_fit();
        self.spans.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_ignoring_case_and_keeps_spelling() {
        let mut i = Interner::default();
        let a = "component:default/Foo";
        let (id, new) = i.intern(a, i.hash(a));
        assert!(new);
        let b = "COMPONENT:DEFAULT/foo";
        assert_eq!(i.intern(b, i.hash(b)), (id, false));
        assert_eq!(i.resolve(id), a);
        i.respell(id, "component:default/foo");
        assert_eq!(i.resolve(id), "component:default/foo");
        let long = "x".repeat(100);
        let (id2, _) = i.intern(&long, i.hash(&long));
        assert_ne!(id, id2);
        assert_eq!(
            i.get(&long.to_uppercase(), i.hash(&long.to_uppercase())),
            Some(id2)
        );
        assert_eq!(i.len(), 2);
    }
}
