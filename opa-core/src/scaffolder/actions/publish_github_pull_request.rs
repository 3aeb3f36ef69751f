//! `publish:github:pull-request`: commits the workspace (or `sourcePath`, placed under
//! `targetPath`) to a branch made from the target branch, and opens a pull request, through the
//! backend `opa.yaml` maps the `repoUrl` host to.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::publish::collect_files;
use crate::scaffolder::action::{Action, ActionContext, ActionError};
use crate::scaffolder::effects::Effect;
use crate::vcs::{ChangeRequest, CommitRequest, RepoUrl, VcsError};

/// `publish:github:pull-request`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PublishGithubPullRequest;

/// `targetPath` as a prefix of repository paths (`""` for the root), refusing escapes.
fn target_prefix(target: Option<&str>) -> Result<String, ActionError> {
    let Some(target) = target else {
        return Ok(String::new());
    };
    let mut parts = Vec::new();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return Err(ActionError::InvalidInput(format!(
                    "targetPath {target:?} leaves the repository"
                )));
            }
            p => parts.push(p),
        }
    }
    Ok(parts.iter().map(|p| format!("{p}/")).collect())
}

#[async_trait]
impl Action for PublishGithubPullRequest {
    fn id(&self) -> &str {
        "publish:github:pull-request"
    }

    fn description(&self) -> &str {
        "Creates a pull request in a GitHub repository with the content of the workspace."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["repoUrl", "title", "description", "branchName"],
            "properties": {
                "repoUrl": {"type": "string", "title": "Repository Location"},
                "branchName": {"type": "string", "title": "Branch Name",
                               "description": "The name for the branch"},
                "targetBranchName": {"type": "string", "title": "Target Branch Name",
                                     "description": "The target branch name of the pull request"},
                "title": {"type": "string", "title": "Pull Request Name",
                          "description": "The name for the pull request"},
                "description": {"type": "string", "title": "Pull Request Description",
                                "description": "The description of the pull request"},
                "draft": {"type": "boolean", "title": "Create as Draft"},
                "sourcePath": {"type": "string", "title": "Working Subdirectory",
                               "description": "Subdirectory of working directory to copy changes from"},
                "targetPath": {"type": "string", "title": "Repository Subdirectory",
                               "description": "Subdirectory of repository to apply changes to"},
                "token": {"type": "string", "title": "Authentication Token"},
                "reviewers": {"type": "array", "items": {"type": "string"}},
                "teamReviewers": {"type": "array", "items": {"type": "string"}},
                "commitMessage": {"type": "string", "title": "Commit Message"},
                "update": {"type": "boolean"},
                "forceFork": {"type": "boolean"},
                "gitAuthorName": {"type": "string"},
                "gitAuthorEmail": {"type": "string"},
                "forceEmptyGitAuthor": {"type": "boolean"},
                "createWhenEmpty": {"type": "boolean"}
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["remoteUrl"],
            "properties": {
                "targetBranchName": {"type": "string", "title": "Target branch name of the merge request"},
                "remoteUrl": {"type": "string", "title": "Pull Request URL",
                              "description": "Link to the pull request in Github"},
                "pullRequestNumber": {"type": "number", "title": "Pull Request Number"}
            }
        }))
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let repo_url = RepoUrl::parse(ctx.required_str("repoUrl")?)?;
        let branch = ctx.required_str("branchName")?.to_string();
        let title = ctx.required_str("title")?.to_string();
        let description = ctx.required_str("description")?.to_string();
        let prefix = target_prefix(ctx.input_str("targetPath"))?;
        let source = ctx.workspace_path(ctx.input_str("sourcePath").unwrap_or("./"))?;
        let mut files = collect_files(ctx, &source)?;
        for file in &mut files {
            file.path = format!("{prefix}{}", file.path);
        }
        let vcs = ctx.backends.vcs.vcs_for_host(&repo_url.host)?;
        let repo = repo_url.repo_id();
        let info = vcs
            .get_repository(&repo)
            .await?
            .ok_or_else(|| ActionError::NotFound(format!("repository {repo}")))?;
        let target = ctx
            .input_str("targetBranchName")
            .map(str::to_string)
            .unwrap_or_else(|| info.default_branch.clone());
        match vcs.create_branch(&repo, &branch, Some(&target)).await {
            // An existing branch gets the commit on top, as Backstage's `update` does.
            Ok(()) | Err(VcsError::AlreadyExists(_)) | Err(VcsError::Unsupported { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        let commit = vcs
            .commit_files(&CommitRequest {
                repo: repo.clone(),
                branch: branch.clone(),
                message: ctx
                    .input_str("commitMessage")
                    .unwrap_or(title.as_str())
                    .to_string(),
                files,
                author_name: ctx.input_str("gitAuthorName").map(str::to_string),
                author_email: ctx.input_str("gitAuthorEmail").map(str::to_string),
            })
            .await?;
        ctx.record(Effect::Committed {
            step_id: ctx.step_id.clone(),
            url: info.web_url.clone(),
            branch: branch.clone(),
            commit_hash: commit.commit_hash,
        });
        let pr = vcs
            .open_change_request(&ChangeRequest {
                repo,
                source_branch: branch,
                target_branch: target.clone(),
                title,
                description,
            })
            .await?;
        ctx.logger
            .info(format!("Opened pull request #{} ({})", pr.number, pr.url));
        ctx.output("targetBranchName", target);
        ctx.output("remoteUrl", pr.url);
        ctx.output("pullRequestNumber", pr.number);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_paths_stay_in_the_repository() {
        assert_eq!(target_prefix(None).unwrap(), "");
        assert_eq!(target_prefix(Some("./apps/web/")).unwrap(), "apps/web/");
        assert!(target_prefix(Some("apps/../../x")).is_err());
    }
}
