//! Patches: the cases of Crossplane's patch tests (TestPatchApply, TestOptionalFieldPathNotFound,
//! TestComposedTemplates, TestResolveTransforms), named as upstream names them.

use opa_core::crossplane::patch::{Patch, PatchPolicy, apply, is_optional_field_path_not_found};
use opa_core::crossplane::transform::{Transform, resolve_all};
use opa_core::crossplane::{Composition, PatchError, find_document};
use serde_json::{Value, json};

fn patch(v: Value) -> Patch {
    serde_json::from_value(v).expect("patch")
}

struct Case {
    name: &'static str,
    patch: Value,
    xr: Value,
    cd: Value,
    only: &'static [&'static str],
    want_xr: Option<Value>,
    want_cd: Option<Value>,
    want_err: Option<&'static str>,
}

fn xr(extra: Value) -> Value {
    let mut v = json!({"apiVersion": "test.crossplane.io/v1", "kind": "XR"});
    merge(&mut v, extra);
    v
}

fn cd(extra: Value) -> Value {
    let mut v = json!({"apiVersion": "test.crossplane.io/v1", "kind": "Composed"});
    merge(&mut v, extra);
    v
}

fn merge(into: &mut Value, extra: Value) {
    if let (Some(a), Value::Object(b)) = (into.as_object_mut(), extra) {
        a.extend(b);
    }
}

