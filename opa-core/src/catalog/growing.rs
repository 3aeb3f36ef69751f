//! A catalog that grows one source at a time, for callers that add texts and paths between
//! queries (the Node and Python bindings, long-lived services).

use std::path::PathBuf;

use super::load::catalog_files;
use super::store::{Catalog, LoadOptions};
use crate::error::Error;

#[derive(Debug, Clone)]
enum Source {
    Text { name: String, text: String },
    Path(PathBuf),
}

/// Texts and paths added over time; [`GrowingCatalog::catalog`] is the [`Catalog`] over all of
/// them, built again only after an addition.
#[derive(Debug, Default)]
pub struct GrowingCatalog {
    options: LoadOptions,
    sources: Vec<Source>,
    built: Option<Catalog>,
}

impl GrowingCatalog {
    /// An empty catalog that loads with these options.
    pub fn new(options: LoadOptions) -> Self {
        Self {
            options,
            sources: Vec::new(),
            built: None,
        }
    }

    /// Adds the entities of a YAML text; `name` stands for its file in locations (default
    /// `<text N>`).
    pub fn add_text(&mut self, name: Option<String>, text: String) {
        let name = name.unwrap_or_else(|| format!("<text {}>", self.sources.len()));
        self.sources.push(Source::Text { name, text });
        self.built = None;
    }

    /// Adds a file or a directory (every `*.yaml`/`*.yml` below it). Fails, adding nothing, when
    /// the path cannot be read.
    pub fn add_path(&mut self, path: impl Into<PathBuf>) -> Result<(), Error> {
        let path = path.into();
        catalog_files(&[&path])?;
        self.sources.push(Source::Path(path));
        self.built = None;
        Ok(())
    }

    /// The catalog over every source added so far.
    pub fn catalog(&mut self) -> Result<&Catalog, Error> {
        let catalog = match self.built.take() {
            Some(catalog) => catalog,
            None => {
                let mut builder = Catalog::builder(self.options.clone());
                for source in &self.sources {
                    match source {
                        Source::Text { name, text } => {
                            builder.add_text(name, text);
                        }
                        Source::Path(path) => {
                            builder.add_paths(&[path])?;
                        }
                    }
                }
                builder.build()
            }
        };
        Ok(self.built.insert(catalog))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GROUP: &str = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n";

    #[test]
    fn queries_see_every_addition() {
        let mut growing = GrowingCatalog::new(LoadOptions::default());
        assert_eq!(growing.catalog().unwrap().len(), 0);
        growing.add_text(None, GROUP.to_string());
        assert_eq!(growing.catalog().unwrap().len(), 1);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("g.yaml"), GROUP.replace("team-a", "team-b")).unwrap();
        growing.add_path(dir.path()).unwrap();
        assert_eq!(growing.catalog().unwrap().len(), 2);
    }

    #[test]
    fn unreadable_paths_are_refused_and_not_kept() {
        let mut growing = GrowingCatalog::new(LoadOptions::default());
        let err = growing.add_path("/nonexistent/opa-catalog").unwrap_err();
        assert_eq!(err.code(), "io");
        assert!(growing.catalog().is_ok());
    }
}
