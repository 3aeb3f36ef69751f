//! Rendering claims end to end: the example XRD, Composition and claim in `examples/crossplane`,
//! and claims and compositions broken one field at a time.

use opa_core::crossplane::{Inputs, Rendered, Source, render_text};
use opa_core::yaml::to_yaml_string;
use serde_json::{Value, json};

fn example(file: &str) -> String {
    let path = format!(
        "{}/../examples/crossplane/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn render(xrd: &str, composition: &str, claim: &str) -> Rendered {
    render_text(&Inputs {
        xrd,
        composition,
        resource: claim,
    })
    .expect("inputs parse")
}

fn example_render(claim: &str) -> Rendered {
    render(&example("xrd.yaml"), &example("composition.yaml"), claim)
}

#[test]
fn example_claim_renders_composite_then_composed_resources() {
    let r = example_render(&example("claim.yaml"));
    assert!(r.is_ok(), "{:#?}", r.problems);
    let xr = r.composite.as_ref().expect("composite");
    assert_eq!(xr["apiVersion"], "platform.example.org/v1alpha1");
    assert_eq!(xr["kind"], "XDatabase");
    assert_eq!(xr["metadata"]["generateName"], "orders-");
    assert_eq!(
        xr["metadata"]["labels"],
        json!({
            "cost-center": "4711",
            "crossplane.io/claim-name": "orders",
            "crossplane.io/claim-namespace": "team-checkout",
            "crossplane.io/composite": "orders",
        }),
        "claim labels travel to the XR, except Kubernetes' reserved ones"
    );
    assert_eq!(
        xr["spec"]["claimRef"],
        json!({"apiVersion": "platform.example.org/v1alpha1", "kind": "Database", "name": "orders", "namespace": "team-checkout"})
    );
    // Defaults from the XRD schema, as the API server applies them.
    assert_eq!(xr["spec"]["parameters"]["region"], "eu-west-1");
    assert_eq!(xr["spec"]["parameters"]["backups"], true);
    assert_eq!(xr["spec"]["compositionUpdatePolicy"], "Automatic");
    assert_eq!(
        xr["spec"]["compositionRef"],
        json!({"name": "databases-aws"})
    );
    // Claim-only fields stay on the claim.
    assert!(xr["spec"].get("compositeDeletePolicy").is_none());

    let names: Vec<&str> = r.composed.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["instance", "security-group"]);
    let instance = &r.composed[0].resource;
    assert_eq!(instance["metadata"]["generateName"], "orders-");
    assert_eq!(
        instance["metadata"]["annotations"]["crossplane.io/composition-resource-name"],
        "instance"
    );
    assert_eq!(
        instance["metadata"]["labels"]["crossplane.io/composite"],
        "orders"
    );
    assert_eq!(
        instance["metadata"]["labels"]["platform.example.org/team"],
        "checkout"
    );
    assert_eq!(
        instance["metadata"]["ownerReferences"],
        json!([{"apiVersion": "platform.example.org/v1alpha1", "kind": "XDatabase", "name": "orders", "uid": "", "controller": true, "blockOwnerDeletion": true}])
    );
    let fp = &instance["spec"]["forProvider"];
    assert_eq!(fp["instanceClass"], "db.t3.large", "map transform");
    assert_eq!(fp["allocatedStorage"], 20, "ClampMin raises 15 to 20");
    assert_eq!(fp["backupRetentionPeriod"], 7, "convert then match");
    assert_eq!(fp["dbName"], "team-checkout-orders", "CombineFromComposite");
    assert_eq!(fp["region"], "eu-west-1", "patch set");
    assert_eq!(fp["engine"], "postgres", "base kept");
    let sg = &r.composed[1].resource;
    assert_eq!(
        sg["spec"]["forProvider"]["description"],
        "postgres access for team checkout"
    );
    assert_eq!(
        sg["spec"]["forProvider"]["cidrBlocks"],
        json!(["10.0.0.0/16"])
    );
}

