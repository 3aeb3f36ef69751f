//! Projects: one project, creating one in a group, and the projects of a group with its
//! subgroups.

use std::collections::BTreeSet;

use opa_core::vcs::{CreateRepository, RepoId, Repository, VcsError};
use reqwest::Method;
use serde_json::json;

use super::GitLab;
use super::http::{Call, is_taken};
use super::model::{Namespace, Project, encode_path};

impl GitLab {
    /// The project at `path` (`group/sub/name`, or its numeric id).
    pub(super) async fn project(&self, path: &str) -> Result<Project, VcsError> {
        self.http
            .json(Call::get(
                format!("/projects/{}", encode_path(path)),
                format!("project {path}"),
            ))
            .await
    }

    /// Creates the project `request.repo` in the group (or user namespace) `repo.owner`:
    /// `GET /namespaces/:id` for the namespace id, then `POST /projects`. A taken name (400
    /// `has already been taken`, or 409) is [`VcsError::AlreadyExists`].
    pub(super) async fn create_project(
        &self,
        request: &CreateRepository,
    ) -> Result<Repository, VcsError> {
        let repo = &request.repo;
        let namespace: Namespace = self
            .http
            .json(Call::get(
                format!("/namespaces/{}", encode_path(&repo.owner)),
                format!("group {}", repo.owner),
            ))
            .await?;
        let mut body = json!({
            "name": repo.name,
            "path": repo.name,
            "namespace_id": namespace.id,
            "visibility": visibility_name(request.visibility),
            "default_branch": request.default_branch,
            "initialize_with_readme": false,
        });
        if let Some(description) = &request.description {
            body["description"] = json!(description);
        }
        let created: Result<Project, VcsError> = self
            .http
            .json(Call::send(
                Method::POST,
                "/projects".to_string(),
                body,
                format!("project {repo}"),
            ))
            .await;
        match created {
            Ok(project) => {
                let mut repository = project.into_repository();
                // An empty project has no default branch yet: the first commit makes it.
                repository.default_branch = request.default_branch.clone();
                Ok(repository)
            }
            Err(e) if is_taken(&e) => Err(VcsError::AlreadyExists(repo.to_string())),
            Err(e) => Err(e),
        }
    }

    /// The projects of `group` and its subgroups, archived ones too when `include_archived`,
    /// following the pagination headers; sorted by path.
    ///
    /// Uses `include_subgroups=true`; a subgroup whose projects the answer left out (a server
    /// that ignores the parameter) is then listed on its own from `descendant_groups`.
    pub async fn group_projects(
        &self,
        group: &str,
        include_archived: bool,
    ) -> Result<Vec<Repository>, VcsError> {
        let group = group.trim_matches('/');
        let mut projects = self
            .projects_of(group, include_archived, true, &format!("group {group}"))
            .await?;
        let namespaces: BTreeSet<String> = projects
            .iter()
            .map(|p: &Repository| p.id.owner.to_ascii_lowercase())
            .collect();
        let subgroups: Vec<Namespace> = match self
            .http
            .all_pages(Call::get(
                format!("/groups/{}/descendant_groups", encode_path(group)),
                format!("subgroups of {group}"),
            ))
            .await
        {
            Ok(groups) => groups,
            // Older instances and simple servers lack the endpoint (or refuse it to this
            // token): the listing above stands.
            Err(e) => {
                tracing::debug!(group, error = %e, "no descendant groups listed");
                Vec::new()
            }
        };
        for sub in subgroups {
            let Some(path) = sub.full_path.filter(|p| !p.is_empty()) else {
                continue;
            };
            if namespaces.contains(&path.to_ascii_lowercase()) {
                continue;
            }
            let more = self
                .projects_of(&path, include_archived, false, &format!("group {path}"))
                .await?;
            projects.extend(more);
        }
        projects.sort_by(|a, b| a.id.cmp(&b.id));
        projects.dedup_by(|a, b| a.project_id == b.project_id && a.id == b.id);
        Ok(projects)
    }

    async fn projects_of(
        &self,
        group: &str,
        include_archived: bool,
        include_subgroups: bool,
        what: &str,
    ) -> Result<Vec<Repository>, VcsError> {
        let mut call = Call::get(format!("/groups/{}/projects", encode_path(group)), what);
        if include_subgroups {
            call = call.query("include_subgroups", "true");
        }
        if !include_archived {
            call = call.query("archived", "false");
        }
        let projects: Vec<Project> = self.http.all_pages(call).await?;
        Ok(projects
            .into_iter()
            // Servers that ignore `archived=false` still say which projects are archived.
            .filter(|p| include_archived || !p.archived)
            .map(Project::into_repository)
            .collect())
    }

    /// The project of `repo`, or `None` when it does not exist.
    pub(super) async fn find_project(&self, repo: &RepoId) -> Result<Option<Project>, VcsError> {
        match self.project(&repo.to_string()).await {
            Ok(p) => Ok(Some(p)),
            Err(VcsError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn visibility_name(v: opa_core::vcs::Visibility) -> &'static str {
    match v {
        opa_core::vcs::Visibility::Private => "private",
        opa_core::vcs::Visibility::Internal => "internal",
        opa_core::vcs::Visibility::Public => "public",
    }
}
