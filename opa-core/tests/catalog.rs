//! The catalog: loading, relations, queries, dangling references and duplicates.

use std::path::PathBuf;

use opa_core::catalog::{Catalog, LoadOptions, RelationType};

const SHOP: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: [team-b]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-b
spec:
  type: team
  parent: team-a
  children: []
  members: [alice]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: alice
spec:
  memberOf: [team-b]
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: shop
spec:
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
spec:
  type: website
  lifecycle: production
  owner: team-a
  system: shop
  consumesApis: [cart-api]
  dependsOn: [component:cart]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart
spec:
  type: service
  lifecycle: production
  owner: group:default/team-b
  system: shop
  providesApis: [cart-api]
  dependsOn: [resource:cart-db]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: cart-api
spec:
  type: openapi
  lifecycle: production
  owner: team-b
  definition: '{}'
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: cart-db
spec:
  type: database
  owner: team-b
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: mobile
spec:
  type: app
  lifecycle: production
  owner: team-a
  dependsOn: [component:web]
";

fn rel(catalog: &Catalog, r: &str) -> Vec<String> {
    catalog
        .relations(r)
        .iter()
        .map(|r| format!("{} {}", r.relation_type, r.target_ref))
        .collect()
}

#[test]
fn relations_both_directions_sorted_like_backstage() {
    let c = Catalog::from_text("shop.yaml", SHOP);
    assert_eq!(c.len(), 9);
    assert_eq!(
        rel(&c, "component:default/cart"),
        [
            "dependencyOf component:default/web",
            "dependsOn resource:default/cart-db",
            "ownedBy group:default/team-b",
            "partOf system:default/shop",
            "providesApi api:default/cart-api",
        ]
    );
    // Group relations come from both sides (children and parent), deduplicated.
    assert_eq!(
        rel(&c, "group:team-b"),
        [
            "childOf group:default/team-a",
            "hasMember user:default/alice",
            "ownerOf api:default/cart-api",
            "ownerOf component:default/cart",
            "ownerOf resource:default/cart-db",
        ]
    );
    assert_eq!(rel(&c, "user:alice"), ["memberOf group:default/team-b"]);
    assert_eq!(c.dangling().count(), 0);
    assert!(c.duplicates().is_empty());
    assert!(c.problems().is_empty());
}

#[test]
fn queries() {
    let c = Catalog::from_text("shop.yaml", SHOP);
    let web = c
        .entity("Component:Default/WEB")
        .expect("found ignoring case");
    assert_eq!(web.entity_ref(), "component:default/web");
    assert_eq!(
        (web.kind(), web.namespace(), web.name()),
        ("Component", "default", "web")
    );
    assert_eq!(web.location().line, 33);
    assert!(c.entity("component:nope").is_none());

    let components: Vec<_> = c.by_kind("component").iter().map(|e| e.name()).collect();
    assert_eq!(components, ["web", "cart", "mobile"]);

    let owned: Vec<_> = c
        .owned_by("team-a")
        .iter()
        .map(|e| e.entity_ref())
        .collect();
    assert_eq!(
        owned,
        [
            "system:default/shop",
            "component:default/web",
            "component:default/mobile"
        ]
    );
    assert!(c.owned_by("group:nobody").is_empty());

    let deps: Vec<_> = c
        .dependents("resource:cart-db")
        .iter()
        .map(|e| e.name())
        .collect();
    assert_eq!(deps, ["cart", "web", "mobile"]);
    assert!(c.dependents("component:mobile").is_empty());

    let doc = web.document().expect("sources are kept");
    assert_eq!(
        doc.get("spec").unwrap().get("system").unwrap().as_str(),
        Some("shop")
    );
    assert_eq!(doc.pos.line, 33);
    assert_eq!(c.relation_count(), 2 * 17);
    assert!(
        web.relations()
            .iter()
            .any(|r| r.relation_type == RelationType::ConsumesApi)
    );
}

#[test]
fn dependency_cycles_terminate() {
    let text = "kind: Component\nmetadata: {name: a}\nspec: {dependsOn: ['component:b']}\n---\n\
                kind: Component\nmetadata: {name: b}\nspec: {dependsOn: ['component:a']}\n";
    let c = Catalog::from_text("x.yaml", text);
    let deps: Vec<_> = c
        .dependents("component:a")
        .iter()
        .map(|e| e.name())
        .collect();
    assert_eq!(deps, ["b"]);
}

