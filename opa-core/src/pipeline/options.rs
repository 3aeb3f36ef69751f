//! What a pipeline is generated with, besides the app and its environments.

use serde::{Deserialize, Serialize};

/// Settings of the generated pipelines; every field has a documented default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PipelineOptions {
    /// The branch that deploys (`main`).
    pub branch: String,
    /// Where the app's entity lives in its repository (`.backstage/catalog-info.yaml`, as OPA's
    /// templates put it).
    pub catalog_info_path: String,
    /// The commands that build the artifact once (`make build`).
    pub build_commands: Vec<String>,
    /// The directory the build leaves the artifact in, deployed as is everywhere (`build`).
    pub artifact_dir: String,
    /// The directory of the app's IaC code (`.iac`, as OPA's templates fetch it).
    pub iac_dir: String,
    /// The container image of GitLab jobs; it needs the AWS CLI, git, jq, yq and the IaC tool.
    pub gitlab_image: String,
    /// The GitLab CI/CD variable holding a project access token that may push the report-back
    /// commit (`OPA_REPO_TOKEN`; OPA's `opa:createRepoAccessToken:gitlab` makes one).
    pub gitlab_token_variable: String,
    /// The GitHub runner (`ubuntu-latest`).
    pub github_runner: String,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        Self {
            branch: "main".into(),
            catalog_info_path: ".backstage/catalog-info.yaml".into(),
            build_commands: vec!["make build".into()],
            artifact_dir: "build".into(),
            iac_dir: ".iac".into(),
            gitlab_image: "public.ecr.aws/sam/build-nodejs20.x:latest".into(),
            gitlab_token_variable: "OPA_REPO_TOKEN".into(),
            github_runner: "ubuntu-latest".into(),
        }
    }
}
