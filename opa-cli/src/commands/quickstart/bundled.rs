//! The templates and organisation the quickstart writes into its folder (embedded in the binary,
//! so `opa quickstart` works from anywhere).

/// `(path under DIR/templates, contents)`.
pub const FILES: &[(&str, &str)] = &[
    (
        "org/catalog-info.yaml",
        include_str!("../../../quickstart/org/catalog-info.yaml"),
    ),
    (
        "provider/template.yaml",
        include_str!("../../../quickstart/provider/template.yaml"),
    ),
    (
        "provider/content/.backstage/catalog-info.yaml",
        include_str!("../../../quickstart/provider/content/.backstage/catalog-info.yaml"),
    ),
    (
        "provider/content/iac/main.tf",
        include_str!("../../../quickstart/provider/content/iac/main.tf"),
    ),
    (
        "provider/content/README.md",
        include_str!("../../../quickstart/provider/content/README.md"),
    ),
    (
        "environment/template.yaml",
        include_str!("../../../quickstart/environment/template.yaml"),
    ),
    (
        "environment/content/.backstage/catalog-info.yaml",
        include_str!("../../../quickstart/environment/content/.backstage/catalog-info.yaml"),
    ),
    (
        "app/template.yaml",
        include_str!("../../../quickstart/app/template.yaml"),
    ),
    (
        "app/content/.backstage/catalog-info.yaml",
        include_str!("../../../quickstart/app/content/.backstage/catalog-info.yaml"),
    ),
    (
        "app/content/src/index.js",
        include_str!("../../../quickstart/app/content/src/index.js"),
    ),
    (
        "app/content/package.json",
        include_str!("../../../quickstart/app/content/package.json"),
    ),
    (
        "app/content/Dockerfile",
        include_str!("../../../quickstart/app/content/Dockerfile"),
    ),
    (
        "app/content/README.md",
        include_str!("../../../quickstart/app/content/README.md"),
    ),
];

/// The opa.yaml the quickstart writes: embedded backends under the folder.
pub const OPA_YAML: &str = "\
# Written by `opa quickstart`: the embedded backends, no cloud account, no server.
integrations:
  - host: gitlab.quickstart.local
    kind: local
    root: git
cloud:
  kind: local
  stateFile: .opa/cloud.json
audit:
  kind: sqlite
  path: .opa/audit.db
platform:
  prefix: opa
  adminGroup: group:default/platform-admins
  catalog: [catalog]
";

/// The git host the templates publish to.
pub const HOST: &str = "gitlab.quickstart.local";
