//! OPA on AWS's own templates (`../shared/corpus/opa-on-aws`), run for real — not dry — on the
//! embedded backends: an `opa.yaml` serves their git host from local repositories and maps their
//! remote `https://{{gitlab_hostname}}/…` fetch URLs (`urlRewrites`) to small skeleton folders
//! this test writes; the local cloud holds the platform's parameters and secrets. A provider is
//! created and provisioned, then an environment on it, then apps on that environment; every
//! entity they publish is validated.
//!
//! Every other template of the corpus is attempted too, and its outcome compared with
//! [`EXPECTED`] — the table `docs/opa-on-aws-templates.md` reports.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use opa_aws::local::LocalCloud;
use opa_core::cloud::{BootstrapRequest, Bootstrapper, Credentials, Parameters};
use opa_core::config::Config;
use opa_core::entity::{ValidateOptions, validate_entity};
use opa_core::platform::EnvironmentProvider;
use opa_core::platform::actions::{self as platform_actions, PlatformServices};
use opa_core::scaffolder::catalog::MemoryCatalog;
use opa_core::scaffolder::template::Template;
use opa_core::scaffolder::urls::UrlResolver;
use opa_core::scaffolder::{ActionRegistry, Backends, TaskRequest, TaskRunner};
use opa_core::vcs::{RepoId, Vcs};
use opa_core::yaml::{Limits, parse_single};
use opa_vcs::{ConfigVcs, LocalGit};
use serde_json::{Map, Value as Json, json};

const HOST: &str = "gitlab.example.com";
const ACCOUNT: &str = "111111111111";
const REGION: &str = "us-east-1";
const PROVIDER: &str = "ecs-provider";
const ENVIRONMENT: &str = "dev";

/// The action the GitLab backend adds (a project access token stored as a secret); until it is
/// registered, the templates that use it run without that step (the runner refuses a template
/// with an unknown action before its first step).
const REPO_TOKEN: &str = "opa:createRepoAccessToken:gitlab";

/// Runs to the end, or stops at a step (id) for a reason (a part of the message).
type Expected = Result<(), (&'static str, &'static str)>;

/// What each template of the corpus does here: `Ok` runs to the end; `Err((step, why))` stops
/// at that step, for that reason (docs/opa-on-aws-templates.md says why).
const EXPECTED: &[(&str, Expected)] = &[
    ("aws-basic-environment-provider", Ok(())),
    ("aws-ecs-ec2-environment-provider", Ok(())),
    ("aws-ecs-environment-provider", Ok(())),
    ("aws-eks-environment-existing-cluster-provider", Ok(())),
    ("aws-eks-environment-provider", Ok(())),
    ("aws-environment", Ok(())),
    ("aws-gen-ai-environment-provider", Ok(())),
    ("aws-gen-ai-rag", Ok(())),
    // Their catalog-info.yaml has `annotations:` with no value; Backstage's entity schema
    // rejects it too ("/metadata/annotations must be object").
    (
        "aws-rds-resource",
        Err(("register", "\"metadata.annotations\" must be object")),
    ),
    (
        "aws-s3-resource",
        Err(("register", "\"metadata.annotations\" must be object")),
    ),
    (
        "aws-secretsmanager-resource",
        Err(("register", "\"metadata.annotations\" must be object")),
    ),
    ("aws-serverless-environment-provider", Ok(())),
    // Harness.io actions are not part of OPA-rs.
    (
        "aws-tf-ecs-environment-provider",
        Err((
            "registerOpaEnvProvisioningHarnessAwsConnector",
            "opa:register-harness-aws-connector",
        )),
    ),
    ("example-eks-nodejs-rds-helm", Ok(())),
    ("example-eks-nodejs-rds-kustomize", Ok(())),
    ("example-nodejs", Ok(())),
    ("example-nodejs-microservice", Ok(())),
    ("example-nodejs-rds", Ok(())),
    ("example-python-flask", Ok(())),
    ("example-python-flask-eks", Ok(())),
    ("example-serverless-rest-api", Ok(())),
    ("example-springboot", Ok(())),
    ("example-springboot-eks", Ok(())),
    ("example-tf-nodejs", Ok(())),
];

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/opa-on-aws/backstage-reference/templates");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: OPA on AWS's templates are not at {} (the shared corpus is only present in the project's workspace)",
            dir.display()
        );
        None
    }
}

