//! The [`Catalog`]: entities and the relations between them, loaded from catalog files.
//!
//! Built for large catalogs: an entity is a few dozen bytes (its interned reference, kind,
//! location); relations are 5-byte edges between interned references; the YAML trees are dropped
//! as soon as each document is read (the source text is kept, so an entity's document can be
//! parsed again on demand).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::check::{DanglingRef, DuplicateEntity, LoadProblem, Location};
use super::graph::Graph;
use super::interner::{Interner, RefId};
use super::load::{Ingested, IngestedEntity, catalog_files, ingest};
use super::relation::{Relation, RelationType};
use super::rules::RULES;
use crate::diagnostic::Position;
use crate::entity::validate::ValidateOptions;
use crate::entity::{EntityRef, RefDefaults};
use crate::error::Error;
use crate::yaml::{DocumentSource, Limits, Node, map_sources_batched, parse_source};

const NONE: u32 = u32::MAX;

/// How a catalog reads its sources.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Bounds on each YAML document.
    pub limits: Limits,
    /// Validate each entity first and leave invalid ones out, as Backstage's catalog does
    /// (`None`, the default: any document with a kind and a name is an entity).
    pub validate: Option<ValidateOptions>,
    /// Keep the source texts, so that [`EntityView::document`] can return an entity's document
    /// (default `true`; turn off to save memory when only references and relations are needed).
    pub keep_sources: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            validate: None,
            keep_sources: true,
        }
    }
}

#[derive(Debug)]
struct SourceFile {
    name: String,
    text: Option<Box<str>>,
}

#[derive(Debug, Clone, Copy)]
struct EntityRecord {
    ref_id: RefId,
    kind: u16,
    source_file: u32,
    document: u32,
    line: u32,
    source: DocumentSource,
}

/// A relation field's target, as written by an entity.
#[derive(Debug, Clone, Copy)]
struct RefUse {
    source: RefId,
    target: RefId,
    rule: u8,
    index: u32,
    pos: Position,
}

#[derive(Debug, Clone, Copy)]
struct Duplicate {
    ref_id: RefId,
    source_file: u32,
    document: u32,
    line: u32,
}

/// Collects catalog sources; [`CatalogBuilder::build`] then links the relations.
#[derive(Debug, Default)]
pub struct CatalogBuilder {
    options: LoadOptions,
    interner: Interner,
    sources: Vec<SourceFile>,
    entities: Vec<EntityRecord>,
    /// For each reference, the entity that defines it (`NONE` when none does).
    entity_of: Vec<u32>,
    kinds: Vec<Box<str>>,
    uses: Vec<RefUse>,
    duplicates: Vec<Duplicate>,
    problems: Vec<LoadProblem>,
}

/// Files bigger than this are read alone (and parsed on every core); smaller ones are read
/// several at a time, one per core.
const BIG_FILE: u64 = 256 * 1024;

impl CatalogBuilder {
    /// A builder with these options.
    pub fn new(options: LoadOptions) -> Self {
        Self {
            options,
            ..Self::default()
        }
    }

    /// Adds the documents of a text; `name` stands for its file in locations.
    pub fn add_text(&mut self, name: &str, text: &str) -> &mut Self {
        let file = self.push_source(name.to_owned());
        self.ingest_text(file, text);
        if self.options.keep_sources {
            self.sources[file as usize].text = Some(text.into());
        }
        self
    }

    /// Adds files and directories (recursively, every `*.yaml` and `*.yml`). Fails when a path
    /// cannot be read; a file that is not UTF-8 is a problem of that file.
    pub fn add_paths(&mut self, paths: &[impl AsRef<Path>]) -> Result<&mut Self, Error> {
        let files = catalog_files(paths)?;
        let mut small: Vec<PathBuf> = Vec::new();
        for file in files {
            let size = std::fs::metadata(&file)
                .map_err(|e| Error::io(&file, e))?
                .len();
            if size > BIG_FILE {
                self.add_small_files(&std::mem::take(&mut small))?;
                let text = read_text(&file)?;
                let id = self.push_source(file.display().to_string());
                match text {
                    Some(text) => {
                        self.ingest_text(id, &text);
                        self.keep_source(id, text);
                    }
                    None => self.not_utf8(id),
                }
            } else {
                small.push(file);
            }
        }
        self.add_small_files(&small)?;
        Ok(self)
    }