#[test]
fn dangling_references_name_source_field_and_target() {
    let text = "kind: Component\nmetadata: {name: a, namespace: ns}\nspec:\n  owner: ghost\n  providesApis: [x, y]\n---\n\
                kind: API\nmetadata: {name: x, namespace: ns}\nspec: {owner: 'user:default/ghost'}\n";
    let c = Catalog::from_text("x.yaml", text);
    let d: Vec<_> = c
        .dangling()
        .map(|d| {
            format!(
                "{} {} {} {}:{}",
                d.source, d.field, d.target, d.location.line, d.location.column
            )
        })
        .collect();
    assert_eq!(
        d,
        [
            "component:ns/a spec.owner group:ns/ghost 4:10",
            "component:ns/a spec.providesApis.1 api:ns/y 5:21",
            "api:ns/x spec.owner user:default/ghost 9:15",
        ]
    );
    // A missing target still has the relations that point at it.
    assert_eq!(rel(&c, "group:ns/ghost"), ["ownerOf component:ns/a"]);
    let json = serde_json::to_value(c.dangling().next().unwrap()).unwrap();
    assert_eq!(json["field"], "spec.owner");
    assert_eq!(json["file"], "x.yaml");
}

#[test]
fn duplicates_keep_the_first_and_list_every_location() {
    let text = "kind: Component\nmetadata: {name: a}\nspec: {owner: t1}\n---\n\
                kind: component\nmetadata: {name: A}\nspec: {owner: t2}\n";
    let c = Catalog::from_text("x.yaml", text);
    let dups = c.duplicates();
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0].entity_ref, "component:default/a");
    let at: Vec<_> = dups[0]
        .locations
        .iter()
        .map(|l| (l.document, l.line))
        .collect();
    assert_eq!(at, [(0, 1), (1, 5)]);
    // The second definition's relations are not emitted.
    assert_eq!(rel(&c, "component:a"), ["ownedBy group:default/t1"]);
    assert_eq!(c.len(), 1);
}

#[test]
fn problems_are_reported_and_other_documents_still_load() {
    let text = "kind: Component\nmetadata: {name: ok}\n---\nkind: [\n---\nmetadata: {name: x}\n---\n\
                kind: Resource\nmetadata: {name: r}\nspec: {dependsOn: [nokind]}\n";
    let c = Catalog::from_text("x.yaml", text);
    assert_eq!(c.len(), 2);
    let codes: Vec<_> = c
        .problems()
        .iter()
        .map(|p| (p.document, p.diagnostic.code))
        .collect();
    assert_eq!(
        codes,
        [(1, "yaml-syntax"), (2, "missing-field"), (3, "invalid-ref")]
    );
}

#[test]
fn loads_directories_recursively() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
    std::fs::write(
        dir.path().join("a/g.yaml"),
        "kind: Group\nmetadata: {name: t}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a/b/c.yml"),
        "kind: Component\nmetadata: {name: c}\nspec: {owner: t}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a/notes.txt"),
        "kind: Group\nmetadata: {name: z}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("bad.yaml"), [0xff, 0xfe, 0x00]).unwrap();
    let c = Catalog::load(&[dir.path()], LoadOptions::default()).unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c.dangling().count(), 0);
    assert_eq!(c.problems().len(), 1, "{:?}", c.problems());
    assert!(Catalog::load(&[dir.path().join("missing")], LoadOptions::default()).is_err());
}

#[test]
fn large_single_file_loads_in_parallel_in_order() {
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!(
            "---\nkind: Component\nmetadata:\n  name: c{i}\n  description: {}\nspec:\n  owner: team\n  dependsOn: ['component:c{}']\n",
            "x".repeat(40),
            (i + 1) % 5000
        ));
    }
    text.push_str("---\nkind: Group\nmetadata: {name: team}\n");
    let c = Catalog::from_text("big.yaml", &text);
    assert_eq!(c.len(), 5001);
    assert_eq!(c.entities().nth(1234).unwrap().name(), "c1234");
    assert_eq!(c.entities().nth(1234).unwrap().location().document, 1234);
    assert_eq!(c.dangling().count(), 0);
    assert_eq!(c.owned_by("team").len(), 5000);
    assert_eq!(c.dependents("component:c0").len(), 4999);
}

fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: the shared corpus ({}) is absent", p.display());
        None
    }
}

#[test]
fn roadie_sample_holds_the_same_entity_twice() {
    let Some(corpus) = corpus() else { return };
    let file = corpus.join("roadie-entity-validator/sample/catalog-info.yml");
    let c = Catalog::load(&[&file], LoadOptions::default()).unwrap();
    let dups = c.duplicates();
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0].entity_ref, "component:default/sample-service-5");
    assert_eq!(dups[0].locations.len(), 2);
    assert_eq!(dups[0].locations[1].document, 1);
    let dangling: Vec<_> = c.dangling().map(|d| d.target).collect();
    assert_eq!(
        dangling,
        ["user:default/dtuite", "api:default/sample-service"]
    );
}
