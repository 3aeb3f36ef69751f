//! The built-in actions, one file each.

mod catalog_fetch;
mod catalog_register;
mod catalog_write;
mod crossplane_render;
mod debug_log;
mod fetch_plain;
mod fetch_plain_file;
mod fetch_template;
mod fetch_template_file;
pub mod files;
mod fs_delete;
mod fs_readdir;
mod fs_rename;
mod opa_create_team_namespace;
mod publish;
mod publish_github;
mod publish_github_pull_request;
mod publish_gitlab;
mod publish_gitlab_merge_request;
mod roadiehq_fs_write;

use std::sync::Arc;

use super::action::Action;

pub use catalog_fetch::CatalogFetch;
pub use catalog_register::CatalogRegister;
pub use catalog_write::CatalogWrite;
pub use crossplane_render::CrossplaneRender;
pub use debug_log::DebugLog;
pub use fetch_plain::FetchPlain;
pub use fetch_plain_file::FetchPlainFile;
pub use fetch_template::FetchTemplate;
pub use fetch_template_file::FetchTemplateFile;
pub use fs_delete::FsDelete;
pub use fs_readdir::FsReaddir;
pub use fs_rename::FsRename;
pub use opa_create_team_namespace::CreateTeamNamespace;
pub use publish_github::PublishGithub;
pub use publish_github_pull_request::PublishGithubPullRequest;
pub use publish_gitlab::PublishGitlab;
pub use publish_gitlab_merge_request::PublishGitlabMergeRequest;
pub use roadiehq_fs_write::RoadieFsWrite;

/// Every built-in action.
pub fn builtin_actions() -> Vec<Arc<dyn Action>> {
    vec![
        Arc::new(CatalogFetch),
        Arc::new(CatalogRegister),
        Arc::new(CatalogWrite),
        Arc::new(CrossplaneRender),
        Arc::new(DebugLog),
        Arc::new(FetchPlain),
        Arc::new(FetchPlainFile),
        Arc::new(FetchTemplate),
        Arc::new(FetchTemplateFile),
        Arc::new(FsDelete),
        Arc::new(FsReaddir),
        Arc::new(FsRename),
        Arc::new(CreateTeamNamespace),
        Arc::new(PublishGithub),
        Arc::new(PublishGithubPullRequest),
        Arc::new(PublishGitlab),
        Arc::new(PublishGitlabMergeRequest),
        Arc::new(RoadieFsWrite),
    ]
}
