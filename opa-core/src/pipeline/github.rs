//! `.github/workflows/deploy.yml`: a `build` job, then a job per environment × provider, each
//! needing every job of the previous environment. Jobs assume the provider's provisioning role
//! through GitHub's OIDC token (`aws-actions/configure-aws-credentials` with `role-to-assume`),
//! and run in a GitHub environment named after the OPA environment: an environment that
//! requires approval must be protected with required reviewers in the repository settings.

use serde_json::{Map, Value, json};

use super::options::PipelineOptions;
use super::plan::{DeployPlan, DeployStage, DeployTarget};
use super::script;

/// The path GitHub reads.
pub const PATH: &str = ".github/workflows/deploy.yml";
/// `actions/checkout`.
pub const CHECKOUT: &str = "actions/checkout@v4";
/// `actions/upload-artifact`.
pub const UPLOAD_ARTIFACT: &str = "actions/upload-artifact@v4";
/// `actions/download-artifact`.
pub const DOWNLOAD_ARTIFACT: &str = "actions/download-artifact@v4";
/// `aws-actions/configure-aws-credentials`.
pub const CONFIGURE_AWS_CREDENTIALS: &str = "aws-actions/configure-aws-credentials@v4";

/// The name of the build artifact.
pub fn artifact_name(plan: &DeployPlan) -> String {
    format!("{}-artifact", plan.app_name)
}

/// The workflow as a JSON value (serialized to YAML by [`super::generate_github`]).
pub fn workflow(plan: &DeployPlan, options: &PipelineOptions) -> Value {
    let mut jobs = Map::new();
    let mut build_steps = vec![json!({"uses": CHECKOUT})];
    build_steps.push(json!({"name": "Build", "run": options.build_commands.join("\n")}));
    build_steps.push(json!({
        "uses": UPLOAD_ARTIFACT,
        "with": {
            "name": artifact_name(plan),
            "path": options.artifact_dir,
            "if-no-files-found": "error",
        },
    }));
    jobs.insert(
        "build".into(),
        json!({"runs-on": options.github_runner, "steps": build_steps}),
    );
    let mut previous: Vec<String> = vec!["build".into()];
    for stage in &plan.stages {
        let mut this_stage = Vec::new();
        for target in &stage.targets {
            let mut needs = vec!["build".to_string()];
            needs.extend(previous.iter().filter(|j| *j != "build").cloned());
            jobs.insert(
                target.job_id.clone(),
                deploy_job(plan, stage, target, options, &needs),
            );
            this_stage.push(target.job_id.clone());
        }
        previous = this_stage;
    }
    json!({
        "name": format!("Deploy {}", plan.app_name),
        "on": {
            "push": {"branches": [options.branch]},
            "workflow_dispatch": {},
        },
        // id-token: the OIDC token for AWS; contents: the report-back commit.
        "permissions": {"id-token": "write", "contents": "write"},
        "concurrency": {"group": format!("deploy-{}", plan.app_name), "cancel-in-progress": false},
        "jobs": jobs,
    })
}

fn deploy_job(
    plan: &DeployPlan,
    stage: &DeployStage,
    target: &DeployTarget,
    options: &PipelineOptions,
    needs: &[String],
) -> Value {
    let p = &target.provider;
    let mut env = Map::new();
    for (k, v) in script::target_variables(plan, stage, target, options, "${{ github.sha }}") {
        env.insert(k.into(), json!(v));
    }
    let steps = vec![
        json!({"uses": CHECKOUT, "with": {"fetch-depth": 0}}),
        json!({
            "uses": DOWNLOAD_ARTIFACT,
            "with": {"name": artifact_name(plan), "path": options.artifact_dir},
        }),
        json!({
            "name": "Assume the provisioning role",
            "uses": CONFIGURE_AWS_CREDENTIALS,
            "with": {
                "role-to-assume": p.assumed_role_arn,
                "role-session-name": target.session_name,
                "aws-region": p.region,
            },
        }),
        json!({
            "name": format!("Deploy to {} ({})", stage.env_name, p.env_provider_name),
            "run": script::deploy(plan, options, "$GITHUB_WORKSPACE").join("\n"),
        }),
        json!({
            "name": "Report the deployment to the catalog",
            "run": script::report_back(stage, target, options),
        }),
    ];
    json!({
        "name": format!("Deploy to {} ({})", stage.env_name, p.env_provider_name),
        "needs": needs,
        "runs-on": options.github_runner,
        "environment": {"name": stage.env_name},
        "env": env,
        "steps": steps,
    })
}
