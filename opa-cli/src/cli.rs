//! Command-line arguments: `opa <noun> <verb>`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// OPA-rs: catalog, scaffolder and platform engine for Backstage-style developer platforms.
#[derive(Debug, Parser)]
#[command(name = "opa", version, about, propagate_version = true)]
pub struct Cli {
    /// Configuration file (default: ./opa.yaml, else built-in defaults).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// More log output (-v info, -vv debug, -vvv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors in the log.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk the whole platform flow on the embedded backends (no account, no server) and leave a
    /// working platform in DIR: a provisioned provider, dev/qa/prod, an app with its repository,
    /// catalog entry and pipelines, the checked catalog and an audited operation.
    Quickstart(QuickstartArgs),
    /// Validate catalog files as Backstage's catalog would.
    Validate(ValidateArgs),
    /// Work with a catalog: its entities and the relations between them.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Kyverno policies: apply generate rules to resources offline.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Team namespaces and their RBAC.
    #[command(subcommand)]
    Rbac(RbacCommand),
    /// Render resources offline.
    #[command(subcommand)]
    Render(RenderCommand),
    /// Port (getport.io): blueprints and entities.
    #[command(subcommand)]
    Port(PortCommand),
    /// Operate a running app (permission-checked and audited): start, stop, restart, release,
    /// set-env, unset-env.
    #[command(subcommand)]
    App(AppCommand),
    /// The audit trail of operations.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// CI/CD pipelines of apps.
    #[command(subcommand)]
    Pipeline(PipelineCommand),
    /// The configuration file, opa.yaml.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Scaffolder templates: validate, run, render skeleton files.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Bootstrap a cloud account for the platform: plan, then apply.
    #[command(subcommand)]
    Bootstrap(BootstrapCommand),
    /// Infrastructure stacks on Spacelift: list them, trigger runs.
    #[command(subcommand)]
    Stacks(StacksCommand),
}

/// `opa stacks …` commands. Spacelift is `spacelift:` in opa.yaml, else `SPACELIFT_API_ENDPOINT`,
/// `SPACELIFT_API_KEY_ID` and `SPACELIFT_API_KEY_SECRET`; the API key's scope decides which
/// stacks are visible.
#[derive(Debug, Subcommand)]
pub enum StacksCommand {
    /// List the stacks the API key can see: id, name, state, branch, repository, space, labels.
    List(StacksListArgs),
    /// Trigger a run of a stack; refused (exit 1) when `spacelift.readOnly` is set.
    Trigger(StacksTriggerArgs),
}

