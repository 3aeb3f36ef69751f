//! `.gitlab-ci.yml`: a `build` stage, then one stage per environment with a job per provider.
//! Jobs assume the provider's provisioning role with the job's OIDC ID token (web identity),
//! and an environment that requires approval waits on `when: manual`.

use serde_json::{Map, Value, json};

use super::options::PipelineOptions;
use super::plan::{DeployPlan, DeployStage, DeployTarget};
use super::script;

/// The path GitLab reads.
pub const PATH: &str = ".gitlab-ci.yml";
/// The CI/CD variable the job's ID token is put in.
pub const ID_TOKEN_VARIABLE: &str = "OPA_AWS_ID_TOKEN";
/// Where the ID token is written for the AWS CLI and SDKs (`AWS_WEB_IDENTITY_TOKEN_FILE`).
pub const WEB_IDENTITY_TOKEN_FILE: &str = "/tmp/opa-web-identity-token";

/// The stage name of an environment.
pub fn stage_name(stage: &DeployStage) -> String {
    format!("deploy-{}", stage.env_name)
}

/// The pipeline as a JSON value (serialized to YAML by [`super::generate_gitlab`]).
pub fn pipeline(plan: &DeployPlan, options: &PipelineOptions) -> Value {
    let mut stages = vec![json!("build")];
    stages.extend(plan.stages.iter().map(|s| json!(stage_name(s))));
    let mut root = Map::new();
    root.insert(
        "workflow".into(),
        json!({"rules": [{"if": format!("$CI_COMMIT_BRANCH == \"{}\"", options.branch)}]}),
    );
    root.insert("stages".into(), Value::Array(stages));
    root.insert(
        "variables".into(),
        json!({"APP_NAME": plan.app_name, "ARTIFACT_DIR": options.artifact_dir}),
    );
    root.insert(
        "build".into(),
        json!({
            "stage": "build",
            "image": options.gitlab_image,
            "script": options.build_commands,
            "artifacts": {"paths": [format!("{}/", options.artifact_dir)]},
        }),
    );
    for (stage, target) in plan.targets() {
        root.insert(
            target.job_id.clone(),
            deploy_job(plan, stage, target, options),
        );
    }
    Value::Object(root)
}

fn deploy_job(
    plan: &DeployPlan,
    stage: &DeployStage,
    target: &DeployTarget,
    options: &PipelineOptions,
) -> Value {
    let p = &target.provider;
    let mut variables = Map::new();
    for (k, v) in script::target_variables(plan, stage, target, options, "$CI_COMMIT_SHA") {
        variables.insert(k.into(), json!(v));
    }
    // The AWS CLI and SDKs assume AWS_ROLE_ARN with the token in AWS_WEB_IDENTITY_TOKEN_FILE.
    variables.insert("AWS_ROLE_ARN".into(), json!(p.assumed_role_arn));
    variables.insert("AWS_ROLE_SESSION_NAME".into(), json!(target.session_name));
    variables.insert(
        "AWS_WEB_IDENTITY_TOKEN_FILE".into(),
        json!(WEB_IDENTITY_TOKEN_FILE),
    );
    variables.insert("AWS_REGION".into(), json!(p.region));
    variables.insert("AWS_DEFAULT_REGION".into(), json!(p.region));

    let mut script_lines = vec![format!(
        "printf '%s' \"${ID_TOKEN_VARIABLE}\" > \"$AWS_WEB_IDENTITY_TOKEN_FILE\""
    )];
    script_lines.extend(script::deploy(plan, options, "$CI_PROJECT_DIR"));
    // CI_JOB_TOKEN cannot push: the report-back commit goes through the project access token.
    script_lines.push(format!(
        "git remote set-url origin \"https://oauth2:${{{}}}@${{CI_SERVER_HOST}}/${{CI_PROJECT_PATH}}.git\"",
        options.gitlab_token_variable
    ));
    script_lines.push(script::report_back(stage, target, options));

    let mut job = Map::new();
    job.insert("stage".into(), json!(stage_name(stage)));
    job.insert("image".into(), json!(options.gitlab_image));
    // Only the build's artifact: the same one in every stage.
    job.insert("dependencies".into(), json!(["build"]));
    job.insert(
        "environment".into(),
        json!({"name": format!("{}/{}", stage.env_name, p.env_provider_name)}),
    );
    job.insert(
        "resource_group".into(),
        json!(format!("{}-{}", plan.app_name, target.job_id)),
    );
    job.insert(
        "id_tokens".into(),
        json!({ID_TOKEN_VARIABLE: {"aud": "sts.amazonaws.com"}}),
    );
    job.insert("variables".into(), Value::Object(variables));
    job.insert("script".into(), json!(script_lines));
    if stage.requires_approval {
        // allow_failure: false keeps later stages waiting until someone runs the job.
        job.insert("when".into(), json!("manual"));
        job.insert("allow_failure".into(), json!(false));
    }
    Value::Object(job)
}
