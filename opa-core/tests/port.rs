//! Port blueprints and entities: validation as Port's API does it, and Backstage entities mapped
//! with the blueprints of Port's Backstage integration.

use opa_core::port::{
    Blueprint, BlueprintSet, blueprints_from_node, codes, entities_from_node, from_backstage,
    validate_blueprints,
};
use opa_core::yaml::{Limits, Node, parse_single};
use serde_json::json;

fn node(text: &str) -> Node {
    parse_single(text, &Limits::default()).unwrap().unwrap()
}

const BLUEPRINTS: &str = r#"
- identifier: service
  title: Service
  schema:
    properties:
      language: {type: string, enum: [Go, Rust, Python]}
      url: {type: string, format: url}
      owner_email: {type: string, format: email}
      released: {type: string, format: date-time}
      replicas: {type: number, minimum: 1, maximum: 10}
      public: {type: boolean}
      config: {type: object}
      ports: {type: array, items: {type: number}}
      slug: {type: string, pattern: "^[a-z-]+$", maxLength: 10}
    required: [language]
  relations:
    system: {title: System, target: system, required: true, many: false}
    consumes: {target: service, many: true}
    owner: {target: _team}
- identifier: system
  title: System
  schema: {properties: {}}
"#;

fn set() -> BlueprintSet {
    let file = blueprints_from_node(&node(BLUEPRINTS));
    assert!(file.problems.is_empty());
    BlueprintSet::new(file.blueprints.into_iter().map(|(b, _)| b))
}

#[test]
fn a_valid_entity_has_no_problems() {
    let (docs, problems) = entities_from_node(&node(
        "identifier: checkout\ntitle: Checkout\nblueprint: service\nteam: [payments]\nproperties:\n  language: Rust\n  url: https://checkout.example.com\n  owner_email: a@example.com\n  released: 2024-05-01T12:00:00Z\n  replicas: 3\n  ports: [80, 443]\n  slug: checkout\nrelations:\n  system: shop\n  consumes: [cart, payments]\n",
    ));
    assert!(problems.is_empty());
    assert_eq!(docs[0].validate(&set()), []);
}

#[test]
fn every_problem_is_reported_at_its_field() {
    let text = "identifier: bad id\nblueprint: service\nproperties:\n  language: COBOL\n  url: not a url\n  owner_email: nobody\n  released: yesterday\n  replicas: 30\n  public: \"yes\"\n  ports: [80, http]\n  slug: Not-Valid-At-All\n  colour: red\nrelations:\n  consumes: cart\n  unknown: x\n";
    let (docs, _) = entities_from_node(&node(text));
    let problems = docs[0].validate(&set());
    let got: Vec<(&str, &str, u32)> = problems
        .iter()
        .map(|p| (p.code, p.path.as_str(), p.line))
        .collect();
    assert_eq!(
        got,
        [
            (codes::INVALID_IDENTIFIER, "identifier", 1),
            (codes::INVALID_VALUE, "properties.language", 4),
            (codes::INVALID_VALUE, "properties.url", 5),
            (codes::INVALID_VALUE, "properties.owner_email", 6),
            (codes::INVALID_VALUE, "properties.released", 7),
            (codes::INVALID_VALUE, "properties.replicas", 8),
            (codes::INVALID_TYPE, "properties.public", 9),
            (codes::INVALID_TYPE, "properties.ports.1", 10),
            (codes::INVALID_VALUE, "properties.slug", 11),
            (codes::INVALID_VALUE, "properties.slug", 11),
            (codes::UNKNOWN_FIELD, "properties.colour", 12),
            (codes::INVALID_TYPE, "relations.consumes", 14),
            (codes::UNKNOWN_FIELD, "relations.unknown", 15),
            (codes::MISSING_FIELD, "relations.system", 13),
        ]
    );
    assert!(
        problems[1].message.contains("\"Go\", \"Rust\", \"Python\""),
        "{}",
        problems[1].message
    );
    // The column of a property is its key's.
    assert_eq!(problems[1].column, 3);
}

#[test]
fn required_properties_and_unknown_blueprints() {
    let (docs, _) = entities_from_node(&node(
        "- {identifier: a, blueprint: service, relations: {system: s}}\n- {identifier: b, blueprint: database}\n- {identifier: c}\n",
    ));
    let codes_of =
        |i: usize| -> Vec<&str> { docs[i].validate(&set()).iter().map(|p| p.code).collect() };
    assert_eq!(codes_of(0), [codes::MISSING_FIELD]);
    assert_eq!(codes_of(1), [codes::UNKNOWN_BLUEPRINT]);
    assert_eq!(codes_of(2), [codes::MISSING_FIELD]);
}

