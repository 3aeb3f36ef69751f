//! What a task changed outside its workspace, or in it: reported on success and, on failure,
//! so that nothing is left behind unseen.

use serde::Serialize;

/// One change a step made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[non_exhaustive]
pub enum Effect {
    /// Files written to the workspace.
    #[serde(rename_all = "camelCase")]
    FilesWritten {
        /// The step.
        step_id: String,
        /// Their paths, relative to the workspace.
        paths: Vec<String>,
    },
    /// Files or directories removed from the workspace.
    #[serde(rename_all = "camelCase")]
    FilesDeleted {
        /// The step.
        step_id: String,
        /// Their paths, relative to the workspace.
        paths: Vec<String>,
    },
    /// A repository was created on a git host.
    #[serde(rename_all = "camelCase")]
    RepositoryCreated {
        /// The step.
        step_id: String,
        /// Its page.
        url: String,
        /// What `git clone` reads.
        clone_url: String,
    },
    /// Files were committed to a repository.
    #[serde(rename_all = "camelCase")]
    Committed {
        /// The step.
        step_id: String,
        /// The repository's page.
        url: String,
        /// The branch.
        branch: String,
        /// The commit.
        commit_hash: String,
    },
    /// Entities were registered in the catalog.
    #[serde(rename_all = "camelCase")]
    EntitiesRegistered {
        /// The step.
        step_id: String,
        /// The location they were read from.
        location: String,
        /// Their refs.
        entity_refs: Vec<String>,
    },
    /// Anything else an action reports (platform and binding actions).
    #[serde(rename_all = "camelCase")]
    Other {
        /// The step.
        step_id: String,
        /// What was done.
        description: String,
    },
}

impl std::fmt::Display for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Effect::FilesWritten { step_id, paths } => {
                write!(f, "[{step_id}] wrote {} file(s)", paths.len())?;
                if let Some(first) = paths.first() {
                    write!(f, " ({first}{})", if paths.len() > 1 { ", …" } else { "" })?;
                }
                Ok(())
            }
            Effect::FilesDeleted { step_id, paths } => {
                write!(f, "[{step_id}] deleted {}", paths.join(", "))
            }
            Effect::RepositoryCreated {
                step_id,
                url,
                clone_url,
            } => write!(
                f,
                "[{step_id}] created repository {url} (git clone {clone_url})"
            ),
            Effect::Committed {
                step_id,
                url,
                branch,
                commit_hash,
            } => write!(f, "[{step_id}] committed {commit_hash} to {url} ({branch})"),
            Effect::EntitiesRegistered {
                step_id,
                location,
                entity_refs,
            } => write!(
                f,
                "[{step_id}] registered {} from {location}",
                entity_refs.join(", ")
            ),
            Effect::Other {
                step_id,
                description,
            } => write!(f, "[{step_id}] {description}"),
        }
    }
}
