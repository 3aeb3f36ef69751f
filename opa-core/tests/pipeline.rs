//! Pipelines generated for the example platform's app, parsed back with `opa_core::yaml` and
//! checked property by property; validated against the published JSON schemas of GitLab CI and
//! GitHub workflows (check-jsonschema's vendored copies) when `OPA_CHECK_JSONSCHEMA` names the
//! `check-jsonschema` program.

use opa_core::entity::EntityRef;
use opa_core::pipeline::session_name;
use opa_core::pipeline::{self, DeployPlan, PipelineError, PipelineOptions};
use opa_core::platform::model::resolve_environment;
use opa_core::platform::{Application, EntityIndex, EntityLookup, ResolvedEnvironment};
use opa_core::yaml::{Limits, parse_single};
use serde_json::Value;

fn example() -> (Application, Vec<ResolvedEnvironment>) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/platform");
    let mut index = EntityIndex::default();
    index.add_path(std::path::Path::new(dir)).unwrap();
    let app_ref: EntityRef = "component:default/payments-api".parse().unwrap();
    let app = Application::from_entity(index.entity(&app_ref).unwrap()).unwrap();
    let envs = app
        .environments
        .iter()
        .map(|e| resolve_environment(&index, e).unwrap())
        .collect();
    (app, envs)
}

fn parse(text: &str) -> Value {
    parse_single(text, &Limits::default())
        .unwrap()
        .expect("a document")
        .to_json()
}

fn generated() -> (Value, Value, String, String) {
    let (app, envs) = example();
    let files = pipeline::generate(&app, &envs, &PipelineOptions::default()).unwrap();
    assert_eq!(files[0].path, ".gitlab-ci.yml");
    assert_eq!(files[1].path, ".github/workflows/deploy.yml");
    (
        parse(&files[0].content),
        parse(&files[1].content),
        files[0].content.clone(),
        files[1].content.clone(),
    )
}

const DEPLOY_JOBS: [(&str, &str, &str); 4] = [
    ("deploy-dev-dev-use1", "dev", "dev-use1"),
    ("deploy-qa-qa-use1", "qa", "qa-use1"),
    ("deploy-qa-qa-euw1", "qa", "qa-euw1"),
    ("deploy-prod-prod-use1", "prod", "prod-use1"),
];

#[test]
fn gitlab_stages_in_level_order_with_a_job_per_provider() {
    let (gl, ..) = generated();
    let stages: Vec<&str> = gl["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    // spec.dependsOn lists dev, prod, qa: the pipeline orders them by level.
    assert_eq!(stages, ["build", "deploy-dev", "deploy-qa", "deploy-prod"]);
    for (job, env, provider) in DEPLOY_JOBS {
        let j = &gl[job];
        assert_eq!(j["stage"], format!("deploy-{env}"), "{job}");
        assert_eq!(j["environment"]["name"], format!("{env}/{provider}"));
        assert_eq!(j["variables"]["TARGET_ENV_PROVIDER_NAME"], provider);
    }
    let jobs = gl
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("deploy-"))
        .count();
    assert_eq!(jobs, 4);
}

#[test]
fn gitlab_builds_once_and_promotes_the_artifact() {
    let (gl, ..) = generated();
    assert_eq!(gl["build"]["stage"], "build");
    assert_eq!(gl["build"]["script"][0], "make build");
    assert_eq!(gl["build"]["artifacts"]["paths"][0], "build/");
    for (job, ..) in DEPLOY_JOBS {
        let j = &gl[job];
        assert_eq!(j["dependencies"], serde_json::json!(["build"]), "{job}");
        let script = j["script"].to_string();
        assert!(!script.contains("make build"), "{job} rebuilds");
        assert_eq!(j["variables"]["ARTIFACT_VERSION"], "$CI_COMMIT_SHA");
    }
}

#[test]
fn gitlab_assumes_the_provisioning_role_by_web_identity() {
    let (gl, ..) = generated();
    let j = &gl["deploy-qa-qa-euw1"];
    assert_eq!(
        j["variables"]["AWS_ROLE_ARN"],
        "arn:aws:iam::333333333333:role/opa-qa-provisioning-role"
    );
    assert_eq!(j["variables"]["AWS_REGION"], "eu-west-1");
    assert_eq!(
        j["id_tokens"]["OPA_AWS_ID_TOKEN"]["aud"],
        "sts.amazonaws.com"
    );
    let token_file = j["variables"]["AWS_WEB_IDENTITY_TOKEN_FILE"]
        .as_str()
        .unwrap();
    assert!(
        j["script"][0]
            .as_str()
            .unwrap()
            .contains("$OPA_AWS_ID_TOKEN")
    );
    assert!(!token_file.is_empty());
    let session = j["variables"]["AWS_ROLE_SESSION_NAME"].as_str().unwrap();
    assert!(session_name::is_valid(session), "{session}");
    assert_eq!(session, "opa-payments-api-qa-qa-euw1");
}

#[test]
fn gitlab_gates_environments_that_require_approval() {
    let (gl, ..) = generated();
    assert_eq!(gl["deploy-prod-prod-use1"]["when"], "manual");
    assert_eq!(gl["deploy-prod-prod-use1"]["allow_failure"], false);
    for job in [
        "deploy-dev-dev-use1",
        "deploy-qa-qa-use1",
        "deploy-qa-qa-euw1",
    ] {
        assert!(gl[job].get("when").is_none(), "{job}");
    }
}

