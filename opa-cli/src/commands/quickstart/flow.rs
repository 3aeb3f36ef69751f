//! The quickstart's steps, each idempotent: what exists is kept, what is missing is made.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, anyhow};
use opa_aws::local::{LocalCloud, SqliteAuditLog};
use opa_core::audit::{AuditLog, AuditQuery};
use opa_core::cloud::{AppRuntime, AppTarget, BootstrapRequest, Bootstrapper};
use opa_core::config::Config;
use opa_core::entity::{EntityRef, RefDefaults};
use opa_core::operations::{OperationKind, OperationRequest, Operations};
use opa_core::platform::actions::{self as platform_actions, PlatformServices};
use opa_core::platform::model::resolve_environment;
use opa_core::platform::{EntityIndex, EnvironmentProvider};
use opa_core::scaffolder::catalog::MemoryCatalog;
use opa_core::scaffolder::template::Template;
use opa_core::scaffolder::urls::UrlResolver;
use opa_core::scaffolder::{ActionRegistry, Backends, TaskRequest, TaskRunner};
use opa_core::vcs::{CommitRequest, CreateRepository, FileChange, RepoId, Vcs};
use opa_core::yaml::{Limits, parse_single};
use opa_vcs::{ConfigVcs, LocalGit};
use serde_json::{Value as Json, json};

use super::bundled::{self, HOST};
use super::discover;
use super::report::{OperationOutcome, Repo, Summary};
use crate::cli::Format;

const ACCOUNT: &str = "111111111111";
const REGION: &str = "us-east-1";
const PREFIX: &str = "opa";
const PROVIDER: &str = "ecs-provider";
const APP: &str = "payments-api";
const APP_OWNER: &str = "group:default/team-payments";
/// `(name, short name, category, level, requires approval)`.
const ENVIRONMENTS: &[(&str, &str, &str, u32, bool)] = &[
    ("dev", "dev", "development", 1, false),
    ("qa", "qa", "testing", 2, false),
    ("prod", "prd", "production", 3, true),
];

/// Everything the steps work with.
pub struct Quickstart {
    dir: PathBuf,
    config: Arc<Config>,
    cloud: Arc<LocalCloud>,
    audit: SqliteAuditLog,
    git: Arc<LocalGit>,
    memory: Arc<MemoryCatalog>,
    progress: bool,
}

impl Quickstart {
    /// Creates DIR with its `opa.yaml` and templates (kept when they exist) and opens the
    /// embedded backends.
    pub fn prepare(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let dir = dir.canonicalize()?;
        let opa_yaml = dir.join("opa.yaml");
        if !opa_yaml.exists() {
            std::fs::write(&opa_yaml, bundled::OPA_YAML)?;
        }
        for (path, text) in bundled::FILES {
            let target = dir.join("templates").join(path);
            std::fs::create_dir_all(target.parent().unwrap_or(&dir))?;
            std::fs::write(&target, text)?;
        }
        let config = Arc::new(crate::commands::platform_backends::config(Some(&opa_yaml))?);
        let cloud = Arc::new(crate::commands::platform_backends::local_cloud(&config));
        let audit = crate::commands::platform_backends::sqlite_audit_log(&config)?;
        let git = Arc::new(LocalGit::new(dir.join("git"), HOST));
        Ok(Self {
            dir,
            config,
            cloud,
            audit,
            git,
            memory: Arc::new(MemoryCatalog::new()),
            progress: true,
        })
    }

    fn step(&self, text: &str) {
        if self.progress {
            eprintln!("==> {text}");
        }
    }