#[test]
fn example_renders_as_yaml_with_sorted_keys() {
    let r = example_render(&example("claim.yaml"));
    let text = to_yaml_string(&r.composed[1].resource);
    assert!(
        text.starts_with("apiVersion: ec2.aws.upbound.io/v1beta1\nkind: SecurityGroupRule\nmetadata:\n  annotations:\n    crossplane.io/composition-resource-name: security-group\n"),
        "{text}"
    );
    assert!(text.contains("  ownerReferences:\n  - apiVersion: platform.example.org/v1alpha1\n    blockOwnerDeletion: true\n"), "{text}");
    assert!(text.contains("    uid: \"\"\n"), "{text}");
    let xr = to_yaml_string(r.composite.as_ref().expect("xr"));
    assert!(
        xr.contains("    cost-center: \"4711\"\n"),
        "a numeric-looking string is quoted: {xr}"
    );
}

fn problems(r: &Rendered) -> Vec<(Source, &str, &str, u32)> {
    r.problems
        .iter()
        .map(|p| {
            (
                p.source,
                p.diagnostic.code,
                p.diagnostic.path.as_str(),
                p.diagnostic.line,
            )
        })
        .collect()
}

#[test]
fn invalid_claim_is_rejected_with_field_names_and_positions() {
    let claim = "apiVersion: platform.example.org/v1alpha1
kind: Database
metadata:
  name: orders
spec:
  parameters:
    size: huge
    storageGB: lots
    extra: 1
";
    let r = example_render(claim);
    assert!(r.composite.is_none());
    assert_eq!(
        problems(&r),
        vec![
            (Source::Resource, "missing-field", "spec.parameters.team", 6),
            (Source::Resource, "invalid-value", "spec.parameters.size", 7),
            (
                Source::Resource,
                "invalid-type",
                "spec.parameters.storageGB",
                8
            ),
        ]
    );
    assert_eq!(
        r.problems[0].diagnostic.message,
        "spec.parameters.team: Required value"
    );
    assert_eq!(
        r.problems[1].diagnostic.message,
        "spec.parameters.size: Unsupported value: \"huge\": supported values: \"small\", \"medium\", \"large\""
    );
    assert_eq!(
        r.problems[2].diagnostic.message,
        "spec.parameters.storageGB: Invalid value: \"string\": spec.parameters.storageGB in body must be of type integer: \"string\""
    );
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].diagnostic.path, "spec.parameters.extra");
}

#[test]
fn claim_below_minimum_is_rejected() {
    let claim = "apiVersion: platform.example.org/v1alpha1\nkind: Database\nmetadata: {name: orders}\nspec:\n  parameters: {team: a, storageGB: 5}\n";
    let r = example_render(claim);
    assert_eq!(
        r.problems[0].diagnostic.message,
        "spec.parameters.storageGB: Invalid value: 5: spec.parameters.storageGB in body should be greater than or equal to 10"
    );
}

#[test]
fn composite_given_directly_is_rendered_without_claim() {
    let xr = "apiVersion: platform.example.org/v1alpha1
kind: XDatabase
metadata:
  name: orders-x1
spec:
  parameters:
    team: payments
";
    let r = example_render(xr);
    assert!(r.is_ok(), "{:#?}", r.problems);
    let instance = &r.composed[0].resource;
    assert_eq!(instance["metadata"]["generateName"], "orders-x1-");
    // Without a claim, Crossplane still sets the claim labels, empty.
    assert_eq!(
        instance["metadata"]["labels"]["crossplane.io/claim-name"],
        ""
    );
    // The combine patch needs spec.claimRef, which a bare XR lacks: the patch is skipped.
    assert!(instance["spec"]["forProvider"].get("dbName").is_none());
}

const XRD: &str = "apiVersion: apiextensions.crossplane.io/v1
kind: CompositeResourceDefinition
metadata: {name: xthings.example.org}
spec:
  group: example.org
  names: {kind: XThing, plural: xthings}
  claimNames: {kind: Thing, plural: things}
  versions:
  - name: v1
    served: true
    referenceable: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            # Crossplane keeps only the properties and required fields of spec and status.
            x-kubernetes-preserve-unknown-fields: true
            properties:
              size: {type: integer}
              name: {type: string}
              data: {type: object, x-kubernetes-preserve-unknown-fields: true}
          status:
            type: object
            properties:
              endpoint: {type: string}
              both: {type: string}