    fn add_small_files(&mut self, files: &[PathBuf]) -> Result<(), Error> {
        let hasher = self.interner.hasher().clone();
        let limits = self.options.limits.clone();
        let validate = self.options.validate.clone();
        let (limits, validate) = (&limits, validate.as_ref());
        for group in files.chunks(1024) {
            let read: Vec<Result<ReadFile, Error>> = group
                .par_iter()
                .map(|file| {
                    let Some(text) = read_text(file)? else {
                        return Ok((None, Vec::new()));
                    };
                    let mut docs = Vec::new();
                    map_sources_batched(
                        &text,
                        limits,
                        |doc, source| ingest(doc, source, &hasher, validate),
                        |mut batch| docs.append(&mut batch),
                    );
                    Ok((Some(text), docs))
                })
                .collect();
            for (file, result) in group.iter().zip(read) {
                let (text, docs) = result?;
                let id = self.push_source(file.display().to_string());
                for doc in docs {
                    self.add(id, doc);
                }
                match text {
                    Some(text) => self.keep_source(id, text),
                    None => self.not_utf8(id),
                }
            }
        }
        Ok(())
    }

    fn push_source(&mut self, name: String) -> u32 {
        self.sources.push(SourceFile { name, text: None });
        (self.sources.len() - 1) as u32
    }

    /// Keeps a source's text (without copying it) when the options say so.
    fn keep_source(&mut self, file: u32, text: String) {
        if self.options.keep_sources {
            self.sources[file as usize].text = Some(text.into_boxed_str());
        }
    }

    fn not_utf8(&mut self, file: u32) {
        self.problems.push(LoadProblem {
            file: self.sources[file as usize].name.clone(),
            document: 0,
            diagnostic: crate::Diagnostic::new(
                crate::diagnostic::codes::YAML_SYNTAX,
                "",
                "the file is not UTF-8 text",
                Position::new(1, 1),
            ),
        });
    }

    fn ingest_text(&mut self, file: u32, text: &str) {
        let hasher = self.interner.hasher().clone();
        let limits = self.options.limits.clone();
        let validate = self.options.validate.clone();
        map_sources_batched(
            text,
            &limits,
            |doc, source| ingest(doc, source, &hasher, validate.as_ref()),
            |batch| {
                for doc in batch {
                    self.add(file, doc);
                }
            },
        );
    }

    fn add(&mut self, file: u32, doc: Ingested) {
        match doc {
            Ingested::Empty => {}
            Ingested::Problems {
                document,
                diagnostics,
            } => {
                let name = &self.sources[file as usize].name;
                self.problems
                    .extend(diagnostics.into_iter().map(|diagnostic| LoadProblem {
                        file: name.clone(),
                        document,
                        diagnostic,
                    }));
            }
            Ingested::Entity(entity) => self.add_entity(file, *entity),
        }
    }

    fn add_entity(&mut self, file: u32, e: IngestedEntity) {
        let (ref_id, _) = self.interner.intern(e.self_text(), e.self_hash);
        self.grow_entity_of();
        if self.entity_of[ref_id as usize] != NONE {
            // Backstage keeps the first definition and reports the others as conflicts; their
            // relations are not emitted.
            self.duplicates.push(Duplicate {
                ref_id,
                source_file: file,
                document: e.document as u32,
                line: e.line,
            });
            return;
        }
        self.interner.respell(ref_id, e.self_text());
        self.entity_of[ref_id as usize] = self.entities.len() as u32;
        let kind = self.kind_id(&e.kind);
        self.entities.push(EntityRecord {
            ref_id,
            kind,
            source_file: file,
            document: e.document as u32,
            line: e.line,
            source: e.source,
        });
        for t in &e.targets {
            let (target, _) = self.interner.intern(e.target_text(t), t.hash);
            self.uses.push(RefUse {
                source: ref_id,
                target,
                rule: t.rule,
                index: t.index.unwrap_or(NONE),
                pos: Position::new(t.line, t.column),
            });
        }
        if !e.problems.is_empty() {
            let name = &self.sources[file as usize].name;
            self.problems
                .extend(e.problems.into_iter().map(|diagnostic| LoadProblem {
                    file: name.clone(),
                    document: e.document,
                    diagnostic,
                }));
        }
    }