#[test]
fn blueprint_problems() {
    let bad: Vec<Blueprint> = serde_json::from_value(json!([
        {"identifier": "svc", "title": "Service",
         "schema": {"properties": {
             "a": {"type": "text"},
             "b": {"type": "number", "format": "url"},
             "c": {"type": "string", "format": "colour"},
             "d": {"type": "string", "enum": ["x", 1]}},
          "required": ["e"]},
         "relations": {"r": {"target": "nowhere"}, "t": {"target": "_user"}}},
        {"identifier": "svc", "title": ""},
        {"identifier": "has space", "title": "X"}
    ]))
    .unwrap();
    let problems: Vec<(usize, &str, String)> = validate_blueprints(&bad)
        .into_iter()
        .map(|(i, d)| (i, d.code, d.path))
        .collect();
    assert_eq!(
        problems,
        [
            (
                0,
                codes::INVALID_VALUE,
                "schema.properties.a.type".to_string()
            ),
            (
                0,
                codes::INVALID_VALUE,
                "schema.properties.b.format".to_string()
            ),
            (
                0,
                codes::INVALID_VALUE,
                "schema.properties.c.format".to_string()
            ),
            (
                0,
                codes::INVALID_TYPE,
                "schema.properties.d.enum.1".to_string()
            ),
            (0, codes::INVALID_VALUE, "schema.required.0".to_string()),
            (0, codes::DANGLING_REF, "relations.r.target".to_string()),
            (1, codes::DUPLICATE_BLUEPRINT, "identifier".to_string()),
            (1, codes::MISSING_FIELD, "title".to_string()),
            (2, codes::INVALID_IDENTIFIER, "identifier".to_string()),
        ]
    );
}

/// The blueprints of Port's Backstage integration (trimmed to what the mapping fills).
const BACKSTAGE_BLUEPRINTS: &str = r#"
- identifier: component
  title: Component
  schema:
    properties:
      type: {type: string}
      lifecycle: {type: string}
      description: {type: string, format: markdown}
      labels: {type: object}
      annotations: {type: object}
      links: {type: array, items: {type: string, format: url}}
      tags: {type: array}
  relations:
    owningUser: {target: user}
    owningGroup: {target: group}
    system: {target: system}
    subcomponentOf: {target: component}
    providesApis: {target: API, many: true}
    consumesApis: {target: API, many: true}
    dependsOnComponent: {target: component, many: true}
    dependsOnResource: {target: resource, many: true}
- {identifier: API, title: API, relations: {}}
- {identifier: user, title: User}
- {identifier: group, title: Group}
- {identifier: system, title: System}
- {identifier: resource, title: Resource}
"#;

#[test]
fn a_backstage_component_maps_to_a_valid_port_entity() {
    let component = json!({
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Component",
        "metadata": {
            "name": "checkout",
            "title": "Checkout",
            "description": "Takes the money",
            "tags": ["rust"],
            "links": [{"url": "https://checkout.example.com", "title": "Site"}],
            "annotations": {"github.com/project-slug": "acme/checkout"}
        },
        "spec": {
            "type": "service",
            "lifecycle": "production",
            "owner": "group:payments",
            "system": "shop",
            "providesApis": ["checkout-api"],
            "dependsOn": ["resource:default/orders-db", "component:cart"]
        }
    });
    let entity = from_backstage(&component).unwrap();
    assert_eq!(
        serde_json::to_value(&entity).unwrap(),
        json!({
            "identifier": "checkout",
            "title": "Checkout",
            "blueprint": "component",
            "properties": {
                "description": "Takes the money",
                "annotations": {"github.com/project-slug": "acme/checkout"},
                "links": ["https://checkout.example.com"],
                "tags": ["rust"],
                "type": "service",
                "lifecycle": "production"
            },
            "relations": {
                "owningGroup": "payments",
                "system": "shop",
                "providesApis": ["checkout-api"],
                "dependsOnComponent": ["cart"],
                "dependsOnResource": ["orders-db"]
            }
        })
    );
    let file = blueprints_from_node(&node(BACKSTAGE_BLUEPRINTS));
    let set = BlueprintSet::new(file.blueprints.into_iter().map(|(b, _)| b));
    assert_eq!(opa_core::port::validate_entity(&entity, &set), []);
    let user_owned = json!({"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
        "metadata": {"name": "x"}, "spec": {"owner": "user:alice"}});
    assert_eq!(
        from_backstage(&user_owned).unwrap().relations["owningUser"],
        "alice"
    );
    let location = json!({"apiVersion": "backstage.io/v1alpha1", "kind": "Location", "metadata": {"name": "x"}});
    assert!(from_backstage(&location).is_err());
}

#[test]
fn texts_in_reports_out() {
    let report = opa_core::port::validate_sources(
        &[BLUEPRINTS, "identifier: system\ntitle: System again\n"],
        &[
            "identifier: a\nblueprint: service\nproperties: {language: Go}\nrelations: {system: s}\n",
            "[{identifier: b, blueprint: service}]",
        ],
    );
    assert!(!report.valid);
    let problems: Vec<(&str, usize, &str)> = report
        .problems
        .iter()
        .map(|p| (p.source, p.index, p.diagnostic.code))
        .collect();
    assert_eq!(problems, [("blueprint", 1, codes::DUPLICATE_BLUEPRINT)]);
    assert_eq!(report.entities.len(), 2);
    assert!(report.entities[0].valid);
    assert_eq!(report.entities[1].index, 1);
    assert_eq!(
        report.entities[1].errors.len(),
        2,
        "{:?}",
        report.entities[1].errors
    );
}
