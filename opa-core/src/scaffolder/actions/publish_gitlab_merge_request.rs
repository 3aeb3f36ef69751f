//! `publish:gitlab:merge-request`: commits the workspace (or `sourcePath`) to a new branch of an
//! existing project and opens a merge request into `targetBranchName` (default: the project's
//! default branch), with Backstage's inputs and outputs.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::publish::collect_files;
use crate::scaffolder::action::{Action, ActionContext, ActionError};
use crate::scaffolder::effects::Effect;
use crate::vcs::{ChangeRequest, CommitRequest, RepoUrl, VcsError};

/// `publish:gitlab:merge-request`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PublishGitlabMergeRequest;

#[async_trait]
impl Action for PublishGitlabMergeRequest {
    fn id(&self) -> &str {
        "publish:gitlab:merge-request"
    }

    fn description(&self) -> &str {
        "Creates a branch with the workspace's files and opens a GitLab merge request from it."
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["repoUrl", "title", "branchName"],
            "properties": {
                "repoUrl": {"type": "string", "title": "Repository Location",
                            "description": "Accepts the format `gitlab.com?repo=project_name&owner=group_name`"},
                "title": {"type": "string", "description": "The name for the merge request"},
                "description": {"type": "string", "description": "The description of the merge request"},
                "branchName": {"type": "string", "description": "The source branch name of the merge request"},
                "targetBranchName": {"type": "string",
                                     "description": "The target branch name of the merge request (defaults to the repository's default branch)"},
                "sourcePath": {"type": "string", "description": "Subdirectory of the workspace to copy changes from"},
                "targetPath": {"type": "string", "description": "Subdirectory of the repository to apply changes to"},
                "token": {"type": "string"},
                "commitAction": {"type": "string", "enum": ["create", "delete", "update", "skip", "auto"]},
                "projectid": {"type": "string"},
                "removeSourceBranch": {"type": "boolean"},
                "assignee": {"type": "string"},
                "reviewers": {"type": "array", "items": {"type": "string"}},
                "assignReviewersFromApprovalRules": {"type": "boolean"},
                "labels": {}
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {
                "targetBranchName": {"type": "string", "description": "Target branch name of the merge request"},
                "projectid": {"type": "string", "description": "GitLab Project id/Name(slug)"},
                "projectPath": {"type": "string", "description": "GitLab Project path"},
                "mergeRequestUrl": {"type": "string", "description": "Link to the merge request in GitLab"}
            }
        }))
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let repo_url = RepoUrl::parse(ctx.required_str("repoUrl")?)?;
        let title = ctx.required_str("title")?.to_string();
        let branch = ctx.required_str("branchName")?.to_string();
        let description = ctx.input_str("description").unwrap_or_default().to_string();
        let commit_action = ctx.input_str("commitAction").unwrap_or("auto").to_string();
        if commit_action == "delete" {
            return Err(ActionError::InvalidInput(
                "commitAction delete is not supported: commits add or replace files".into(),
            ));
        }
        let target_path = ctx
            .input_str("targetPath")
            .map(|p| p.trim_matches('/').to_string())
            .filter(|p| !p.is_empty() && p != ".");
        // Like Backstage: a `targetPath` without a `sourcePath` is also where files come from.
        let source = match (ctx.input_str("sourcePath"), ctx.input_str("targetPath")) {
            (Some(s), _) if !s.is_empty() => ctx.workspace_path(s)?,
            (_, Some(t)) if !t.is_empty() => ctx.workspace_path(t)?,
            _ => ctx.workspace_path("./")?,
        };
        let mut files = collect_files(ctx, &source)?;
        if let Some(prefix) = &target_path {
            for f in &mut files {
                f.path = format!("{prefix}/{}", f.path);
            }
        }
        let vcs = ctx.backends.vcs.vcs_for_host(&repo_url.host)?;
        let id = repo_url.repo_id();
        let project_path = id.to_string();
        let target = match ctx.input_str("targetBranchName").filter(|b| !b.is_empty()) {
            Some(b) => b.to_string(),
            None => {
                vcs.get_repository(&id)
                    .await?
                    .ok_or_else(|| ActionError::NotFound(format!("repository {id}")))?
                    .default_branch
            }
        };
        let commit = commit_action != "skip" && !files.is_empty();
        match vcs.create_branch(&id, &branch, Some(&target)).await {
            Ok(()) => ctx
                .logger
                .info(format!("Created branch {branch} from {target} in {id}")),
            Err(VcsError::AlreadyExists(_)) if commit => {
                return Err(ActionError::InvalidInput(format!(
                    "The branch creation failed because the branch {branch} already exists in {id}"
                )));
            }
            Err(VcsError::AlreadyExists(_)) => ctx.logger.info(format!(
                "Using existing branch {branch} without modification."
            )),
            Err(e) => return Err(e.into()),
        }
        if commit {
            let info = vcs
                .commit_files(&CommitRequest {
                    repo: id.clone(),
                    branch: branch.clone(),
                    message: title.clone(),
                    files,
                    author_name: None,
                    author_email: None,
                })
                .await?;
            ctx.record(Effect::Committed {
                step_id: ctx.step_id.clone(),
                url: project_path.clone(),
                branch: branch.clone(),
                commit_hash: info.commit_hash,
            });
        }
        let mr = vcs
            .open_change_request(&ChangeRequest {
                repo: id.clone(),
                source_branch: branch.clone(),
                target_branch: target.clone(),
                title,
                description,
            })
            .await?;
        ctx.logger.info(format!("Opened merge request {}", mr.url));
        ctx.record(Effect::Other {
            step_id: ctx.step_id.clone(),
            description: format!("opened merge request {}", mr.url),
        });
        ctx.output("projectid", project_path.clone());
        ctx.output("targetBranchName", target);
        ctx.output("projectPath", project_path);
        ctx.output("mergeRequestUrl", mr.url);
        Ok(())
    }
}
