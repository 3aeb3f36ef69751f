//! Validation as Backstage does it: one valid entity, then each test breaks one field and checks
//! the code, path and position of what is reported.

use opa_core::entity::{LoadOptions, ValidateOptions, read_entities};

fn problems(text: &str) -> Vec<(String, String, u32, u32)> {
    problems_with(text, &LoadOptions::default())
}

fn problems_with(text: &str, options: &LoadOptions) -> Vec<(String, String, u32, u32)> {
    read_entities(text, None, None, options)
        .into_iter()
        .flat_map(|r| r.diagnostics)
        .map(|d| (d.code.to_string(), d.path, d.line, d.column))
        .collect()
}

fn p(code: &str, path: &str, line: u32, column: u32) -> (String, String, u32, u32) {
    (code.into(), path.into(), line, column)
}

const COMPONENT: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: petstore
  tags: [java, web]
  labels:
    tier: backend
  annotations:
    backstage.io/source-location: url:https://github.com/acme/petstore/tree/main/
  links:
    - url: https://petstore.example.com
      title: Home
spec:
  type: service
  lifecycle: production
  owner: team-a
  system: pets
  providesApis: [petstore-api]
  dependsOn: [resource:petstore-db]
";

#[test]
fn a_valid_component_has_no_problems() {
    assert_eq!(problems(COMPONENT), vec![]);
    let reports = read_entities(COMPONENT, None, None, &LoadOptions::default());
    assert_eq!(
        reports[0].entity_ref.as_ref().unwrap().to_string(),
        "component:default/petstore"
    );
}

#[test]
fn every_problem_is_reported_with_its_position() {
    let text = COMPONENT
        .replace("name: petstore", "name: pet store")
        .replace("[java, web]", "[java, Web]")
        .replace("owner: team-a", "owner: ''")
        .replace("resource:petstore-db", "petstore-db");
    assert_eq!(
        problems(&text),
        vec![
            p("invalid-name", "metadata.name", 4, 9),
            p("invalid-tag", "metadata.tags.1", 5, 16),
            p("invalid-value", "spec.owner", 16, 10),
            p("invalid-ref", "spec.dependsOn.0", 19, 15),
        ]
    );
}

#[test]
fn missing_fields_are_reported_at_the_parent_key() {
    let text = COMPONENT.replace("  lifecycle: production\n", "");
    assert_eq!(problems(&text), vec![p("missing-field", "spec", 13, 1)]);
    let text = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  title: x\nspec:\n  type: team\n  children: []\n";
    assert_eq!(problems(text), vec![p("missing-field", "metadata", 3, 1)]);
}

#[test]
fn unknown_kinds_and_root_fields() {
    let text = COMPONENT.replace("kind: Component", "kind: Widget") + "status: {}\n";
    assert_eq!(
        problems(&text),
        vec![
            p("unknown-kind", "kind", 2, 7),
            p("unknown-field", "status", 20, 1)
        ]
    );
    let options = LoadOptions {
        validate: ValidateOptions {
            allow_unknown_kinds: true,
            strict: false,
        },
        ..LoadOptions::default()
    };
    let text = COMPONENT.replace("kind: Component", "kind: Widget");
    assert_eq!(problems_with(&text, &options), vec![]);
}

#[test]
fn api_version_must_suit_the_kind() {
    let text = COMPONENT.replace("backstage.io/v1alpha1", "backstage.io/v2");
    assert_eq!(
        problems(&text),
        vec![p("invalid-api-version", "apiVersion", 1, 13)]
    );
}

#[test]
fn yaml_errors_are_problems_of_their_document() {
    let text = format!("{COMPONENT}---\nkind: [\n---\n{COMPONENT}");
    let reports = read_entities(&text, None, None, &LoadOptions::default());
    assert_eq!(reports.len(), 3);
    assert!(reports[0].is_valid());
    assert_eq!(reports[1].diagnostics[0].code, "yaml-syntax");
    assert_eq!(reports[1].index, 1);
    assert!(reports[2].is_valid());
}

#[test]
fn json_and_yaml_placeholders_bring_in_data() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("tags.json"), "[\"java\", \"web\"]").unwrap();
    std::fs::write(root.join("owner.yaml"), "team-a\n").unwrap();
    std::fs::write(root.join("two.yaml"), "a: 1\n---\nb: 2\n").unwrap();
    let text = COMPONENT
        .replace("tags: [java, web]", "tags:\n    $json: ./tags.json")
        .replace("owner: team-a", "owner:\n    $yaml: owner.yaml");
    let file = root.join("catalog-info.yaml");
    let reports = read_entities(&text, Some(&file), Some(root), &LoadOptions::default());
    assert!(reports[0].is_valid(), "{:?}", reports[0].diagnostics);
    let entity = reports[0].entity().unwrap();
    assert_eq!(entity.metadata.tags, ["java", "web"]);
    assert_eq!(entity.spec["owner"], "team-a");

    // Exactly one YAML document; a `$ref` (JSON Schema) is not a placeholder.
    let text = COMPONENT.replace("owner: team-a", "owner:\n    $yaml: two.yaml");
    let reports = read_entities(&text, Some(&file), Some(root), &LoadOptions::default());
    let d = &reports[0].diagnostics;
    assert_eq!(
        (d[0].code, d[0].path.as_str()),
        ("placeholder", "spec.owner")
    );
    assert!(
        d[0].message.contains("exactly one document"),
        "{}",
        d[0].message
    );
    let text = COMPONENT.replace(
        "  system: pets\n",
        "  x:\n    $ref: '#/definitions/y'\n  system: pets\n",
    );
    let reports = read_entities(&text, Some(&file), Some(root), &LoadOptions::default());
    assert!(reports[0].is_valid(), "{:?}", reports[0].diagnostics);
}