    /// Runs every step and returns what the platform holds afterwards.
    pub async fn run(mut self, format: Format) -> anyhow::Result<Summary> {
        self.progress = format == Format::Text;
        let mut summary = Summary::new(&self.dir);

        self.step("organisation: groups and users");
        let org = RepoId::new("platform", "org");
        if self
            .ensure_repo(&org, "The platform's groups and users")
            .await?
        {
            self.commit(
                &org,
                "catalog-info.yaml",
                bundled::FILES[0].1,
                "Add the organisation",
            )
            .await?;
            summary.created.push(org.to_string());
        }
        self.load_catalog().await?;

        self.step("environment provider: template, then provisioning on the local cloud");
        let provider_repo = RepoId::new("platform", PROVIDER);
        if self.git.get_repository(&provider_repo).await?.is_none() {
            self.run_template(
                "provider",
                json!({
                    "name": PROVIDER,
                    "prefix": PREFIX,
                    "description": "ECS on Fargate in the quickstart account",
                    "owner": "group:default/platform-admins",
                    "awsAccountID": ACCOUNT,
                    "awsRegion": REGION,
                    "envType": "ecs",
                    "repoUrl": format!("{HOST}?owner=platform&repo={PROVIDER}"),
                }),
            )
            .await?;
            summary.created.push(provider_repo.to_string());
        }
        self.provision_provider(&provider_repo).await?;

        for (name, short, category, level, approval) in ENVIRONMENTS {
            self.step(&format!("environment {name}"));
            let repo = RepoId::new("platform", format!("env-{name}"));
            if self.git.get_repository(&repo).await?.is_none() {
                self.run_template(
                    "environment",
                    json!({
                        "name": name,
                        "shortName": short,
                        "description": format!("The {category} environment"),
                        "owner": "group:default/platform-admins",
                        "category": category,
                        "level": level,
                        "requiresApproval": approval,
                        "providers": [format!("awsenvironmentprovider:default/{PROVIDER}")],
                        "repoUrl": format!("{HOST}?owner=platform&repo=env-{name}"),
                    }),
                )
                .await?;
                summary.created.push(repo.to_string());
            }
        }

        self.step("application: repository, catalog entry and both pipelines");
        let app_repo = RepoId::new("apps", APP);
        if self.git.get_repository(&app_repo).await?.is_none() {
            self.load_catalog().await?;
            self.run_template(
                "app",
                json!({
                    "name": APP,
                    "description": "Takes payments",
                    "owner": APP_OWNER,
                    "environments": ENVIRONMENTS
                        .iter()
                        .map(|e| format!("awsenvironment:default/{}", e.0))
                        .collect::<Vec<_>>(),
                    "repoUrl": format!("{HOST}?owner=apps&repo={APP}"),
                }),
            )
            .await?;
            summary.created.push(app_repo.to_string());
        }

        self.step("discovery: every repository's catalog files into the catalog, checked");
        let found = discover::catalog_files(self.git.as_ref()).await?;
        let catalog = discover::load(&found, &self.memory)?;
        discover::snapshot(&found, &self.dir.join("catalog"))?;
        summary.record_catalog(&catalog);
        let index = EntityIndex::new(self.memory.entities());
        self.first_deployment(&index).await?;

        self.step("operations: set an environment variable as alice (owner team), then as bob");
        for user in ["user:default/alice", "user:default/bob"] {
            summary.operations.push(self.operate(&index, user).await?);
        }

        let mut repos = self.git.list_repositories(None).await?;
        repos.sort_by_key(|r| r.id.to_string());
        summary.repos = repos
            .iter()
            .map(|r| Repo {
                repo: r.id.to_string(),
                clone: format!("git clone {}", r.clone_url),
            })
            .collect();
        summary.audit = self
            .audit
            .query(&AuditQuery {
                app: Some(APP.into()),
                ..AuditQuery::default()
            })
            .await?;
        Ok(summary)
    }

    /// Creates the repository when missing; `true` when it was created.
    async fn ensure_repo(&self, repo: &RepoId, description: &str) -> anyhow::Result<bool> {
        if self.git.get_repository(repo).await?.is_some() {
            return Ok(false);
        }
        self.git
            .create_repository(&CreateRepository {
                repo: repo.clone(),
                default_branch: "main".into(),
                visibility: Default::default(),
                description: Some(description.into()),
            })
            .await?;
        Ok(true)
    }

    async fn commit(
        &self,
        repo: &RepoId,
        path: &str,
        text: &str,
        message: &str,
    ) -> anyhow::Result<()> {
        self.git
            .commit_files(&CommitRequest {
                repo: repo.clone(),
                branch: "main".into(),
                message: message.into(),
                files: vec![FileChange {
                    path: path.into(),
                    content: text.as_bytes().to_vec(),
                    executable: false,
                }],
                author_name: Some("opa quickstart".into()),
                author_email: Some("quickstart@opa.local".into()),
            })
            .await?;
        Ok(())
    }

    /// Reads every repository's catalog files into the scaffolder's catalog.
    async fn load_catalog(&self) -> anyhow::Result<()> {
        let found = discover::catalog_files(self.git.as_ref()).await?;
        discover::load(&found, &self.memory)?;
        Ok(())
    }

    async fn run_template(&self, name: &str, values: Json) -> anyhow::Result<()> {
        let path = self.dir.join("templates").join(name).join("template.yaml");
        let template = Template::from_file(&path)?;
        let services = PlatformServices {
            credentials: self.cloud.clone(),
            parameters: self.cloud.clone(),
            secrets: self.cloud.clone(),
            region: REGION.into(),
            prefix: PREFIX.into(),
        };
        let mut registry = ActionRegistry::with_builtins();
        platform_actions::register(&mut registry, &services);
        let backends = Backends::new()
            .with_vcs(Arc::new(ConfigVcs::new(self.config.clone())))
            .with_catalog(self.memory.clone())
            .with_urls(UrlResolver::new(self.config.url_rewrites_resolved()));
        let runner = TaskRunner::new(registry, backends);
        let mut request = TaskRequest::new(template, values);
        request.user.entity_ref = Some("user:default/admin".into());
        runner
            .run(request)
            .await
            .map_err(|f| anyhow!("template {name}: {f}"))?;
        Ok(())
    }