    fn grow_entity_of(&mut self) {
        if self.entity_of.len() < self.interner.len() {
            self.entity_of.resize(self.interner.len(), NONE);
        }
    }

    fn kind_id(&mut self, kind: &str) -> u16 {
        if let Some(i) = self.kinds.iter().position(|k| **k == *kind) {
            return i as u16;
        }
        // Kinds are few; past u16::MAX distinct spellings they share the last slot's id.
        if self.kinds.len() < u16::MAX as usize {
            self.kinds.push(kind.into());
        }
        (self.kinds.len() - 1) as u16
    }

    /// Links the relations and returns the catalog.
    pub fn build(mut self) -> Catalog {
        self.grow_entity_of();
        self.interner.shrink();
        self.uses.shrink_to_fit();
        let uses = &self.uses;
        let graph = Graph::build(self.interner.len(), || {
            uses.iter().flat_map(|u| {
                let relation = RULES[u.rule as usize].relation;
                [
                    (u.source, relation, u.target),
                    (u.target, relation.inverse(), u.source),
                ]
            })
        });
        let mut by_kind = vec![Vec::new(); self.kinds.len()];
        for (i, e) in self.entities.iter().enumerate() {
            by_kind[e.kind as usize].push(i as u32);
        }
        Catalog {
            options: self.options,
            interner: self.interner,
            sources: self.sources,
            entities: self.entities,
            entity_of: self.entity_of,
            kinds: self.kinds,
            by_kind,
            uses: self.uses,
            graph,
            duplicates: self.duplicates,
            problems: self.problems,
        }
    }
}

/// A small file's text (`None` when not UTF-8) and its documents, read on any thread.
type ReadFile = (Option<String>, Vec<Ingested>);

fn read_text(file: &Path) -> Result<Option<String>, Error> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    Ok(String::from_utf8(bytes).ok())
}

/// Entities and their relations.
///
/// ```
/// use opa_core::catalog::Catalog;
///
/// let catalog = Catalog::from_text(
///     "catalog-info.yaml",
///     "kind: Group\nmetadata: {name: team-a}\n---\n\
///      kind: Component\nmetadata: {name: web}\nspec: {owner: team-a, system: shop}\n",
/// );
/// let web = catalog.entity("component:web").unwrap();
/// let relations: Vec<String> = web
///     .relations()
///     .iter()
///     .map(|r| format!("{} {}", r.relation_type, r.target_ref))
///     .collect();
/// assert_eq!(relations, ["ownedBy group:default/team-a", "partOf system:default/shop"]);
/// assert_eq!(catalog.dangling().next().unwrap().target, "system:default/shop");
/// ```
#[derive(Debug)]
pub struct Catalog {
    options: LoadOptions,
    interner: Interner,
    sources: Vec<SourceFile>,
    entities: Vec<EntityRecord>,
    entity_of: Vec<u32>,
    kinds: Vec<Box<str>>,
    by_kind: Vec<Vec<u32>>,
    uses: Vec<RefUse>,
    graph: Graph,
    duplicates: Vec<Duplicate>,
    problems: Vec<LoadProblem>,
}

impl Catalog {
    /// A builder, to add several sources.
    pub fn builder(options: LoadOptions) -> CatalogBuilder {
        CatalogBuilder::new(options)
    }

    /// A catalog of the documents of one text, with the default options.
    pub fn from_text(name: &str, text: &str) -> Self {
        let mut b = CatalogBuilder::new(LoadOptions::default());
        b.add_text(name, text);
        b.build()
    }

    /// A catalog of files and directories, with the given options.
    pub fn load(paths: &[impl AsRef<Path>], options: LoadOptions) -> Result<Self, Error> {
        let mut b = CatalogBuilder::new(options);
        b.add_paths(paths)?;
        Ok(b.build())
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether the catalog holds no entity.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Number of relations, both directions counted.
    pub fn relation_count(&self) -> usize {
        self.graph.len()
    }

    /// Every entity, in load order.
    pub fn entities(&self) -> impl ExactSizeIterator<Item = EntityView<'_>> + '_ {
        (0..self.entities.len()).map(|i| self.view(i as u32))
    }

    /// The entity with this reference (`kind:[namespace/]name`, compared ignoring case).
    pub fn entity(&self, reference: &str) -> Option<EntityView<'_>> {
        let r = EntityRef::parse_with(reference, RefDefaults::default()).ok()?;
        self.entity_by_ref(&r)
    }

