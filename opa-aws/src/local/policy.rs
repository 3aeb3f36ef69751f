//! The IAM documents bootstrap writes, and reading trust from them.

use opa_core::cloud::BootstrapRequest;
use serde_json::{Value, json};

/// The GitHub Actions OIDC issuer.
pub const GITHUB_OIDC_URL: &str = "https://token.actions.githubusercontent.com";
/// The audience both OIDC trusts ask for.
pub const STS_AUDIENCE: &str = "sts.amazonaws.com";

/// Whether `trust` lets principals of `account` assume the role.
pub fn trusts_account(trust: &Value, account: &str) -> bool {
    let root = format!("arn:aws:iam::{account}:root");
    trust["Statement"].as_array().is_some_and(|statements| {
        statements.iter().any(|s| {
            s["Effect"] == "Allow"
                && match &s["Principal"]["AWS"] {
                    Value::String(p) => *p == root || p == account,
                    Value::Array(ps) => ps.iter().any(|p| *p == root || *p == account),
                    _ => false,
                }
        })
    })
}

fn platform_statement(platform_account: &str) -> Value {
    json!({
        "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{platform_account}:root")},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
    })
}

/// The URL of the GitLab OIDC issuer of `host`.
pub fn gitlab_oidc_url(host: &str) -> String {
    format!("https://{host}")
}

/// The ARN of an OIDC provider.
pub fn oidc_provider_arn(account: &str, url: &str) -> String {
    format!(
        "arn:aws:iam::{account}:oidc-provider/{}",
        url.trim_start_matches("https://")
    )
}

/// A condition value: one string, or a list of several (IAM takes both; one string is what
/// bootstrap always wrote for GitLab, so roles made before stay free of drift).
fn one_or_many(mut values: Vec<String>) -> Value {
    if values.len() == 1 {
        Value::String(values.remove(0))
    } else {
        Value::from(values)
    }
}

/// The provisioning role's trust: the platform account, and pipelines by web identity — the
/// runs of the request's OIDC subjects (branches; GitHub environments too). A GitLab trust
/// with no branch subject trusts no pipeline (see [`check_oidc_subjects`]).
pub fn provisioning_trust(request: &BootstrapRequest, platform_account: &str) -> Value {
    let subjects = request.oidc_subjects();
    let mut statements = vec![platform_statement(platform_account)];
    if let Some(repo) = &request.github_repo {
        let host = GITHUB_OIDC_URL.trim_start_matches("https://");
        statements.push(json!({
            "Effect": "Allow",
            "Principal": {"Federated": oidc_provider_arn(&request.account, GITHUB_OIDC_URL)},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {format!("{host}:aud"): STS_AUDIENCE},
                "StringLike": {format!("{host}:sub"): one_or_many(
                    subjects.iter().map(|s| s.github_sub(repo)).collect()
                )},
            },
        }));
    }
    if let (Some(host), Some(project)) = (&request.gitlab_host, &request.gitlab_project) {
        let subs: Vec<String> = subjects
            .iter()
            .filter_map(|s| s.gitlab_sub(project))
            .collect();
        statements.push(json!({
            "Effect": "Allow",
            "Principal": {"Federated": oidc_provider_arn(&request.account, &gitlab_oidc_url(host))},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {format!("{host}:aud"): STS_AUDIENCE},
                "StringLike": {format!("{host}:sub"): one_or_many(subs)},
            },
        }));
    }
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// Refuses OIDC subjects a trust cannot express: a GitLab trust needs a branch, since GitLab's
/// `sub` claim names no environment.
pub fn check_oidc_subjects(request: &BootstrapRequest) -> Result<(), String> {
    let subjects = request.oidc_subjects();
    if request.gitlab_host.is_some()
        && !subjects
            .iter()
            .any(|s| matches!(s, opa_core::cloud::OidcSubject::Branch(_)))
    {
        return Err(
            "a GitLab OIDC trust needs a branch subject (branch:<name>): GitLab's sub claim names no environment"
                .into(),
        );
    }
    Ok(())
}

/// The operations role's trust: the platform account.
pub fn operations_trust(platform_account: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [platform_statement(platform_account)]})
}

/// What pipelines may do: deploy the prefix's stacks, use the state bucket and lock table.
pub fn provisioning_policy(request: &BootstrapRequest) -> Value {
    let (a, r, p) = (&request.account, &request.region, &request.prefix);
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["cloudformation:*"],
         "Resource": format!("arn:aws:cloudformation:{r}:{a}:stack/{p}-*")},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
         "Resource": [format!("arn:aws:s3:::{}", request.state_bucket()),
                      format!("arn:aws:s3:::{}/*", request.state_bucket())]},
        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
         "Resource": format!("arn:aws:dynamodb:{r}:{a}:table/{}", request.lock_table())},
        {"Effect": "Allow", "Action": ["iam:PassRole"],
         "Resource": format!("arn:aws:iam::{a}:role/{p}-*")},
    ]})
}

/// What operations may do: the prefix's services and functions (start, stop, restart,
/// environment variables, releases), the task definitions they register, and the audit table.
pub fn operations_policy(request: &BootstrapRequest) -> Value {
    let (a, r, p) = (&request.account, &request.region, &request.prefix);
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["ecs:DescribeServices", "ecs:UpdateService", "ecs:TagResource", "ecs:ListTagsForResource"],
         "Resource": format!("arn:aws:ecs:{r}:{a}:service/*{p}-*")},
        // Task definitions have no resource-level permissions for these two.
        {"Effect": "Allow", "Action": ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"],
         "Resource": "*"},
        {"Effect": "Allow", "Action": ["iam:PassRole"],
         "Resource": format!("arn:aws:iam::{a}:role/{p}-*"),
         "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}},
        {"Effect": "Allow", "Action": ["lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:UpdateFunctionConfiguration", "lambda:GetFunctionConcurrency", "lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency", "lambda:PublishVersion", "lambda:GetAlias", "lambda:CreateAlias", "lambda:UpdateAlias", "lambda:TagResource", "lambda:ListTags"],
         "Resource": [format!("arn:aws:lambda:{r}:{a}:function:{p}-*"), format!("arn:aws:lambda:{r}:{a}:function:{p}-*:*")]},
        {"Effect": "Allow", "Action": ["dynamodb:PutItem"],
         "Resource": format!("arn:aws:dynamodb:{r}:{a}:table/{}", request.audit_table())},
    ]})
}
