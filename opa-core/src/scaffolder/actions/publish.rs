//! What `publish:github` and `publish:gitlab` share: create a repository through the host's
//! [`Vcs`](crate::vcs::Vcs) and commit the workspace (or `sourcePath`) to its default branch.

use serde_json::{Value as Json, json};

use crate::scaffolder::action::{ActionContext, ActionError};
use crate::scaffolder::effects::Effect;
use crate::vcs::{CommitRequest, CreateRepository, FileChange, RepoUrl, Repository, Visibility};

/// Inputs both publishers accept (Backstage's names).
pub(super) fn common_input_properties() -> serde_json::Map<String, Json> {
    let props = json!({
        "repoUrl": {"type": "string", "title": "Repository Location"},
        "description": {"type": "string", "title": "Repository Description"},
        "defaultBranch": {"type": "string", "title": "Default Branch",
                          "description": "Sets the default branch on the repository. The default value is 'master'"},
        "repoVisibility": {"type": "string", "enum": ["private", "public", "internal"],
                           "title": "Repository Visibility"},
        "sourcePath": {"type": "string", "title": "Source Path",
                       "description": "Path within the workspace that will be used as the repository root."},
        "gitCommitMessage": {"type": "string", "title": "Git Commit Message",
                             "description": "Sets the commit message on the repository. The default value is 'initial commit'"},
        "gitAuthorName": {"type": "string"},
        "gitAuthorEmail": {"type": "string"},
        "token": {"type": "string", "title": "Authentication Token"},
        "topics": {"type": "array", "items": {"type": "string"}}
    });
    match props {
        Json::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

/// How a host spells a repository's contents URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    /// `…/blob/<branch>`.
    Github,
    /// `…/-/blob/<branch>`.
    Gitlab,
}

/// What was published.
pub(super) struct Published {
    pub repository: Repository,
    pub commit_hash: String,
    pub branch: String,
    pub created: bool,
}

pub(super) async fn publish(
    ctx: &mut ActionContext,
    flavor: Flavor,
    skip_existing: bool,
) -> Result<Published, ActionError> {
    let repo_url = RepoUrl::parse(ctx.required_str("repoUrl")?)?;
    let branch = ctx
        .input_str("defaultBranch")
        .unwrap_or("master")
        .to_string();
    let visibility = match ctx.input_str("repoVisibility") {
        None => Visibility::Private,
        Some(v) => Visibility::parse(v).ok_or_else(|| {
            ActionError::InvalidInput(format!(
                "repoVisibility must be private, internal or public, found {v:?}"
            ))
        })?,
    };
    let message = ctx
        .input_str("gitCommitMessage")
        .unwrap_or("initial commit")
        .to_string();
    let source = ctx.workspace_path(ctx.input_str("sourcePath").unwrap_or("./"))?;
    let files = collect_files(ctx, &source)?;
    let vcs = ctx.backends.vcs.vcs_for_host(&repo_url.host)?;
    let id = repo_url.repo_id();

    let (repository, created) = match vcs
        .create_repository(&CreateRepository {
            repo: id.clone(),
            default_branch: branch.clone(),
            visibility,
            description: ctx.input_str("description").map(str::to_string),
        })
        .await
    {
        Ok(r) => (r, true),
        Err(crate::vcs::VcsError::AlreadyExists(_)) if skip_existing => {
            let r = vcs
                .get_repository(&id)
                .await?
                .ok_or_else(|| ActionError::NotFound(format!("repository {id}")))?;
            ctx.logger.info(format!(
                "Repository {id} already exists; skipping (skipExisting)"
            ));
            return Ok(Published {
                branch: r.default_branch.clone(),
                repository: r,
                commit_hash: String::new(),
                created: false,
            });
        }
        Err(e) => return Err(e.into()),
    };
    ctx.record(Effect::RepositoryCreated {
        step_id: ctx.step_id.clone(),
        url: repository.web_url.clone(),
        clone_url: repository.clone_url.clone(),
    });
    ctx.logger.info(format!(
        "Created repository {} ({})",
        repository.web_url, repository.clone_url
    ));
    let commit = vcs
        .commit_files(&CommitRequest {
            repo: id,
            branch: branch.clone(),
            message,
            files,
            author_name: ctx.input_str("gitAuthorName").map(str::to_string),
            author_email: ctx.input_str("gitAuthorEmail").map(str::to_string),
        })
        .await?;
    ctx.record(Effect::Committed {
        step_id: ctx.step_id.clone(),
        url: repository.web_url.clone(),
        branch: branch.clone(),
        commit_hash: commit.commit_hash.clone(),
    });
    let contents = match flavor {
        Flavor::Github => format!("{}/blob/{branch}", repository.web_url),
        Flavor::Gitlab => format!("{}/-/blob/{branch}", repository.web_url),
    };
    ctx.output("remoteUrl", repository.clone_url.clone());
    ctx.output("repoContentsUrl", contents);
    ctx.output("commitHash", commit.commit_hash.clone());
    Ok(Published {
        repository,
        commit_hash: commit.commit_hash,
        branch,
        created,
    })
}

/// Every file under `source` (the `.git` directory excluded), relative and `/`-separated.
pub(super) fn collect_files(
    ctx: &ActionContext,
    source: &std::path::Path,
) -> Result<Vec<FileChange>, ActionError> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(source)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git");
    for entry in walker {
        let entry =
            entry.map_err(|e| ActionError::Failed(format!("cannot read the workspace: {e}")))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = super::super::workspace::display_relative(source, entry.path());
        let content = std::fs::read(entry.path())
            .map_err(|e| ActionError::io(ctx.display(entry.path()), e))?;
        #[cfg(unix)]
        let executable = {
            use std::os::unix::fs::PermissionsExt;
            entry
                .metadata()
                .map(|m| m.permissions().mode() & 0o111 != 0)
                .unwrap_or(false)
        };
        #[cfg(not(unix))]
        let executable = false;
        files.push(FileChange {
            path,
            content,
            executable,
        });
    }
    Ok(files)
}