/// The IaC folders OPA's templates fetch from its `backstage-reference` repository, as small
/// skeletons (the corpus holds the templates' YAML only).
const SKELETONS: &[&str] = &[
    "environments/opa-common-constructs",
    "environments/opa-ecs-environment",
    "environments/opa-ecs-ec2-environment",
    "environments/opa-eks-environment",
    "environments/opa-gen-ai-environment",
    "environments/opa-serverless-environment",
    "environments/opa-ecs-environment/terraform",
    "environments/opa-common-constructs/terraform",
    "common/aws_ecs",
    "common/aws_eks",
    "common/aws_rds",
    "common/aws_s3",
    "common/aws_secretsmanager",
    "common/aws_serverless_api",
    "common/tf_aws_ecs",
];

/// The site: `opa.yaml`, the skeletons and the git host, in `dir`.
fn write_site(dir: &Path) -> PathBuf {
    for folder in SKELETONS {
        let root = dir.join("reference").join(folder);
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(
            root.join("package.json"),
            format!(
                "{{\"name\": \"{}\", \"private\": true}}\n",
                folder.rsplit('/').next().unwrap()
            ),
        )
        .unwrap();
        // fetch:template renders it; fetch:plain copies it as it is.
        std::fs::write(
            root.join("src/index.ts"),
            "// ${{ values.component_id }} in ${{ values.awsEnvironmentName }}\nexport {};\n",
        )
        .unwrap();
    }
    let opa_yaml = dir.join("opa.yaml");
    std::fs::write(
        &opa_yaml,
        format!(
            r#"integrations:
  - host: {HOST}
    kind: local
    root: git
urlRewrites:
  # OPA's installer writes its GitLab host into the templates; as published they say
  # {{{{gitlab_hostname}}}}, in two spellings.
  "https://{{{{gitlab_hostname}}}}/opa-admin/backstage-reference/-/tree/main/": reference
  "https://{{{{ gitlab_hostname }}}}/opa-admin/backstage-reference/-/tree/main/": reference
  "https://github.com/aws-fsi-pace/opaadmin_backstage-reference/blob/main/": reference
cloud:
  kind: local
  stateFile: .opa/cloud.json
"#
        ),
    )
    .unwrap();
    opa_yaml
}

/// Everything the runs share.
struct Site {
    config: Arc<Config>,
    cloud: Arc<LocalCloud>,
    git: LocalGit,
    catalog: Arc<MemoryCatalog>,
}

impl Site {
    async fn open(dir: &Path) -> Self {
        let opa_yaml = write_site(dir);
        // Read (and checked against the schema) as every command reads it.
        let config = Arc::new(Config::from_file(&opa_yaml).expect("opa.yaml is valid"));
        assert_eq!(config.cloud.kind, opa_core::config::CloudKind::Local);
        let cloud = Arc::new(LocalCloud::open(dir.join(".opa/cloud.json")));
        // What OPA's platform install puts into SSM.
        let session = cloud.platform_session(REGION).await.unwrap();
        for (name, role) in [
            ("/opa/platform-role", "opa-platform-role"),
            ("/opa/pipeline-role", "opa-pipeline-role"),
        ] {
            let arn = format!("arn:aws:iam::{ACCOUNT}:role/{role}");
            cloud
                .put_parameter(&session, name, &arn, false)
                .await
                .unwrap();
        }
        Self {
            config,
            cloud,
            git: LocalGit::new(dir.join("git"), HOST),
            catalog: Arc::new(MemoryCatalog::new()),
        }
    }

    /// The built-in actions and the platform's `opa:*` actions on the local cloud.
    fn registry(&self) -> ActionRegistry {
        let services = PlatformServices {
            credentials: self.cloud.clone(),
            parameters: self.cloud.clone(),
            secrets: self.cloud.clone(),
            region: REGION.into(),
            prefix: "opa".into(),
        };
        let mut registry = ActionRegistry::with_builtins();
        platform_actions::register(&mut registry, &services);
        registry
    }

    fn runner(&self) -> TaskRunner {
        let backends = Backends::new()
            .with_vcs(Arc::new(ConfigVcs::new(self.config.clone())))
            .with_catalog(self.catalog.clone())
            .with_urls(UrlResolver::new(self.config.url_rewrites_resolved()));
        TaskRunner::new(self.registry(), backends)
    }

