//! `opa bootstrap aws --account ID --region R --prefix P --env E [...] [--plan | --apply]`.

use std::io::Write;
use std::process::ExitCode;

use opa_aws::aws::{AwsBootstrapper, AwsConfig, AwsCredentials};
use opa_core::cloud::{
    BootstrapPlan, BootstrapRequest, Bootstrapper, CloudError, Credentials, SecretString,
};
use serde_json::json;

use crate::cli::{BootstrapAwsArgs, Format};

pub fn run(args: &BootstrapAwsArgs) -> anyhow::Result<ExitCode> {
    let request = BootstrapRequest {
        account: args.account.clone(),
        region: args.region.clone(),
        prefix: args.prefix.clone(),
        env_name: args.env_name.clone(),
        github_repo: args.github_repo.clone(),
        gitlab_host: args.gitlab_host.clone(),
        gitlab_project: args.gitlab_project.clone(),
        provisioning_role_name: args.provisioning_role.clone(),
        operations_role_name: args.operations_role.clone(),
        destroy: args.destroy,
        force: args.force,
        oidc_subjects: args.oidc_subjects.clone(),
        github_token: token("GITHUB_TOKEN"),
        gitlab_token: token("GITLAB_TOKEN"),
    };
    let mut config = AwsConfig::from_env();
    if args.endpoint_url.is_some() {
        config = config.with_endpoint_url(args.endpoint_url.clone());
    }
    let mut bootstrapper = AwsBootstrapper::new(config.clone());
    if let Some(a) = &args.platform_account {
        bootstrapper = bootstrapper.with_platform_account(a);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let outcome = runtime.block_on(async {
        let credentials = AwsCredentials::default_chain(config);
        let session = credentials.platform_session(&request.region).await?;
        if args.apply {
            let (plan, made) = bootstrapper.apply(&session, &request).await?;
            Ok::<_, CloudError>((plan, Some(made)))
        } else {
            Ok((bootstrapper.plan(&session, &request).await?, None))
        }
    });
    let mut out = std::io::stdout().lock();
    match outcome {
        Ok((plan, made)) => {
            let code = if plan.has_drift() && !(args.apply && args.force) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
            match args.format {
                Format::Json => {
                    let value = json!({
                        "applied": args.apply,
                        "plan": plan,
                        "drift": plan.has_drift(),
                        "resources": made,
                    });
                    writeln!(out, "{value}")?;
                }
                Format::Text => write_text(&mut out, &plan, args.apply, made.is_some())?,
            }
            Ok(code)
        }
        Err(e) => {
            let code = match e {
                // The credentials are not the account's: a usage error.
                CloudError::AccessDenied(ref m) if m.starts_with("the credentials belong") => 2,
                CloudError::InvalidRequest(_) => 2,
                _ => 1,
            };
            match args.format {
                Format::Json => writeln!(
                    out,
                    "{}",
                    json!({"applied": false, "error": {"code": e.code(), "message": e.to_string()}})
                )?,
                Format::Text => eprintln!("error: {e}"),
            }
            Ok(ExitCode::from(code))
        }
    }
}

/// A token from the environment (DESIGN: tokens come from the environment when not in opa.yaml).
fn token(var: &str) -> Option<SecretString> {
    std::env::var(var)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(SecretString::new)
}

fn write_text(
    out: &mut impl Write,
    plan: &BootstrapPlan,
    apply: bool,
    applied: bool,
) -> std::io::Result<()> {
    write!(out, "{}", plan.to_text())?;
    if applied {
        writeln!(out, "applied.")?;
    } else if plan.is_noop() {
        writeln!(out, "nothing to do.")?;
    } else if plan.has_drift() && !apply {
        writeln!(
            out,
            "drift: run with --apply --force to replace what changed outside bootstrap."
        )?;
    } else {
        writeln!(out, "run with --apply to make these changes.")?;
    }
    Ok(())
}