/// Arguments of `opa stacks list`.
#[derive(Debug, clap::Args)]
pub struct StacksListArgs {
    /// Output format (json: JSON Lines, one stack per line).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `opa stacks trigger`.
#[derive(Debug, clap::Args)]
pub struct StacksTriggerArgs {
    /// The stack's id (as `opa stacks list` shows it).
    #[arg(value_name = "STACK")]
    pub stack: String,
    /// Output format (json: `{stack, runId, state}`, or `{stack, error: {code, message}}`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `opa quickstart`.
#[derive(Debug, clap::Args)]
pub struct QuickstartArgs {
    /// Where the platform goes (default ./opa-quickstart); running again on it is safe.
    pub dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `opa config …` commands.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Check a configuration file against its schema; exit 1 when it has problems.
    Check(ConfigCheckArgs),
}

/// Arguments of `opa config check`.
#[derive(Debug, clap::Args)]
pub struct ConfigCheckArgs {
    /// The file (default: --config, else ./opa.yaml).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Output format (json: `{file, valid, problems}`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `opa pipeline …` commands.
#[derive(Debug, Subcommand)]
pub enum PipelineCommand {
    /// Generate an app's `.gitlab-ci.yml` and `.github/workflows/deploy.yml`; exit 1 when the
    /// app cannot be deployed (no environment, a provider not provisioned…).
    Generate(PipelineGenerateArgs),
}

/// Arguments of `opa pipeline generate`.
#[derive(Debug, clap::Args)]
pub struct PipelineGenerateArgs {
    /// The app: a Component of type aws-app.
    #[arg(value_name = "APP")]
    pub app: String,
    /// The environments (default: the app's `spec.dependsOn` environments).
    #[arg(long = "env", value_name = "ENV")]
    pub envs: Vec<String>,
    /// Catalog files or directories (default: `platform.catalog` of opa.yaml).
    #[arg(long, value_name = "PATH")]
    pub catalog: Vec<PathBuf>,
    /// Write the files under this directory (the app repository's root) instead of printing.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The branch that deploys.
    #[arg(long, default_value = "main")]
    pub branch: String,
    /// Output format (json: `{plan, files: [{path, content}]}`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Where an operation acts and who asks; shared by every `opa app` verb.
#[derive(Debug, clap::Args)]
pub struct AppTargetArgs {
    /// The environment (`dev` or `awsenvironment:ns/name`).
    #[arg(long, value_name = "ENV")]
    pub env: String,
    /// Only this provider of the environment (default: every provider).
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,
    /// Who acts: a User reference (default: $OPA_USER).
    #[arg(long = "as", value_name = "USER_REF", env = "OPA_USER")]
    pub user: Option<String>,
    /// Catalog files or directories (default: `platform.catalog` of opa.yaml).
    #[arg(long, value_name = "PATH")]
    pub catalog: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `opa app …` commands: APP is a Component of type aws-app (`payments-api` or
/// `component:ns/name`). Exit 1 when the operation is refused or fails.
#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Start a stopped app.
    Start {
        /// The app.
        #[arg(value_name = "APP")]
        app: String,
        /// Where and who.
        #[command(flatten)]
        target: AppTargetArgs,
    },
    /// Stop a running app.
    Stop {
        /// The app.
        #[arg(value_name = "APP")]
        app: String,
        /// Where and who.
        #[command(flatten)]
        target: AppTargetArgs,
    },
    /// Restart an app (a new deployment of the same version).
    Restart {
        /// The app.
        #[arg(value_name = "APP")]
        app: String,
        /// Where and who.
        #[command(flatten)]
        target: AppTargetArgs,
    },
    /// Release a version: `opa app release VERSION APP --env ENV`.
    Release {
        /// The version (an image tag, a function version).
        #[arg(value_name = "VERSION")]
        release_version: String,
        /// The app.
        #[arg(value_name = "APP")]
        app: String,
        /// Where and who.
        #[command(flatten)]
        target: AppTargetArgs,
    },
    /// Set environment variables: `opa app set-env KEY=VALUE... APP --env ENV`.
    SetEnv {
        /// `KEY=VALUE` pairs, then the app.
        #[arg(required = true, num_args = 2.., value_name = "KEY=VALUE... APP")]
        args: Vec<String>,
        /// Where and who.
        #[command(flatten)]
        target: AppTargetArgs,
    },
    /// Remove environment variables: `opa app unset-env KEY... APP --env ENV`.
    UnsetEnv {
        /// Variable names, then the app.
        #[arg(required = true, num_args = 2.., value_name = "KEY... APP")]
        args: Vec<String>,
        /// Where and who.
        #[command(flatten)]
        target: AppTargetArgs,
    },
}

/// `opa audit …` commands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List audit records, oldest first.
    List(AuditListArgs),
}

/// Arguments of `opa audit list`.
#[derive(Debug, clap::Args)]
pub struct AuditListArgs {
    /// Only this app.
    #[arg(long, value_name = "APP")]
    pub app: Option<String>,
    /// Only this environment.
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
    /// Only this user (a User reference: `jane` or `user:ns/jane`).
    #[arg(long, value_name = "USER_REF")]
    pub user: Option<String>,
    /// From this time: RFC 3339, a date, or a duration back from now (15m, 2h, 7d).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Before this time (same forms as --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// At most this many (the newest).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format (JSON Lines: one record per line).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `opa bootstrap …` commands.
#[derive(Debug, Subcommand)]
pub enum BootstrapCommand {
    /// Plan (default) or apply (`--apply`) an AWS account's platform resources: the
    /// provisioning and operations roles, GitHub/GitLab OIDC providers, the Terraform state
    /// bucket and lock table, the audit table and the SSM parameters. Credentials come from the
    /// AWS default provider chain (environment, profiles, SSO, credential processes). Exit 1 on
    /// drift (a role's trust policy changed outside bootstrap; replaced only with `--force`) or a
    /// failed call; exit 2 when the credentials belong to another account.
    Aws(BootstrapAwsArgs),
}

/// Arguments of `opa bootstrap aws`.
#[derive(Debug, clap::Args)]
pub struct BootstrapAwsArgs {
    /// The 12-digit account; must be the one the credentials belong to.
    #[arg(long)]
    pub account: String,
    /// The region.
    #[arg(long)]
    pub region: String,
    /// The platform prefix in resource names.
    #[arg(long, default_value = "opa")]
    pub prefix: String,
    /// The environment (`dev`).
    #[arg(long = "env")]
    pub env_name: String,
    /// `ORG/REPO` whose GitHub Actions may assume the provisioning role (the runs of
    /// `--oidc-subject`). Bootstrap also makes the secret `<prefix>-admin-github-secrets`
    /// holding `GITHUB_TOKEN` as its `apiToken`.
    #[arg(long, value_name = "ORG/REPO")]
    pub github_repo: Option<String>,
    /// A GitLab host whose pipelines of `--gitlab-project` may assume the provisioning role.
    /// Bootstrap also makes the secret `<prefix>-admin-gitlab-secrets` holding `GITLAB_TOKEN`.
    #[arg(long, value_name = "HOST", requires = "gitlab_project")]
    pub gitlab_host: Option<String>,
    /// `GROUP/PROJECT` on `--gitlab-host`.
    #[arg(long, value_name = "GROUP/PROJECT", requires = "gitlab_host")]
    pub gitlab_project: Option<String>,
    /// Which pipeline runs the OIDC trusts accept, repeatable: `ref:refs/heads/BRANCH` (or
    /// `branch:BRANCH`) and, for GitHub, `environment:ENV`; `*` is a wildcard
    /// (`branch:release/*`). Default: branch `main` and the GitHub environment named like
    /// `--env`.
    #[arg(long = "oidc-subject", value_name = "SUBJECT")]
    pub oidc_subjects: Vec<opa_core::cloud::OidcSubject>,
    /// The provisioning role's name (default `<prefix>-<env>-provisioning-role`).
    #[arg(long, value_name = "NAME")]
    pub provisioning_role: Option<String>,
    /// The operations role's name (default `<prefix>-<env>-operations-role`).
    #[arg(long, value_name = "NAME")]
    pub operations_role: Option<String>,
    /// The account the platform runs in, which the roles trust (default: `--account`).
    #[arg(long, value_name = "ACCOUNT")]
    pub platform_account: Option<String>,
    /// Only plan (the default).
    #[arg(long, conflicts_with = "apply")]
    pub plan: bool,
    /// Apply the plan.
    #[arg(long)]
    pub apply: bool,
    /// Replace drifted resources (a role's trust policy changed by hand).
    #[arg(long)]
    pub force: bool,
    /// Plan (with `--apply`: perform) the teardown of what bootstrap made.
    #[arg(long)]
    pub destroy: bool,
    /// Send AWS calls to this endpoint (a moto server) instead of AWS; default
    /// `AWS_ENDPOINT_URL`.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `opa port …` commands.
#[derive(Debug, Subcommand)]
pub enum PortCommand {
    /// Validate Port entities (or Backstage entities, mapped) against blueprints; exit 1 on any
    /// problem.
    Validate(PortValidateArgs),
}

/// Arguments of `opa port validate`.
#[derive(Debug, clap::Args)]
pub struct PortValidateArgs {
    /// A directory of blueprints (*.json, *.yaml, *.yml; each file one blueprint or a list).
    #[arg(long, value_name = "DIR")]
    pub blueprints: PathBuf,
    /// Entity files: Port entities (one, a list, or `{"entities": [...]}`) or Backstage entities.
    #[arg(required = true, value_name = "ENTITY")]
    pub entities: Vec<PathBuf>,
    /// Output format (JSON Lines: one object per entity and per blueprint with problems).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `opa rbac …` commands.
#[derive(Debug, Subcommand)]
pub enum RbacCommand {
    /// Print the resources of a team namespace: Namespace, ResourceQuota, LimitRange,
    /// default-deny NetworkPolicy, developer ClusterRole and RoleBinding, ServiceAccount.
    Namespace(RbacNamespaceArgs),
}

/// Arguments of `opa rbac namespace`.
#[derive(Debug, clap::Args)]
pub struct RbacNamespaceArgs {
    /// The team (a DNS label); its group is bound to the `developer` ClusterRole.
    #[arg(long)]
    pub team: String,
    /// The environment: dev, staging or production.
    #[arg(long = "env")]
    pub environment: String,
    /// CPU quota of the namespace (a Kubernetes quantity).
    #[arg(long, default_value = opa_core::rbac::DEFAULT_CPU)]
    pub cpu: String,
    /// Memory quota of the namespace (a Kubernetes quantity).
    #[arg(long, default_value = opa_core::rbac::DEFAULT_MEMORY)]
    pub memory: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ResourceFormat::Yaml)]
    pub format: ResourceFormat,
}

/// `opa catalog <verb>`.
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Report dangling references, duplicate entities and unreadable documents (exit 1 if any).
    Check(CatalogCheckArgs),
    /// Print the entities and their relations.
    Graph(CatalogGraphArgs),
    /// Read the catalog files of every repository of a GitLab group (subgroups included), a
    /// GitHub organisation or a local git host, load them into one catalog and report entities, relations, dangling
    /// references and invalid files (exit 1 if any file is invalid).
    Discover(CatalogDiscoverArgs),
}

/// Arguments of `opa catalog discover`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["gitlab_group", "github_org", "local"])))]
pub struct CatalogDiscoverArgs {
    /// The GitLab group (path such as `platform/apps`), subgroups included.
    #[arg(long, value_name = "GROUP")]
    pub gitlab_group: Option<String>,
    /// The GitHub organisation (github.com, or GitHub Enterprise Server with `--url`).
    #[arg(long, value_name = "ORG")]
    pub github_org: Option<String>,
    /// A local git host root (`<DIR>/<owner>/<repo>.git`), e.g. the `git/` of `opa quickstart`.
    #[arg(long, value_name = "DIR")]
    pub local: Option<PathBuf>,
    /// The GitLab instance's base URL (API under `/api/v4`; default <https://gitlab.com>), or the
    /// GitHub API's base URL (default <https://api.github.com>; `https://HOST/api/v3` for GitHub
    /// Enterprise Server).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// More files to read in each repository (glob over the repository's paths).
    #[arg(long, value_name = "PATTERN")]
    pub glob: Vec<String>,
    /// Read archived repositories too.
    #[arg(long)]
    pub include_archived: bool,
    /// How many repositories are read at once.
    #[arg(long, value_name = "N", default_value_t = opa_vcs::discover::DEFAULT_CONCURRENCY,
          value_parser = clap::value_parser!(usize))]
    pub concurrency: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `opa catalog check`.
#[derive(Debug, clap::Args)]
pub struct CatalogCheckArgs {
    /// Files or directories (searched recursively for *.yaml and *.yml).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `opa catalog graph`.
#[derive(Debug, clap::Args)]
pub struct CatalogGraphArgs {
    /// Files or directories (searched recursively for *.yaml and *.yml).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
}

/// Output formats of `opa catalog graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// For people: each entity and its relations.
    Text,
    /// JSON Lines: one object per entity, `{ref, kind, file, document, line, relations}`.
    Json,
    /// Graphviz: one edge per relation, in the direction its field states.
    Dot,
}

/// `opa policy …` commands.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Apply Kyverno generate policies to resources and print what they generate.
    Apply(PolicyApplyArgs),
}

/// Arguments of `opa policy apply`.
#[derive(Debug, clap::Args)]
pub struct PolicyApplyArgs {
    /// Policy files (ClusterPolicy or Policy, kyverno.io/v1); may repeat.
    #[arg(
        long = "policy",
        short = 'p',
        required = true,
        value_name = "POLICY.yaml"
    )]
    pub policies: Vec<PathBuf>,
    /// Resource files the policies are applied to (multi-document YAML or `kind: List`); may
    /// repeat. They also serve as clone sources, ConfigMaps and Namespaces for the rules.
    #[arg(
        long = "resource",
        short = 'r',
        required = true,
        value_name = "RESOURCE.yaml"
    )]
    pub resources: Vec<PathBuf>,
    /// Resources that exist in the cluster without triggering the rules (clone sources,
    /// ConfigMaps read by `context`, Namespaces for `namespaceSelector`); may repeat.
    #[arg(long = "existing", value_name = "RESOURCE.yaml")]
    pub existing: Vec<PathBuf>,
    /// The requester, as Kyverno's `--userinfo` file: `username`/`groups` under `userInfo`,
    /// `roles`, `clusterRoles`.
    #[arg(long = "user-info", value_name = "FILE")]
    pub user_info: Option<PathBuf>,
    /// The admission operation the resources arrive with.
    #[arg(long, default_value = "CREATE", value_parser = ["CREATE", "UPDATE", "DELETE", "CONNECT"])]
    pub operation: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ResourceFormat::Yaml)]
    pub format: ResourceFormat,
}