    /// Runs a corpus template with values for its form; the failure names the step.
    async fn run(&self, path: &Path, repo: &str) -> Result<Json, (String, String)> {
        let mut template = Template::from_file(path).unwrap();
        if self.registry().get(REPO_TOKEN).is_none() {
            template.steps.retain(|step| step.action != REPO_TOKEN);
        }
        let values = values(&template, repo);
        let mut request = TaskRequest::new(template, values);
        request.user.entity_ref = Some("user:default/admin".into());
        match self.runner().run(request).await {
            Ok(result) => Ok(result.output),
            Err(f) => Err((f.step_id.clone().unwrap_or_default(), f.to_string())),
        }
    }

    /// The entities a published repository holds in `.backstage/catalog-info.yaml`, each
    /// validated as the catalog would.
    async fn published_entity(&self, owner: &str, repo: &str) -> Json {
        let id = RepoId::new(owner, repo);
        let path = ".backstage/catalog-info.yaml";
        let bytes = self
            .git
            .read_file(&id, None, path)
            .await
            .unwrap_or_else(|e| panic!("{id}/{path}: {e}"));
        let text = String::from_utf8(bytes).unwrap();
        let root = parse_single(&text, &Limits::default())
            .unwrap_or_else(|d| panic!("{id}/{path}: {d:?}\n{text}"))
            .expect("a document");
        let report = validate_entity(&root, &ValidateOptions::default());
        assert!(
            report.diagnostics.is_empty(),
            "{id}/{path} does not validate: {:?}\n{text}",
            report.diagnostics
        );
        root.to_json()
    }

    /// What the provider's own pipeline does after its first run: provision the account
    /// (roles, audit table) and record them in the provider's entity.
    async fn provision(&self, provider: &Json) {
        let session = self.cloud.admin_session(ACCOUNT, REGION);
        let request = BootstrapRequest {
            account: ACCOUNT.into(),
            region: REGION.into(),
            prefix: "opa".into(),
            env_name: PROVIDER.into(),
            ..BootstrapRequest::default()
        };
        let (_, resources) = self.cloud.apply(&session, &request).await.unwrap();
        let mut entity = provider.clone();
        let metadata = entity["metadata"].as_object_mut().unwrap();
        for (key, value) in resources.provider_metadata() {
            metadata.insert(key, value);
        }
        self.catalog.insert(entity.clone()).unwrap();
        EnvironmentProvider::from_entity(&entity)
            .unwrap()
            .provisioned()
            .expect("the provider is provisioned");
    }
}

/// Values a person fills in the template's form: this test's site (host, account, the
/// provider and environment it made) and plausible values by field name.
fn values(template: &Template, repo: &str) -> Json {
    let mut out = Map::new();
    for page in &template.parameters {
        let Some(props) = page.schema.get("properties").and_then(Json::as_object) else {
            continue;
        };
        for (name, prop) in props {
            let value = match name.as_str() {
                "name" => json!(repo),
                "component_id" => json!(repo),
                "repoUrl" => json!(format!("{HOST}?owner=opa-demo&repo={repo}")),
                "owner" => json!("group:default/platform-admins"),
                "awsAccountID" => json!(ACCOUNT),
                "environmentRole" | "clusterAdminRole" => {
                    json!(format!(
                        "arn:aws:iam::{ACCOUNT}:role/opa-envprovisioning-role"
                    ))
                }
                "environment" => json!(format!("awsenvironment:default/{ENVIRONMENT}")),
                "providers" => json!(format!("awsenvironmentprovider:default/{PROVIDER}")),
                "short_name" => json!(ENVIRONMENT),
                "level" => json!(1),
                "deploymentRequiresApproval" => json!(false),
                "description" | "env_description" => json!(format!("{repo}, made by a test")),
                "cross_account_roles" => {
                    json!(format!(
                        "arn:aws:iam::{ACCOUNT}:role/opa-cross-account-role"
                    ))
                }
                // A person picks from the list: a default that is not in it (OPA's
                // `ec2InstanceType: p2`, `kms_cmk_arn: False` read as a boolean) is not taken.
                _ => match (
                    prop.get("default"),
                    prop.get("enum").and_then(Json::as_array),
                ) {
                    (Some(d), Some(list)) if list.contains(d) => d.clone(),
                    (_, Some(list)) if !list.is_empty() => list[0].clone(),
                    (Some(d), _) => d.clone(),
                    _ => match prop.get("type").and_then(Json::as_str) {
                        Some("boolean") => json!(true),
                        Some("number" | "integer") => json!(2),
                        _ => json!(format!("demo-{}", name.to_lowercase().replace('_', "-"))),
                    },
                },
            };
            out.entry(name.clone()).or_insert(value);
        }
    }
    Json::Object(out)
}