#[test]
fn report_back_writes_app_data_and_depends_on_without_retriggering() {
    let (gl, gh, ..) = generated();
    let gl_script = gl["deploy-qa-qa-euw1"]["script"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    let gh_steps = gh["jobs"]["deploy-qa-qa-euw1"]["steps"].as_array().unwrap();
    let gh_script = gh_steps.last().unwrap()["run"]
        .as_str()
        .unwrap()
        .to_string();
    for script in [&gl_script, &gh_script] {
        assert!(
            script.contains(r#".metadata.appData["qa"]["qa-euw1"] = load("#),
            "{script}"
        );
        assert!(script.contains(r#"[ "awsenvironment:default/qa" ]"#.replace(' ', "").as_str()));
        assert!(script.contains("| unique"));
        assert!(script.contains(".backstage/catalog-info.yaml"));
        assert!(script.contains("[skip ci]"));
        assert!(script.contains("git push -q origin HEAD:main"));
    }
    // GitLab pushes with the project access token, not CI_JOB_TOKEN.
    assert!(
        gl["deploy-qa-qa-euw1"]["script"]
            .to_string()
            .contains("oauth2:${OPA_REPO_TOKEN}@")
    );
}

#[test]
fn github_jobs_chain_environments_and_use_oidc() {
    let (_, gh, _, gh_text) = generated();
    assert_eq!(gh["permissions"]["id-token"], "write");
    assert_eq!(gh["permissions"]["contents"], "write");
    assert_eq!(gh["on"]["push"]["branches"][0], "main");
    let jobs = gh["jobs"].as_object().unwrap();
    assert_eq!(jobs.len(), 5);
    let needs = |job: &str| -> Vec<String> {
        gh["jobs"][job]["needs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(needs("deploy-dev-dev-use1"), ["build"]);
    assert_eq!(needs("deploy-qa-qa-use1"), ["build", "deploy-dev-dev-use1"]);
    assert_eq!(
        needs("deploy-prod-prod-use1"),
        ["build", "deploy-qa-qa-use1", "deploy-qa-qa-euw1"]
    );
    let upload = &gh["jobs"]["build"]["steps"][2];
    assert_eq!(upload["uses"], "actions/upload-artifact@v4");
    for (job, env, _) in DEPLOY_JOBS {
        let j = &gh["jobs"][job];
        assert_eq!(j["environment"]["name"], env);
        let steps = j["steps"].as_array().unwrap();
        let download = steps
            .iter()
            .find(|s| s["uses"] == "actions/download-artifact@v4")
            .unwrap();
        assert_eq!(download["with"]["name"], upload["with"]["name"]);
        let creds = steps
            .iter()
            .find(|s| s["uses"] == "aws-actions/configure-aws-credentials@v4")
            .unwrap();
        assert!(
            creds["with"]["role-to-assume"]
                .as_str()
                .unwrap()
                .ends_with("-provisioning-role")
        );
        assert!(session_name::is_valid(
            creds["with"]["role-session-name"].as_str().unwrap()
        ));
        assert!(!j.to_string().contains("make build"), "{job} rebuilds");
    }
    assert!(gh_text.contains("# Requires approval: protect the GitHub environment(s) prod"));
}

#[test]
fn long_names_still_give_valid_session_names() {
    let (mut app, mut envs) = example();
    app.name = "a-very-long-application-name-that-goes-on-and-on-and-on".into();
    envs[0].env_name = "development environment with spaces".into();
    let plan = DeployPlan::new(&app, &envs).unwrap();
    for (_, t) in plan.targets() {
        assert!(
            session_name::is_valid(&t.session_name),
            "{}",
            t.session_name
        );
        assert!(t.session_name.len() <= 64);
        assert!(
            t.job_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }
}

#[test]
fn refuses_what_cannot_deploy() {
    let (app, mut envs) = example();
    assert!(matches!(
        DeployPlan::new(&app, &[]),
        Err(PipelineError::NoEnvironments(_))
    ));
    envs[0].env_providers[0].assumed_role_arn = "/opa/dev/provisioning-role".into();
    let e = DeployPlan::new(&app, &envs).unwrap_err();
    assert!(e.to_string().contains("SSM parameter"), "{e}");
}

#[test]
fn terraform_apps_deploy_with_terraform_and_drop_sensitive_outputs() {
    let (mut app, envs) = example();
    app.iac_type = Some(opa_core::platform::IacType::Terraform);
    let files = pipeline::generate(&app, &envs, &PipelineOptions::default()).unwrap();
    let gl = parse(&files[0].content);
    let script = gl["deploy-dev-dev-use1"]["script"].to_string();
    assert!(script.contains("terraform -chdir=.iac apply"));
    assert!(script.contains("select(.value.sensitive | not)"));
    assert!(!script.contains("cdk deploy"));
}

/// Validates both files with check-jsonschema's vendored copies of the published schemas.
#[test]
fn validates_against_published_schemas() {
    let Ok(program) = std::env::var("OPA_CHECK_JSONSCHEMA") else {
        println!(
            "skipped: set OPA_CHECK_JSONSCHEMA to the check-jsonschema program (scripts/test.sh does)"
        );
        return;
    };
    let (app, envs) = example();
    let dir = tempfile::tempdir().unwrap();
    for (file, schema) in pipeline::generate(&app, &envs, &PipelineOptions::default())
        .unwrap()
        .iter()
        .zip(["vendor.gitlab-ci", "vendor.github-workflows"])
    {
        let path = dir.path().join(file.path.replace('/', "_"));
        std::fs::write(&path, &file.content).unwrap();
        let out = std::process::Command::new(&program)
            .args(["--builtin-schema", schema])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{} fails {schema}:\n{}{}\n{}",
            file.path,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            file.content
        );
    }
}