";

const CLAIM: &str = "apiVersion: example.org/v1\nkind: Thing\nmetadata: {name: t, namespace: ns}\nspec: {size: 3, name: Thing-One}\n";

fn composition(resources: &str) -> String {
    format!(
        "apiVersion: apiextensions.crossplane.io/v1\nkind: Composition\nmetadata: {{name: things}}\nspec:\n  compositeTypeRef: {{apiVersion: example.org/v1, kind: XThing}}\n  resources:\n{resources}"
    )
}

#[test]
fn required_patch_that_cannot_be_applied_fails_its_resource() {
    let c = composition(
        "  - name: a
    base: {apiVersion: v1, kind: ConfigMap}
    patches:
    - fromFieldPath: spec.missing
      toFieldPath: data.x
      policy: {fromFieldPath: Required}
  - name: b
    base: {apiVersion: v1, kind: ConfigMap}
",
    );
    let r = render(XRD, &c, CLAIM);
    assert_eq!(
        problems(&r),
        vec![(
            Source::Composition,
            "patch-failed",
            "spec.resources.0.patches.0",
            10
        )]
    );
    assert_eq!(
        r.problems[0].diagnostic.message,
        "cannot render FromComposite patches for composed resource \"a\": cannot apply the \"FromCompositeFieldPath\" patch at index 0: spec.missing: no such field"
    );
    let names: Vec<&str> = r.composed.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["b"],
        "the resource whose patch failed is not rendered"
    );
}

#[test]
fn transform_errors_are_worded_as_crossplane_words_them() {
    let c = composition(
        "  - name: a
    base: {apiVersion: v1, kind: ConfigMap}
    patches:
    - fromFieldPath: spec.size
      toFieldPath: data.size
      transforms:
      - type: map
        map: {small: '1'}
",
    );
    let r = render(XRD, &c, CLAIM);
    assert_eq!(
        r.problems[0].diagnostic.message,
        "cannot render FromComposite patches for composed resource \"a\": cannot apply the \"FromCompositeFieldPath\" patch at index 0: transform at index 0 returned error: map transform could not resolve: type int64 is not supported for map transform"
    );
}

#[test]
fn to_composite_patches_flow_back_to_the_xr() {
    let c = composition(
        "  - name: a
    base: {apiVersion: v1, kind: ConfigMap, data: {endpoint: db.internal}}
    patches:
    - type: ToCompositeFieldPath
      fromFieldPath: data.endpoint
      toFieldPath: status.endpoint
    - type: CombineToComposite
      combine:
        variables: [{fromFieldPath: kind}, {fromFieldPath: data.endpoint}]
        strategy: string
        string: {fmt: '%s/%s'}
      toFieldPath: status.both
",
    );
    let r = render(XRD, &c, CLAIM);
    assert!(r.is_ok(), "{:#?}", r.problems);
    let xr = r.composite.expect("xr");
    assert_eq!(
        xr["status"],
        json!({"endpoint": "db.internal", "both": "ConfigMap/db.internal"})
    );
}

#[test]
fn anonymous_templates_are_named_by_index_without_annotation() {
    let c = composition(
        "  - base: {apiVersion: v1, kind: ConfigMap}\n  - base: {apiVersion: v1, kind: Secret}\n",
    );
    let r = render(XRD, &c, CLAIM);
    assert!(r.is_ok(), "{:#?}", r.problems);
    let names: Vec<&str> = r.composed.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["0", "1"]);
    assert!(
        r.composed[0].resource["metadata"]
            .get("annotations")
            .is_none()
    );
}