#[tokio::test]
async fn opa_on_aws_templates_run_on_the_local_backends() {
    let Some(templates) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let site = Site::open(dir.path()).await;
    let path = |name: &str| templates.join(name).join("template.yaml");

    // 1. The ECS provider: its repository with the IaC fetched through urlRewrites, its entity
    // registered; then provisioned as its pipeline would.
    let output = site
        .run(&path("aws-ecs-environment-provider"), PROVIDER)
        .await
        .unwrap_or_else(|(step, e)| panic!("aws-ecs-environment-provider: {step}: {e}"));
    assert_eq!(
        output["links"][1]["entityRef"],
        format!("awsenvironmentprovider:default/{PROVIDER}")
    );
    let provider = site.published_entity("opa-demo", PROVIDER).await;
    assert_eq!(provider["metadata"]["awsAccount"], ACCOUNT);
    assert_eq!(provider["metadata"]["envType"], "ecs");
    let iac = site
        .git
        .read_file(
            &RepoId::new("opa-demo", PROVIDER),
            None,
            ".iac/opa-ecs-environment/package.json",
        )
        .await
        .expect("the provider's IaC was fetched from the urlRewrites folder");
    assert!(
        String::from_utf8(iac)
            .unwrap()
            .contains("opa-ecs-environment")
    );
    site.provision(&provider).await;

    // 2. An environment on that provider.
    site.run(&path("aws-environment"), ENVIRONMENT)
        .await
        .unwrap_or_else(|(step, e)| panic!("aws-environment: {step}: {e}"));
    let env = site.published_entity("opa-demo", ENVIRONMENT).await;
    assert_eq!(
        env["spec"]["dependsOn"],
        json!([format!("awsenvironmentprovider:default/{PROVIDER}")])
    );

    // 3. Every template, in the corpus's order; the outcomes are what EXPECTED says.
    let mut names: Vec<String> = std::fs::read_dir(&templates)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("template.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut report = Vec::new();
    for name in &names {
        if name == "aws-ecs-environment-provider" || name == "aws-environment" {
            report.push((name.clone(), Ok(())));
            continue;
        }
        let repo = format!("t-{name}");
        let outcome = site.run(&path(name), &repo).await.map(|_| ());
        // What it published is a valid entity.
        if outcome.is_ok() {
            let entity = site.published_entity("opa-demo", &repo).await;
            if name == "example-nodejs" {
                assert_eq!(entity["kind"], "Component");
                assert_eq!(entity["spec"]["type"], "aws-app");
                let secret = entity["metadata"]["repoSecretArn"].as_str().unwrap();
                assert!(
                    secret.contains(&format!("aws-apps-{repo}-access-token")),
                    "{secret}"
                );
                // The provider's properties, from opa:get-env-providers.
                let props = site
                    .git
                    .read_file(
                        &RepoId::new("opa-demo", &repo),
                        None,
                        &format!(".awsdeployment/providers/{ENVIRONMENT}-{PROVIDER}.properties"),
                    )
                    .await
                    .expect("the provider's properties were written");
                let props = String::from_utf8(props).unwrap();
                assert!(props.contains(&format!("ACCOUNT={ACCOUNT}")), "{props}");
                assert!(props.contains("ENV_ROLE_ARN=arn:aws:iam::"), "{props}");
            }
        }
        report.push((name.clone(), outcome));
    }
    for (name, outcome) in &report {
        match outcome {
            Ok(()) => eprintln!("| `{name}` | runs |"),
            Err((step, e)) => eprintln!("| `{name}` | stops at `{step}`: {e} |"),
        }
    }
    for (name, outcome) in &report {
        let expected = EXPECTED
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, e)| *e)
            .unwrap_or_else(|| panic!("{name} is not in EXPECTED: {outcome:?}"));
        match (expected, outcome) {
            (Ok(()), Ok(())) => {}
            (Err((step, why)), Err((got_step, message))) => {
                assert_eq!(step, got_step, "{name}: {message}");
                assert!(message.contains(why), "{name}: {message}");
            }
            (expected, got) => panic!("{name}: expected {expected:?}, got {got:?}"),
        }
    }
}
