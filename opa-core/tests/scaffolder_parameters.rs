//! Values checked against parameter pages as JSON Schema draft-07, with defaults applied.

use opa_core::scaffolder::{Template, validate_parameters};
use serde_json::json;

const TEMPLATE: &str = r#"
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: params
spec:
  parameters:
    - title: Basics
      required: [name, owner]
      properties:
        name:
          type: string
          pattern: '^[a-z][a-z0-9-]*$'
          minLength: 3
          ui:field: EntityNamePicker
          ui:autofocus: true
        owner:
          type: string
        replicas:
          type: number
          default: 2
        tier:
          type: string
          enum: [gold, silver]
          default: silver
    - title: Database
      properties:
        database:
          type: string
          enum: [none, postgres]
          default: none
      dependencies:
        database:
          oneOf:
            - properties:
                database:
                  enum: [none]
            - properties:
                database:
                  enum: [postgres]
                dbSize:
                  type: string
                  default: small
              required: [dbSize]
  steps: []
"#;

fn template() -> Template {
    Template::from_yaml_str(TEMPLATE).unwrap_or_else(|d| panic!("{d:?}"))
}

#[test]
fn valid_values_get_their_defaults() {
    let checked = validate_parameters(&template(), &json!({"name": "web", "owner": "team-a"}));
    assert!(checked.is_valid(), "{:?}", checked.problems);
    assert_eq!(
        checked.values,
        json!({"name": "web", "owner": "team-a", "replicas": 2, "tier": "silver", "database": "none"})
    );
}

#[test]
fn conditional_branches_get_their_defaults_and_requirements() {
    let checked = validate_parameters(
        &template(),
        &json!({"name": "web", "owner": "a", "database": "postgres"}),
    );
    assert!(checked.is_valid(), "{:?}", checked.problems);
    assert_eq!(checked.values["dbSize"], "small");
}

#[test]
fn every_problem_names_the_parameter_and_the_page() {
    let checked = validate_parameters(
        &template(),
        &json!({"name": "A!", "replicas": "two", "tier": "bronze"}),
    );
    let found: Vec<_> = checked
        .problems
        .iter()
        .map(|p| (p.code, p.parameter.as_str(), p.page))
        .collect();
    for expected in [
        ("missing-field", "owner", 0),
        ("invalid-value", "name", 0),
        ("invalid-type", "replicas", 0),
        ("invalid-value", "tier", 0),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    // pattern and minLength are both reported for `name`.
    assert_eq!(
        found.iter().filter(|p| p.1 == "name").count(),
        2,
        "{found:?}"
    );
    let owner = checked
        .problems
        .iter()
        .find(|p| p.parameter == "owner")
        .unwrap();
    assert_eq!(
        owner.message,
        "parameter \"owner\" on page 1 (\"Basics\"): is required"
    );
    assert_eq!(owner.page_title.as_deref(), Some("Basics"));
}

#[test]
fn a_page_object_is_one_page() {
    let t = Template::from_yaml_str(
        "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: t}\nspec:\n  parameters:\n    required: [x]\n    properties:\n      x: {type: string}\n  steps: []\n",
    )
    .unwrap();
    assert_eq!(t.parameters.len(), 1);
    let checked = validate_parameters(&t, &json!({}));
    assert_eq!(
        checked.problems[0].message,
        "parameter \"x\" on page 1: is required"
    );
}

#[test]
fn template_problems_have_positions() {
    let errs = Template::from_yaml_str(
        "apiVersion: scaffolder.backstage.io/v1beta2\nkind: Template\nmetadata:\n  name: t\nspec:\n  steps:\n    - id: a\n      action: debug:log\n    - id: a\n      input: [1]\n",
    )
    .unwrap_err();
    let found: Vec<_> = errs
        .iter()
        .map(|d| (d.code, d.path.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        found,
        vec![
            ("invalid-api-version", "apiVersion", 1, 13),
            ("missing-field", "spec.steps.1.action", 9, 7),
            ("invalid-value", "spec.steps.1.id", 9, 11),
            ("invalid-type", "spec.steps.1.input", 10, 14),
        ]
    );
}
