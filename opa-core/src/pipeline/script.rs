//! The shell steps both pipelines run: deploy with the app's IaC tool, then report the
//! deployment outputs back into the app's catalog entity.

use super::options::PipelineOptions;
use super::plan::{DeployPlan, DeployStage, DeployTarget};
use crate::platform::IacType;

/// Where the deploy step leaves the normalized outputs (outside the work tree, so the
/// report-back step can reset the checkout).
pub const OUTPUTS_FILE: &str = "/tmp/opa-deploy-outputs.json";
const RAW_OUTPUTS_FILE: &str = "/tmp/opa-deploy-outputs.raw.json";

/// Variables every deploy job gets (`version` is the CI system's commit SHA expression), named as OPA's `.awsdeployment/providers/*.properties`.
pub fn target_variables(
    plan: &DeployPlan,
    stage: &DeployStage,
    target: &DeployTarget,
    options: &PipelineOptions,
    version: &str,
) -> Vec<(&'static str, String)> {
    let p = &target.provider;
    vec![
        ("APP_NAME", plan.app_name.clone()),
        ("TARGET_ENV_NAME", stage.env_name.clone()),
        ("TARGET_ENV_REF", stage.env_ref.clone()),
        ("TARGET_ENV_PROVIDER_NAME", p.env_provider_name.clone()),
        ("TARGET_RUNTIME", p.env_provider_type.to_string()),
        ("ACCOUNT", p.account_id.clone()),
        ("REGION", p.region.clone()),
        ("PREFIX", p.env_provider_prefix.clone()),
        ("ENV_ROLE_ARN", p.assumed_role_arn.clone()),
        ("TARGET_VPCID", p.vpc_id.clone()),
        ("TARGET_CLUSTER", p.cluster_arn.clone()),
        (
            "OPA_CI_ENVIRONMENT",
            format!("{}-{}", stage.env_name, p.env_provider_name),
        ),
        ("ARTIFACT_DIR", options.artifact_dir.clone()),
        ("ARTIFACT_VERSION", version.to_string()),
    ]
}

/// Deploys the built artifact with the IaC tool and leaves the outputs, flattened to one JSON
/// object of name → value (sensitive Terraform outputs left out), in [`OUTPUTS_FILE`].
/// `workdir` is the CI system's checkout directory variable (`$CI_PROJECT_DIR`,
/// `$GITHUB_WORKSPACE`).
pub fn deploy(plan: &DeployPlan, options: &PipelineOptions, workdir: &str) -> Vec<String> {
    let iac = &options.iac_dir;
    match plan.iac_type {
        IacType::Cdk => vec![
            "aws sts get-caller-identity".into(),
            format!(
                "(cd {iac} && npm ci && npx cdk deploy --all --require-approval never -c appName=\"$APP_NAME\" -c envName=\"$TARGET_ENV_NAME\" -c providerName=\"$TARGET_ENV_PROVIDER_NAME\" -c artifactDir=\"{workdir}/$ARTIFACT_DIR\" -c artifactVersion=\"$ARTIFACT_VERSION\" --outputs-file {RAW_OUTPUTS_FILE})"
            ),
            // cdk writes {Stack: {Output: value}}: merge the stacks.
            format!(
                "jq 'reduce .[] as $stack ({{}}; . + $stack)' {RAW_OUTPUTS_FILE} > {OUTPUTS_FILE}"
            ),
        ],
        IacType::Terraform => vec![
            "aws sts get-caller-identity".into(),
            format!(
                "terraform -chdir={iac} init -input=false -backend-config=\"bucket=$PREFIX-$ACCOUNT-$REGION-tf-state\" -backend-config=\"key=$APP_NAME/$TARGET_ENV_NAME/$TARGET_ENV_PROVIDER_NAME.tfstate\" -backend-config=\"region=$REGION\" -backend-config=\"dynamodb_table=$PREFIX-tf-lock\""
            ),
            format!(
                "terraform -chdir={iac} apply -input=false -auto-approve -var \"app_name=$APP_NAME\" -var \"env_name=$TARGET_ENV_NAME\" -var \"provider_name=$TARGET_ENV_PROVIDER_NAME\" -var \"artifact_dir={workdir}/$ARTIFACT_DIR\" -var \"artifact_version=$ARTIFACT_VERSION\""
            ),
            format!("terraform -chdir={iac} output -json > {RAW_OUTPUTS_FILE}"),
            // terraform writes {name: {value, type, sensitive}}: keep the values that are not
            // sensitive, so no secret reaches the catalog.
            format!(
                "jq 'with_entries(select(.value.sensitive | not) | .value |= .value)' {RAW_OUTPUTS_FILE} > {OUTPUTS_FILE}"
            ),
        ],
    }
}

/// Writes the outputs into `metadata.appData.<env>.<provider>` of the app's entity, adds the
/// environment to `spec.dependsOn` (once), and pushes the change with `[skip ci]` so the
/// pipeline does not run again. A concurrent push (another provider reporting) is met by
/// resetting to the remote branch and applying the edit again, up to five times.
pub fn report_back(
    stage: &DeployStage,
    target: &DeployTarget,
    options: &PipelineOptions,
) -> String {
    let file = &options.catalog_info_path;
    let branch = &options.branch;
    let env = yq_string(&stage.env_name);
    let provider = yq_string(&target.provider.env_provider_name);
    let env_ref = yq_string(&stage.env_ref);
    format!(
        r#"git config user.name "opa-pipeline"
git config user.email "opa-pipeline@noreply.invalid"
reported=false
for attempt in 1 2 3 4 5; do
  git fetch -q origin {branch}
  git reset -q --hard origin/{branch}
  yq -i '.metadata.appData[{env}][{provider}] = load("{OUTPUTS_FILE}")' {file}
  yq -i '.spec.dependsOn = ((.spec.dependsOn // []) + [{env_ref}] | unique)' {file}
  git add {file}
  if git diff --cached --quiet; then reported=true; break; fi
  git commit -q -m "opa: report deployment of $APP_NAME to {env_name}/{provider_name} [skip ci]"
  if git push -q origin HEAD:{branch}; then reported=true; break; fi
  sleep $((attempt * 5))
done
test "$reported" = true"#,
        env_name = stage.env_name,
        provider_name = target.provider.env_provider_name,
    )
}

/// A yq string literal (double-quoted, backslash and quote escaped) inside a single-quoted
/// shell word: single quotes are left out, as names never contain them.
fn yq_string(s: &str) -> String {
    let escaped: String = s
        .chars()
        .filter(|c| *c != '\'')
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}
