//! Conformance on real files from `../shared/corpus` (Roadie's validator samples, OPA on AWS's
//! reference templates, backstage/software-templates). Skipped, with a message, when the corpus
//! is not next to the clone. The verdicts asserted here are Backstage's (the differential test in
//! `conformance/backstage-catalog` checks them against Backstage itself).

use std::path::{Path, PathBuf};

use opa_core::entity::{DocumentReport, LoadOptions, ValidateOptions, read_file};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: the shared corpus is not at {} (it is not part of a clone)",
            dir.display()
        );
        None
    }
}

fn read(path: &Path, strict: bool) -> Vec<DocumentReport> {
    let options = LoadOptions {
        validate: ValidateOptions {
            allow_unknown_kinds: false,
            strict,
        },
        ..LoadOptions::default()
    };
    read_file(path, None, &options).expect("readable")
}

fn find(dir: &Path, name: &str, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            find(&p, name, out);
        } else if p.file_name().is_some_and(|n| n == name) {
            out.push(p);
        }
    }
}

#[test]
fn roadie_samples() {
    let Some(corpus) = corpus() else { return };
    let sample = corpus.join("roadie-entity-validator/sample");

    // Valid, twice the same entity (the duplicate is `opa catalog check`'s to report).
    let reports = read(&sample.join("catalog-info.yml"), false);
    assert_eq!(reports.len(), 2);
    for r in &reports {
        assert!(r.is_valid(), "{:?}", r.diagnostics);
        assert_eq!(
            r.entity_ref.as_ref().unwrap().to_string(),
            "component:default/sample-service-5"
        );
    }
    assert!(read(&sample.join("catalog-info.yml"), true)[0].is_valid());

    // Valid for Backstage; Roadie's rules reject its source-location.
    let file = sample.join("invalid-catalog-info.yml");
    assert!(read(&file, false)[0].is_valid());
    let strict = &read(&file, true)[0];
    assert_eq!(strict.diagnostics.len(), 1, "{:?}", strict.diagnostics);
    let d = &strict.diagnostics[0];
    assert_eq!(d.code, "strict-rule");
    assert_eq!(d.path, "metadata.annotations.backstage.io/source-location");
    assert_eq!((d.line, d.column), (17, 35));

    // The $text target is not in the folder: reported as unreadable, naming the path.
    let reports = read(&sample.join("catalog-info-with-replacement.yml"), false);
    assert_eq!(reports.len(), 1);
    let d = &reports[0].diagnostics;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "placeholder");
    assert_eq!(d[0].path, "spec.definition");
    assert_eq!((d[0].line, d[0].column), (11, 5));
    assert!(
        d[0].message
            .contains("Placeholder $text could not read location ./openapi/v1.oas3.yaml"),
        "{}",
        d[0].message
    );
}

#[test]
fn all_templates_are_valid_templates() {
    let Some(corpus) = corpus() else { return };
    let mut files = Vec::new();
    find(&corpus, "template.yaml", &mut files);
    assert_eq!(files.len(), 33, "the corpus holds 33 template.yaml files");
    for file in files {
        let reports = read(&file, false);
        assert_eq!(reports.len(), 1, "{}", file.display());
        let r = &reports[0];
        assert!(r.is_valid(), "{}: {:?}", file.display(), r.diagnostics);
        assert_eq!(r.entity_ref.as_ref().unwrap().kind, "Template");
        let entity = r.entity().unwrap();
        let typed = entity
            .try_parse::<opa_core::entity::kinds::TemplateSpec>()
            .unwrap();
        assert!(!typed.spec.steps.is_empty(), "{}", file.display());
    }
}

/// The catalog files inside templates' skeletons are nunjucks templates, not YAML yet: Backstage
/// rejects them (a `{%- if %}` line is a YAML error; a `${{ }}` name is not a valid name), and so
/// does opa — always at a templated line, never elsewhere.
#[test]
fn skeleton_catalog_files_fail_only_where_they_are_templated() {
    let Some(corpus) = corpus() else { return };
    let mut files = Vec::new();
    find(&corpus, "catalog-info.yaml", &mut files);
    assert!(files.len() >= 24, "found {}", files.len());
    let mut syntax = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for r in read(file, false) {
            assert!(
                !r.is_valid(),
                "{} is a template, not an entity",
                file.display()
            );
            for d in &r.diagnostics {
                let line = lines[d.line as usize - 1];
                let templated = line.contains("{{") || line.contains("{%");
                assert!(
                    templated,
                    "{}:{}: {d:?} at {line:?}",
                    file.display(),
                    d.line
                );
                syntax += usize::from(d.code == "yaml-syntax");
            }
        }
    }
    assert!(
        syntax >= 24,
        "the {{% if %}} skeletons are YAML errors, as for Backstage"
    );
}

/// The platform kinds from OPA on AWS, as the skeletons read once rendered.
#[test]
fn rendered_platform_entities_are_valid() {
    let Some(corpus) = corpus() else { return };
    let skeleton = corpus.join(
        "opa-on-aws/backstage-reference/templates/aws-ecs-environment-provider/content/.backstage/catalog-info.yaml",
    );
    let text = std::fs::read_to_string(skeleton).unwrap();
    let rendered: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("{%"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("${{values.name | dump }}", "dev-ecs")
        .replace("${{ values.title | dump }}", "\"Dev ECS\"")
        .replace("${{values.prefix | dump}}", "opa")
        .replace("${{values.description | dump}}", "\"ECS provider\"")
        .replace("${{values.envType}}", "ecs")
        .replace("${{values.awsAccount}}", "123456789012")
        .replace("${{values.awsRegion}}", "us-east-1")
        .replace(
            "${{values.environmentRole}}",
            "arn:aws:iam::123456789012:role/opa-env",
        )
        .replace("${{values.owner | dump}}", "platform-team");
    assert!(!rendered.contains("${{"), "{rendered}");
    let reports = opa_core::entity::read_entities(&rendered, None, None, &LoadOptions::default());
    assert!(reports[0].is_valid(), "{:?}", reports[0].diagnostics);
    let provider = reports[0]
        .entity()
        .unwrap()
        .try_parse::<opa_core::platform::ProviderSpec>()
        .unwrap();
    let meta = provider.platform_metadata().unwrap();
    assert_eq!(meta.aws_account, "123456789012");
    assert!(
        !meta.is_provisioned(),
        "roles and audit table are still empty"
    );
}