    /// The entity with this reference (compared ignoring case).
    pub fn entity_by_ref(&self, reference: &EntityRef) -> Option<EntityView<'_>> {
        let id = self.ref_id(reference)?;
        match self.entity_of.get(id as usize) {
            Some(&e) if e != NONE => Some(self.view(e)),
            _ => None,
        }
    }

    /// Every entity of a kind (compared ignoring case), in load order.
    pub fn by_kind(&self, kind: &str) -> Vec<EntityView<'_>> {
        let mut ids: Vec<u32> = self
            .kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| k.eq_ignore_ascii_case(kind))
            .flat_map(|(i, _)| self.by_kind[i].iter().copied())
            .collect();
        ids.sort_unstable();
        ids.into_iter().map(|i| self.view(i)).collect()
    }

    /// The relations of any reference (an entity or a missing target), as Backstage serves them:
    /// distinct, ordered by type then target.
    pub fn relations(&self, reference: &str) -> Vec<Relation> {
        EntityRef::parse_with(reference, RefDefaults::default())
            .ok()
            .and_then(|r| self.ref_id(&r))
            .map_or_else(Vec::new, |id| self.relations_of(id))
    }

    /// Everything the group (or user) owns: the entities whose owner it is.
    pub fn owned_by(&self, owner: &str) -> Vec<EntityView<'_>> {
        let Some(id) = self.lookup(owner, Some("Group")) else {
            return Vec::new();
        };
        let mut owned: Vec<u32> = self
            .graph
            .edges(id)
            .filter(|(t, _)| *t == RelationType::OwnerOf)
            .filter_map(|(_, target)| self.entity_index(target))
            .collect();
        owned.sort_unstable();
        owned.dedup();
        owned.into_iter().map(|i| self.view(i)).collect()
    }

    /// Every entity that depends on this one, directly or through others (following
    /// `dependencyOf`), nearest first. Missing entities on the way are followed but not returned.
    pub fn dependents(&self, reference: &str) -> Vec<EntityView<'_>> {
        let Some(start) = self.lookup(reference, None) else {
            return Vec::new();
        };
        let mut seen = hashbrown::HashSet::new();
        seen.insert(start);
        let mut queue = VecDeque::from([start]);
        let mut out = Vec::new();
        while let Some(node) = queue.pop_front() {
            for (t, next) in self.graph.edges(node) {
                if t == RelationType::DependencyOf && seen.insert(next) {
                    if let Some(e) = self.entity_index(next) {
                        out.push(self.view(e));
                    }
                    queue.push_back(next);
                }
            }
        }
        out
    }

    /// Relation fields that name entities the catalog does not hold, in load order.
    pub fn dangling(&self) -> impl Iterator<Item = DanglingRef> + '_ {
        self.uses
            .iter()
            .filter(|u| self.entity_index(u.target).is_none())
            .map(|u| {
                let source = self
                    .entity_index(u.source)
                    .map(|e| &self.entities[e as usize]);
                let rule = &RULES[u.rule as usize];
                let field = if u.index == NONE {
                    format!("spec.{}", rule.field)
                } else {
                    format!("spec.{}.{}", rule.field, u.index)
                };
                DanglingRef {
                    source: self.interner.resolve(u.source).to_owned(),
                    field,
                    target: self.interner.resolve(u.target).to_owned(),
                    location: Location {
                        file: source
                            .map(|e| self.sources[e.source_file as usize].name.clone())
                            .unwrap_or_default(),
                        document: source.map_or(0, |e| e.document as usize),
                        line: u.pos.line,
                        column: u.pos.column,
                    },
                }
            })
    }

    /// References defined more than once, each with every definition (the kept one first).
    pub fn duplicates(&self) -> Vec<DuplicateEntity> {
        let mut by_ref: Vec<(RefId, Vec<Location>)> = Vec::new();
        let mut index = hashbrown::HashMap::new();
        for d in &self.duplicates {
            let slot = *index.entry(d.ref_id).or_insert_with(|| {
                let first = &self.entities[self.entity_of[d.ref_id as usize] as usize];
                by_ref.push((d.ref_id, vec![self.record_location(first)]));
                by_ref.len() - 1
            });
            by_ref[slot].1.push(Location {
                file: self.sources[d.source_file as usize].name.clone(),
                document: d.document as usize,
                line: d.line,
                column: 1,
            });
        }
        by_ref
            .into_iter()
            .map(|(id, locations)| DuplicateEntity {
                entity_ref: self.interner.resolve(id).to_owned(),
                locations,
            })
            .collect()
    }

    /// Documents that did not become entities, and relation targets that could not be read.
    pub fn problems(&self) -> &[LoadProblem] {
        &self.problems
    }

    fn view(&self, index: u32) -> EntityView<'_> {
        EntityView {
            catalog: self,
            index,
        }
    }

    fn ref_id(&self, r: &EntityRef) -> Option<RefId> {
        let text = r.to_canonical();
        self.interner.get(&text, self.interner.hash(&text))
    }

    fn lookup(&self, reference: &str, default_kind: Option<&str>) -> Option<RefId> {
        let defaults = RefDefaults {
            kind: default_kind,
            namespace: None,
        };
        let r = EntityRef::parse_with(reference, defaults).ok()?;
        self.ref_id(&r)
    }

    fn entity_index(&self, id: RefId) -> Option<u32> {
        self.entity_of
            .get(id as usize)
            .copied()
            .filter(|&e| e != NONE)
    }

    fn relations_of(&self, id: RefId) -> Vec<Relation> {
        let mut edges: Vec<(RelationType, RefId)> = self.graph.edges(id).collect();
        edges.sort_unstable_by(|a, b| {
            a.0.as_str()
                .cmp(b.0.as_str())
                .then_with(|| self.interner.resolve(a.1).cmp(self.interner.resolve(b.1)))
        });
        edges.dedup();
        edges
            .into_iter()
            .map(|(t, target)| Relation {
                relation_type: t,
                target_ref: self.interner.resolve(target).to_owned(),
            })
            .collect()
    }

    fn record_location(&self, e: &EntityRecord) -> Location {
        Location {
            file: self.sources[e.source_file as usize].name.clone(),
            document: e.document as usize,
            line: e.line,
            column: 1,
        }
    }
}