    /// Provisions the provider on the local cloud (idempotent) and records the provisioned
    /// roles and audit table in its entity, as the provider's pipeline does.
    async fn provision_provider(&self, repo: &RepoId) -> anyhow::Result<()> {
        let session = self.cloud.admin_session(ACCOUNT, REGION);
        let request = BootstrapRequest {
            account: ACCOUNT.into(),
            region: REGION.into(),
            prefix: PREFIX.into(),
            env_name: PROVIDER.into(),
            gitlab_host: Some(HOST.into()),
            gitlab_project: Some(format!("apps/{APP}")),
            ..BootstrapRequest::default()
        };
        let (_, resources) = self.cloud.apply(&session, &request).await?;
        let path = ".backstage/catalog-info.yaml";
        let text = String::from_utf8(self.git.read_file(repo, None, path).await?)?;
        let mut entity = parse_single(&text, &Limits::default())
            .map_err(|d| anyhow!("{repo}/{path}:{}:{}: {}", d.line, d.column, d.message))?
            .map(|n| n.to_json())
            .ok_or_else(|| anyhow!("{repo}/{path} is empty"))?;
        let metadata = entity
            .get_mut("metadata")
            .and_then(Json::as_object_mut)
            .ok_or_else(|| anyhow!("{repo}/{path}: no metadata"))?;
        let mut changed = false;
        for (key, value) in resources.provider_metadata() {
            if metadata.get(&key) != Some(&value) {
                metadata.insert(key, value);
                changed = true;
            }
        }
        if changed {
            let updated = yaml_serde::to_string(&entity)?;
            self.commit(
                repo,
                path,
                &updated,
                "Record the provisioned roles and audit table [skip ci]",
            )
            .await?;
        }
        // The scaffolder's catalog sees the provisioned provider from now on.
        self.memory.insert(entity)?;
        EnvironmentProvider::from_entity(
            self.memory
                .entities()
                .iter()
                .find(|e| e.pointer("/metadata/name").and_then(Json::as_str) == Some(PROVIDER))
                .ok_or_else(|| anyhow!("provider {PROVIDER} is not in the catalog"))?,
        )?
        .provisioned()?;
        Ok(())
    }

    /// The app's first deployment to each environment, as its pipeline would make it (only when
    /// the local cloud has never seen the app there).
    async fn first_deployment(&self, index: &EntityIndex) -> anyhow::Result<()> {
        for (env, ..) in ENVIRONMENTS {
            let env_ref = EntityRef::parse_with(env, RefDefaults::kind("AWSEnvironment"))?;
            let resolved = resolve_environment(index, &env_ref)?;
            for provider in &resolved.env_providers {
                let target = AppTarget {
                    app: APP.into(),
                    env: (*env).into(),
                    provider: provider.env_provider_name.clone(),
                    prefix: provider.env_provider_prefix.clone(),
                    account: provider.account_id.clone(),
                    region: provider.region.clone(),
                    runtime: provider.env_provider_type,
                    cluster: None,
                    outputs: Default::default(),
                };
                let session = self.cloud.admin_session(&target.account, &target.region);
                if self.cloud.status(&session, &target).await.is_err() {
                    self.cloud.deploy_app(&session, &target, "1.0.0")?;
                }
            }
        }
        Ok(())
    }

    async fn operate(&self, index: &EntityIndex, user: &str) -> anyhow::Result<OperationOutcome> {
        let kind = OperationKind::SetEnv(
            [(
                "GREETING".to_string(),
                "hello from the quickstart".to_string(),
            )]
            .into(),
        );
        let request = OperationRequest::parse(user, APP, "dev", kind)?;
        let admin_group = self
            .config
            .platform
            .admin_group
            .as_deref()
            .map(|g| EntityRef::parse_with(g, RefDefaults::kind("Group")))
            .transpose()?;
        let ops = Operations {
            lookup: index,
            membership: index,
            credentials: self.cloud.as_ref(),
            runtime: self.cloud.as_ref(),
            audit: &self.audit,
            admin_group,
        };
        let report = ops.run(&request).await?;
        Ok(OperationOutcome {
            user: user.into(),
            action: report.action.to_string(),
            status: report.status().as_str().into(),
            message: report
                .outcomes
                .first()
                .map(|o| o.message.clone())
                .unwrap_or_default(),
        })
    }
}