/// Output formats of commands that print Kubernetes resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResourceFormat {
    /// Multi-document YAML, with what happened as comments at the top.
    Yaml,
    /// One JSON object.
    Json,
}

/// Arguments of `opa validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Files or directories (searched recursively for *.yaml and *.yml).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub format: ValidateFormat,
    /// Accept entities of kinds no validator knows (checked by the generic policies only).
    #[arg(long)]
    pub allow_unknown_kinds: bool,
    /// Also apply Roadie's stricter annotation rules (backstage-entity-validator).
    #[arg(long)]
    pub strict: bool,
    /// Folder that `$text`/`$json`/`$yaml` placeholders may not leave (default: each PATH
    /// argument that is a folder, or the folder of a file argument).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

/// Output formats of `opa validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// For people: compiler-style diagnostics with the source line.
    Text,
    /// JSON Lines: one object per document.
    Json,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

/// Output formats shared by commands that print text or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For machines: JSON (Lines for streams).
    Json,
}

/// `opa render <what>`.
#[derive(Debug, Subcommand)]
pub enum RenderCommand {
    /// Render a Crossplane claim (or composite resource) with its XRD and Composition, as
    /// Crossplane v1.20's patch-and-transform would: the composite first, then the composed
    /// resources in composition-resource-name order.
    Composition(RenderCompositionArgs),
}