/// One entity of a [`Catalog`].
#[derive(Debug, Clone, Copy)]
pub struct EntityView<'c> {
    catalog: &'c Catalog,
    index: u32,
}

impl<'c> EntityView<'c> {
    fn record(&self) -> &'c EntityRecord {
        &self.catalog.entities[self.index as usize]
    }

    /// The reference, as `stringifyEntityRef` prints it (`kind:namespace/name`, kind and
    /// namespace in lowercase).
    pub fn entity_ref(&self) -> &'c str {
        self.catalog.interner.resolve(self.record().ref_id)
    }

    /// The kind as written, e.g. `Component`.
    pub fn kind(&self) -> &'c str {
        &self.catalog.kinds[self.record().kind as usize]
    }

    /// The namespace (in lowercase).
    pub fn namespace(&self) -> &'c str {
        let r = self.entity_ref();
        let start = r.find(':').map_or(0, |i| i + 1);
        let end = r[start..].find('/').map_or(r.len(), |i| start + i);
        &r[start..end]
    }

    /// The name as written.
    pub fn name(&self) -> &'c str {
        let r = self.entity_ref();
        let start = r.find(':').map_or(0, |i| i + 1);
        r[start..].find('/').map_or(r, |i| &r[start + i + 1..])
    }

    /// Where the entity is defined (its first line).
    pub fn location(&self) -> Location {
        self.catalog.record_location(self.record())
    }

    /// Its relations, as Backstage serves them: distinct, ordered by type then target.
    pub fn relations(&self) -> Vec<Relation> {
        self.catalog.relations_of(self.record().ref_id)
    }

    /// The entity's document, parsed again from the kept source; `None` when the catalog was
    /// loaded without keeping sources.
    pub fn document(&self) -> Option<Node> {
        let e = self.record();
        let text = self.catalog.sources[e.source_file as usize]
            .text
            .as_deref()?;
        parse_source(text, e.source, &self.catalog.options.limits)
            .into_iter()
            .filter_map(|d| d.root)
            .find(|root| root.pos.line == e.line)
    }
}