#[test]
fn base_name_and_namespace_are_replaced_by_generate_name() {
    let c = composition(
        "  - name: a
    base: {apiVersion: v1, kind: ConfigMap, metadata: {name: fixed, namespace: other}}
    patches:
    - fromFieldPath: spec.name
      toFieldPath: metadata.name
      transforms: [{type: string, string: {type: Convert, convert: ToLower}}]
",
    );
    let r = render(XRD, &c, CLAIM);
    let meta = &r.composed[0].resource["metadata"];
    assert_eq!(meta["name"], "thing-one");
    assert_eq!(meta["generateName"], "t-");
    assert!(meta.get("namespace").is_none());
}

#[test]
fn composition_for_another_type_is_refused() {
    let c = "apiVersion: apiextensions.crossplane.io/v1\nkind: Composition\nmetadata: {name: other}\nspec:\n  compositeTypeRef: {apiVersion: example.org/v1, kind: XOther}\n  resources: []\n";
    let r = render(XRD, c, CLAIM);
    assert_eq!(
        problems(&r),
        vec![(
            Source::Composition,
            "composition-mismatch",
            "spec.compositeTypeRef",
            5
        )]
    );
}

#[test]
fn pipeline_mode_is_refused() {
    let c = "apiVersion: apiextensions.crossplane.io/v1\nkind: Composition\nmetadata: {name: things}\nspec:\n  compositeTypeRef: {apiVersion: example.org/v1, kind: XThing}\n  mode: Pipeline\n  pipeline: []\n";
    let r = render(XRD, c, CLAIM);
    assert_eq!(
        problems(&r),
        vec![(Source::Composition, "composition-mismatch", "spec.mode", 6)]
    );
}

#[test]
fn claim_of_unknown_kind_is_refused() {
    let r = render(
        XRD,
        &composition("    []\n"),
        "apiVersion: example.org/v1\nkind: Other\nmetadata: {name: x}\nspec: {}\n",
    );
    assert_eq!(
        problems(&r),
        vec![(Source::Resource, "invalid-kind", "kind", 2)]
    );
}

#[test]
fn merge_options_keep_existing_map_values() {
    let c = composition(
        "  - name: a
    base: {apiVersion: v1, kind: ConfigMap, data: {keep: base, other: base}}
    patches:
    - fromFieldPath: spec.data
      toFieldPath: data
      policy: {mergeOptions: {keepMapValues: true}}
",
    );
    let claim = "apiVersion: example.org/v1\nkind: Thing\nmetadata: {name: t}\nspec: {data: {keep: claim, new: claim}}\n";
    let r = render(XRD, &c, claim);
    assert_eq!(
        r.composed[0].resource["data"],
        json!({"keep": "base", "other": "base", "new": "claim"})
    );
    let _: &Value = &r.composed[0].resource;
}

#[test]
fn inputs_may_share_one_multi_document_file() {
    let all = format!(
        "{}---\n{}---\n{}",
        example("composition.yaml"),
        example("claim.yaml"),
        example("xrd.yaml")
    );
    let r = render(&all, &all, &all);
    assert!(r.is_ok(), "{:#?}", r.problems);
    assert_eq!(r.composed.len(), 2);
}

#[test]
fn one_of_in_the_xrd_schema_is_enforced() {
    // Crossplane keeps only the properties and required fields of spec itself, so the rule sits
    // on a property.
    let xrd = XRD.replace(
        "              data: {type: object, x-kubernetes-preserve-unknown-fields: true}\n",
        "              data:\n                type: object\n                x-kubernetes-preserve-unknown-fields: true\n                oneOf: [{required: [a]}, {required: [b]}]\n",
    );
    let c = composition("    []\n");
    let claim = |data: &str| {
        format!(
            "apiVersion: example.org/v1\nkind: Thing\nmetadata: {{name: t}}\nspec: {{data: {data}}}\n"
        )
    };
    let both = render(&xrd, &c, &claim("{a: 1, b: 2}"));
    assert_eq!(
        both.problems
            .iter()
            .map(|p| p.diagnostic.message.as_str())
            .collect::<Vec<_>>(),
        [
            "spec.data: Invalid value: \"object\": spec.data in body must validate one and only one schema (oneOf)"
        ]
    );
    let one = render(&xrd, &c, &claim("{a: 1}"));
    assert!(one.is_ok(), "{:#?}", one.problems);
}