/// Arguments of `opa render composition`.
#[derive(Debug, clap::Args)]
pub struct RenderCompositionArgs {
    /// The CompositeResourceDefinition.
    #[arg(long, value_name = "XRD.yaml")]
    pub xrd: PathBuf,
    /// The Composition (mode Resources).
    #[arg(long, value_name = "COMP.yaml")]
    pub composition: PathBuf,
    /// The claim or composite resource to render.
    #[arg(value_name = "CLAIM.yaml")]
    pub claim: PathBuf,
    /// Output format: a YAML stream, or one JSON object `{valid, resources, problems, warnings}`.
    #[arg(long, value_enum, default_value_t = ResourceFormat::Yaml)]
    pub format: ResourceFormat,
}

/// `opa template <verb>`.
#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Check a template (scaffolder.backstage.io/v1beta3) and, with --values, values for it.
    Validate(TemplateValidateArgs),
    /// Run a template's steps.
    Run(TemplateRunArgs),
    /// Render one skeleton file as fetch:template would, and print it exactly.
    Render(TemplateRenderArgs),
}

/// Arguments of `opa template validate`.
#[derive(Debug, clap::Args)]
pub struct TemplateValidateArgs {
    /// The template file.
    pub template: PathBuf,
    /// Also validate these values (JSON or YAML) against the template's parameters.
    #[arg(long, value_name = "FILE")]
    pub values: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `opa template run`.
#[derive(Debug, clap::Args)]
pub struct TemplateRunArgs {
    /// The template file.
    pub template: PathBuf,
    /// The parameters' values (JSON or YAML object).
    #[arg(long, value_name = "FILE")]
    pub values: Option<PathBuf>,
    /// Sets one value (`key=value`, dotted keys for nested objects; the value is read as a YAML
    /// scalar, so `true` and `3` are typed: quote to force a string).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// A secret (`secrets.KEY` while rendering step input); never printed.
    #[arg(long = "secret", value_name = "KEY=VALUE")]
    pub secrets: Vec<String>,
    /// Secrets from a file (JSON or YAML object of strings).
    #[arg(long, value_name = "FILE")]
    pub secrets_file: Option<PathBuf>,
    /// Dry run: publishing and registering steps are skipped with example outputs.
    #[arg(long)]
    pub dry_run: bool,
    /// Run in this directory and keep it (default: a scratch directory, removed).
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// The acting user's entity ref (`user.ref`); default `OPA_USER`.
    #[arg(long = "as", value_name = "USER_REF", env = "OPA_USER")]
    pub user: Option<String>,
    /// Output format: text for people, json for JSON Lines of task events.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `opa template render`.
#[derive(Debug, clap::Args)]
pub struct TemplateRenderArgs {
    /// The skeleton file.
    pub file: PathBuf,
    /// The values (`values` in the file), JSON or YAML.
    #[arg(long, value_name = "FILE")]
    pub values: PathBuf,
    /// `{{ cookiecutter.x }}` syntax, as fetch:template's cookiecutterCompat.
    #[arg(long)]
    pub cookiecutter_compat: bool,
}