#[test]
fn patch_apply() {
    let cases = vec![
        Case {
            name: "InvalidCompositeFieldPathPatch",
            patch: json!({"type": "FromCompositeFieldPath"}),
            xr: json!({}),
            cd: json!({}),
            only: &[],
            want_xr: None,
            want_cd: None,
            want_err: Some("FromFieldPath is required by type FromCompositeFieldPath"),
        },
        Case {
            name: "InvalidPatchType",
            patch: json!({"type": "invalid-patchtype"}),
            xr: json!({}),
            cd: json!({}),
            only: &[],
            want_xr: None,
            want_cd: None,
            want_err: Some("patch type invalid-patchtype is unsupported"),
        },
        Case {
            name: "ValidCompositeFieldPathPatch",
            patch: json!({"type": "FromCompositeFieldPath", "fromFieldPath": "metadata.labels", "toFieldPath": "metadata.labels"}),
            xr: xr(json!({"metadata": {"labels": {"test": "blah"}}})),
            cd: cd(json!({"metadata": {"name": "cd"}})),
            only: &[],
            want_xr: None,
            want_cd: Some(cd(
                json!({"metadata": {"name": "cd", "labels": {"test": "blah"}}}),
            )),
            want_err: None,
        },
        Case {
            name: "ValidCompositeFieldPathPatchWithWildcards",
            patch: json!({"type": "FromCompositeFieldPath", "fromFieldPath": "metadata.name", "toFieldPath": "metadata.ownerReferences[*].name"}),
            xr: xr(json!({"metadata": {"name": "test"}})),
            cd: cd(json!({"metadata": {"ownerReferences": [{"name": ""}, {"name": ""}]}})),
            only: &[],
            want_xr: None,
            want_cd: Some(cd(
                json!({"metadata": {"ownerReferences": [{"name": "test"}, {"name": "test"}]}}),
            )),
            want_err: None,
        },
        Case {
            name: "InvalidCompositeFieldPathPatchWithWildcards",
            patch: json!({"type": "FromCompositeFieldPath", "fromFieldPath": "metadata.name", "toFieldPath": "metadata.ownerReferences[*].badField"}),
            xr: xr(json!({"metadata": {"name": "test"}})),
            cd: cd(json!({"metadata": {"ownerReferences": [{"name": "test"}, {"name": "test"}]}})),
            only: &[],
            want_xr: None,
            want_cd: None,
            want_err: Some("cannot expand ToFieldPath metadata.ownerReferences[*].badField"),
        },
        Case {
            name: "MissingOptionalFieldPath",
            patch: json!({"type": "FromCompositeFieldPath", "fromFieldPath": "metadata.labels", "toFieldPath": "metadata.labels"}),
            xr: xr(json!({"metadata": {"name": "test"}})),
            cd: cd(json!({"metadata": {"name": "test"}})),
            only: &[],
            want_xr: None,
            want_cd: Some(cd(json!({"metadata": {"name": "test"}}))),
            want_err: None,
        },
        Case {
            name: "MissingRequiredFieldPath",
            patch: json!({"type": "FromCompositeFieldPath", "fromFieldPath": "wat", "toFieldPath": "wat", "policy": {"fromFieldPath": "Required"}}),
            xr: xr(json!({"metadata": {"name": "test"}})),
            cd: cd(json!({"metadata": {"name": "test"}})),
            only: &[],
            want_xr: None,
            want_cd: Some(cd(json!({"metadata": {"name": "test"}}))),
            want_err: Some("wat: no such field"),
        },
        Case {
            name: "FilterExcludeCompositeFieldPathPatch",
            patch: json!({"type": "FromCompositeFieldPath", "fromFieldPath": "metadata.labels", "toFieldPath": "metadata.labels"}),
            xr: xr(json!({"metadata": {"labels": {"test": "blah"}}})),
            cd: json!({}),
            only: &["PatchSet"],
            want_xr: None,
            want_cd: Some(json!({})),
            want_err: None,
        },
        Case {
            name: "FilterIncludeCompositeFieldPathPatch",
            patch: json!({"type": "FromCompositeFieldPath", "fromFieldPath": "metadata.labels", "toFieldPath": "metadata.labels"}),
            xr: xr(json!({"metadata": {"labels": {"test": "blah"}}})),
            cd: cd(json!({})),
            only: &["FromCompositeFieldPath"],
            want_xr: None,
            want_cd: Some(cd(json!({"metadata": {"labels": {"test": "blah"}}}))),
            want_err: None,
        },
        Case {
            name: "DefaultToFieldCompositeFieldPathPatch",
            patch: json!({"type": "FromCompositeFieldPath", "fromFieldPath": "metadata.labels"}),
            xr: xr(json!({"metadata": {"labels": {"test": "blah"}}})),
            cd: cd(json!({})),
            only: &[],
            want_xr: None,
            want_cd: Some(cd(json!({"metadata": {"labels": {"test": "blah"}}}))),
            want_err: None,
        },
        Case {
            name: "ValidToCompositeFieldPathPatch",
            patch: json!({"type": "ToCompositeFieldPath", "fromFieldPath": "metadata.labels", "toFieldPath": "metadata.labels"}),
            xr: xr(json!({})),
            cd: cd(json!({"metadata": {"labels": {"test": "blah"}}})),
            only: &[],
            want_xr: Some(xr(json!({"metadata": {"labels": {"test": "blah"}}}))),
            want_cd: None,
            want_err: None,
        },
        Case {
            name: "ValidToCompositeFieldPathPatchWithWildcards",
            patch: json!({"type": "ToCompositeFieldPath", "fromFieldPath": "metadata.name", "toFieldPath": "metadata.ownerReferences[*].name"}),
            xr: xr(json!({"metadata": {"ownerReferences": [{"name": ""}, {"name": ""}]}})),
            cd: cd(json!({"metadata": {"name": "test"}})),
            only: &[],
            want_xr: Some(xr(
                json!({"metadata": {"ownerReferences": [{"name": "test"}, {"name": "test"}]}}),
            )),
            want_cd: None,
            want_err: None,
        },
        Case {
            name: "MissingCombineFromCompositeConfig",
            patch: json!({"type": "CombineFromComposite", "toFieldPath": "metadata.labels.destination"}),
            xr: json!({}),
            cd: json!({}),
            only: &[],
            want_xr: Some(json!({})),
            want_cd: Some(json!({})),
            want_err: Some("Combine is required by type CombineFromComposite"),
        },
        Case {
            name: "MissingCombineStrategyFromCompositeConfig",
            patch: json!({"type": "CombineFromComposite", "toFieldPath": "metadata.labels.destination", "combine": {
                "variables": [{"fromFieldPath": "metadata.labels.source1"}, {"fromFieldPath": "metadata.labels.source2"}],
                "strategy": "string"}}),
            xr: xr(json!({"metadata": {"labels": {"source1": "a", "source2": "b"}}})),
            cd: json!({}),
            only: &[],
            want_xr: None,
            want_cd: None,
            want_err: Some("given combine strategy string requires configuration"),
        },
        Case {
            name: "MissingCombineVariablesFromCompositeConfig",
            patch: json!({"type": "CombineFromComposite", "toFieldPath": "objectMeta.labels.destination", "combine": {
                "variables": [], "strategy": "string", "string": {"fmt": "%s-%s"}}}),
            xr: json!({}),
            cd: json!({}),
            only: &[],
            want_xr: None,
            want_cd: None,
            want_err: Some("combine patch types require at least one variable"),
        },
        Case {
            name: "NoOpOptionalInputFieldFromCompositeConfig",
            patch: json!({"type": "CombineFromComposite", "toFieldPath": "metadata.labels.destination", "combine": {
                "variables": [{"fromFieldPath": "metadata.labels.source1"}, {"fromFieldPath": "metadata.labels.source2"}, {"fromFieldPath": "metadata.labels.source3"}],
                "strategy": "string", "string": {"fmt": "%s-%s"}}}),
            xr: xr(json!({"metadata": {"labels": {"source1": "foo", "source3": "baz"}}})),
            cd: json!({}),
            only: &[],
            want_xr: None,
            want_cd: Some(json!({})),
            want_err: None,
        },
        Case {
            name: "ValidCombineFromComposite",
            patch: json!({"type": "CombineFromComposite", "toFieldPath": "metadata.labels.destination", "combine": {
                "variables": [{"fromFieldPath": "metadata.labels.source1"}, {"fromFieldPath": "metadata.labels.source2"}],
                "strategy": "string", "string": {"fmt": "%s-%s"}}}),
            xr: xr(json!({"metadata": {"labels": {"source1": "foo", "source2": "bar"}}})),
            cd: cd(json!({"metadata": {"labels": {"test": "blah"}}})),
            only: &[],
            want_xr: None,
            want_cd: Some(cd(
                json!({"metadata": {"labels": {"destination": "foo-bar", "test": "blah"}}}),
            )),
            want_err: None,
        },
        Case {
            name: "ValidCombineToComposite",
            patch: json!({"type": "CombineToComposite", "toFieldPath": "metadata.labels.destination", "combine": {
                "variables": [{"fromFieldPath": "metadata.labels.source1"}, {"fromFieldPath": "metadata.labels.source2"}],
                "strategy": "string", "string": {"fmt": "%s-%s"}}}),
            xr: xr(json!({"metadata": {"labels": {"test": "blah"}}})),
            cd: cd(json!({"metadata": {"labels": {"source1": "foo", "source2": "bar"}}})),
            only: &[],
            want_xr: Some(xr(
                json!({"metadata": {"labels": {"destination": "foo-bar", "test": "blah"}}}),
            )),
            want_cd: None,
            want_err: None,
        },
    ];
    let mut failures = Vec::new();
    for mut c in cases {
        let p = patch(c.patch.clone());
        let got = apply(&p, &mut c.xr, &mut c.cd, c.only).map_err(|e| e.to_string());
        if got.as_ref().err().map(String::as_str) != c.want_err {
            failures.push(format!(
                "{}: want error {:?}, got {got:?}",
                c.name, c.want_err
            ));
        }
        if let Some(w) = &c.want_xr {
            if *w != c.xr {
                failures.push(format!("{}: xr: want {w}, got {}", c.name, c.xr));
            }
        }
        if let Some(w) = &c.want_cd {
            if *w != c.cd {
                failures.push(format!("{}: cd: want {w}, got {}", c.name, c.cd));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn optional_field_path_not_found() {
    let not_found = PatchError::not_found("boom: no such field");
    let boom = PatchError::new("boom");
    let policy = |p: Option<&str>| PatchPolicy {
        from_field_path: p.map(str::to_string),
        ..Default::default()
    };
    let cases: Vec<(&str, Option<PatchError>, Option<PatchPolicy>, bool)> = vec![
        ("NotAnError", None, None, false),
        ("NotFieldNotFoundError", Some(boom), None, false),
        (
            "DefaultOptionalNoPolicy",
            Some(not_found.clone()),
            None,
            true,
        ),
        (
            "DefaultOptionalNoPathPolicy",
            Some(not_found.clone()),
            Some(policy(None)),
            true,
        ),
        (
            "OptionalNotFound",
            Some(not_found.clone()),
            Some(policy(Some("Optional"))),
            true,
        ),
        (
            "RequiredNotFound",
            Some(not_found),
            Some(policy(Some("Required"))),
            false,
        ),
    ];
    let mut failures = Vec::new();
    for (name, err, p, want) in cases {
        let got = err.is_some_and(|e| is_optional_field_path_not_found(&e, p.as_ref()));
        if got != want {
            failures.push(format!("{name}: want {want}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

fn composition(spec: &str) -> Composition {
    let text = format!(
        "apiVersion: apiextensions.crossplane.io/v1\nkind: Composition\nmetadata: {{name: c}}\nspec:\n  compositeTypeRef: {{apiVersion: x.io/v1, kind: XR}}\n{spec}"
    );
    Composition::from_node(&find_document(&text, None).expect("yaml")).expect("composition")
}

fn from_paths(c: &Composition) -> Result<Vec<Vec<String>>, String> {
    c.templates()
        .map(|ts| {
            ts.iter()
                .map(|(_, ps)| {
                    ps.iter()
                        .map(|p| p.patch.from_field_path.clone().unwrap_or_default())
                        .collect()
                })
                .collect()
        })
        .map_err(|e| e.to_string())
}

#[test]
fn composed_templates() {
    let mut failures = Vec::new();

    let c = composition(
        "  resources:\n  - base: {}\n    patches:\n    - fromFieldPath: metadata.name\n    - fromFieldPath: metadata.namespace\n",
    );
    let want = vec![vec![
        "metadata.name".to_string(),
        "metadata.namespace".to_string(),
    ]];
    if from_paths(&c) != Ok(want.clone()) {
        failures.push(format!(
            "NoCompositionPatchSets: want {want:?}, got {:?}",
            from_paths(&c)
        ));
    }

    let c = composition(
        "  resources:\n  - base: {}\n    patches:\n    - type: PatchSet\n      patchSetName: patch-set-1\n",
    );
    let want_err = Err("cannot find PatchSet by name patch-set-1".to_string());
    if from_paths(&c) != want_err {
        failures.push(format!("UndefinedPatchSet: got {:?}", from_paths(&c)));
    }

    let c = composition(
        r#"  patchSets:
  - name: patch-set-1
    patches:
    - fromFieldPath: metadata.namespace
    - fromFieldPath: spec.parameters.test
  - name: patch-set-2
    patches:
    - fromFieldPath: metadata.annotations.patch-test-1
    - fromFieldPath: metadata.annotations.patch-test-2
      transforms:
      - type: map
        map: {k-1: v-1, k-2: v-2}
  resources:
  - base: {}
    patches:
    - type: PatchSet
      patchSetName: patch-set-2
    - fromFieldPath: metadata.name
    - type: PatchSet
      patchSetName: patch-set-1
  - base: {}
    patches:
    - type: PatchSet
      patchSetName: patch-set-1
"#,
    );
    let want: Vec<Vec<String>> = vec![
        vec![
            "metadata.annotations.patch-test-1",
            "metadata.annotations.patch-test-2",
            "metadata.name",
            "metadata.namespace",
            "spec.parameters.test",
        ],
        vec!["metadata.namespace", "spec.parameters.test"],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(str::to_string).collect())
    .collect();
    if from_paths(&c) != Ok(want.clone()) {
        failures.push(format!(
            "DefinedPatchSets: want {want:?}, got {:?}",
            from_paths(&c)
        ));
    }
    // The inlined patch keeps its transforms and says where it was written.
    if let Ok(ts) = c.templates() {
        let p = &ts[0].1[1];
        if p.patch.transforms.len() != 1 || p.origin.to_string() != "spec.patchSets.1.patches.1" {
            failures.push(format!("DefinedPatchSets: inlined patch {p:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn resolve_transforms() {
    let t = |v: Value| -> Transform { serde_json::from_value(v).expect("transform") };
    let cases: Vec<(&str, Vec<Transform>, Value, Value)> = vec![
        (
            "NoTransforms",
            vec![],
            json!({"spec": {"parameters": {"test": "test"}}}),
            json!({"spec": {"parameters": {"test": "test"}}}),
        ),
        (
            "MathTransformWithConversionToFloat64",
            vec![
                t(json!({"type": "convert", "convert": {"toType": "float64"}})),
                t(json!({"type": "math", "math": {"type": "Multiply", "multiply": 2}})),
            ],
            json!(2),
            json!(4.0),
        ),
        (
            "MathTransformWithConversionToInt64",
            vec![
                t(json!({"type": "convert", "convert": {"toType": "int64"}})),
                t(json!({"type": "math", "math": {"type": "Multiply", "multiply": 2}})),
            ],
            json!(2),
            json!(4),
        ),
    ];
    let mut failures = Vec::new();
    for (name, ts, input, want) in cases {
        match resolve_all(&ts, input) {
            Ok(got) if got == want && got.is_f64() == want.is_f64() => {}
            other => failures.push(format!("{name}: want {want:?}, got {other:?}")),
        }
    }
    // Errors name the index of the failing transform and its type, as Crossplane's do.
    let ts = vec![
        t(json!({"type": "string", "string": {"fmt": "%s"}})),
        t(json!({"type": "math", "math": {"multiply": 2}})),
    ];
    let got = resolve_all(&ts, json!("x")).map_err(|e| e.to_string());
    let want = "transform at index 1 returned error: math transform could not resolve: input is required to be a number for math transformer, got string";
    if got.as_ref().err().map(String::as_str) != Some(want) {
        failures.push(format!("ErrorAtIndex: got {got:?}"));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
