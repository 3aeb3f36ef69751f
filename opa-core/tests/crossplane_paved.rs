//! Getting, setting, expanding and merging by field path: the cases of crossplane-runtime's
//! `paved_test.go` (TestGetValue, TestSetValue, TestExpandWildcards) and `merge_test.go`
//! (TestMergeValue), named as upstream names them.

use opa_core::crossplane::merge::MergeOptions;
use opa_core::crossplane::paved::{expand_wildcards, get_value, merge_value, set_value};
use serde_json::{Value, json};

#[test]
fn get_value_cases() {
    let cases: Vec<(&str, &str, Value, Result<Value, &str>)> = vec![
        (
            "MetadataName",
            "metadata.name",
            json!({"metadata": {"name": "cool"}}),
            Ok(json!("cool")),
        ),
        (
            "ContainerName",
            "spec.containers[0].name",
            json!({"spec": {"containers": [{"name": "cool"}]}}),
            Ok(json!("cool")),
        ),
        (
            "NestedArray",
            "items[0][1]",
            json!({"items": [["a", "b"]]}),
            Ok(json!("b")),
        ),
        (
            "OwnerRefController",
            "metadata.ownerRefs[0].controller",
            json!({"metadata": {"ownerRefs": [{"controller": true}]}}),
            Ok(json!(true)),
        ),
        (
            "MetadataVersion",
            "metadata.version",
            json!({"metadata": {"version": 2}}),
            Ok(json!(2)),
        ),
        (
            "SomeFloat",
            "metadata.version",
            json!({"metadata": {"version": 2.0}}),
            Ok(json!(2.0)),
        ),
        (
            "MetadataNope",
            "metadata.name",
            json!({"metadata": {"nope": "cool"}}),
            Err("metadata.name: no such field"),
        ),
        (
            "InsufficientContainers",
            "spec.containers[1].name",
            json!({"spec": {"containers": [{"name": "cool"}]}}),
            Err("spec.containers[1]: no such element"),
        ),
        (
            "NotAnArray",
            "metadata[1]",
            json!({"metadata": {"nope": "cool"}}),
            Err("metadata: not an array"),
        ),
        (
            "NotAnObject",
            "spec.containers[nope].name",
            json!({"spec": {"containers": [{"name": "cool"}]}}),
            Err("spec.containers: not an object"),
        ),
        (
            "MalformedPath",
            "spec[]",
            json!({}),
            Err("cannot parse path \"spec[]\": unexpected ']' at position 5"),
        ),
    ];
    let mut failures = Vec::new();
    for (name, path, data, want) in cases {
        let got = get_value(&data, path).map_err(|e| e.to_string());
        let ok = match (&got, &want) {
            (Ok(g), Ok(w)) => g == w && g.is_f64() == w.is_f64(),
            (Err(g), Err(w)) => g == w,
            _ => false,
        };
        if !ok {
            failures.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    // A missing field is the "not found" kind an Optional patch skips; a type mismatch is not.
    assert!(get_value(&json!({}), "a.b").unwrap_err().is_not_found());
    assert!(
        !get_value(&json!({"a": 1}), "a.b")
            .unwrap_err()
            .is_not_found()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn set_value_cases() {
    // (name, data, path, value, want, want error)
    type Case<'a> = (&'a str, Value, &'a str, Value, Value, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "MetadataName",
            json!({"metadata": {"name": "lame"}}),
            "metadata.name",
            json!("cool"),
            json!({"metadata": {"name": "cool"}}),
            None,
        ),
        (
            "NonExistentMetadataName",
            json!({}),
            "metadata.name",
            json!("cool"),
            json!({"metadata": {"name": "cool"}}),
            None,
        ),
        (
            "ContainerName",
            json!({"spec": {"containers": [{"name": "lame"}]}}),
            "spec.containers[0].name",
            json!("cool"),
            json!({"spec": {"containers": [{"name": "cool"}]}}),
            None,
        ),
        (
            "NonExistentContainerName",
            json!({}),
            "spec.containers[0].name",
            json!("cool"),
            json!({"spec": {"containers": [{"name": "cool"}]}}),
            None,
        ),
        (
            "NewContainer",
            json!({"spec": {"containers": [{"name": "cool"}]}}),
            "spec.containers[1].name",
            json!("cooler"),
            json!({"spec": {"containers": [{"name": "cool"}, {"name": "cooler"}]}}),
            None,
        ),
        (
            "NestedArray",
            json!({}),
            "data[0][0]",
            json!("a"),
            json!({"data": [["a"]]}),
            None,
        ),
        (
            "GrowNestedArray",
            json!({"data": [["a"]]}),
            "data[0][1]",
            json!("b"),
            json!({"data": [["a", "b"]]}),
            None,
        ),
        (
            "GrowArrayField",
            json!({"data": ["a"]}),
            "data[2]",
            json!("c"),
            json!({"data": ["a", null, "c"]}),
            None,
        ),
        (
            "RejectsHighIndexes",
            json!({"data": ["a"]}),
            "data[1025]",
            json!("c"),
            json!({"data": ["a"]}),
            Some("index 1025 is greater than max allowed index 1024"),
        ),
        (
            "MapStringString",
            json!({"metadata": {}}),
            "metadata.labels",
            json!({"cool": "very"}),
            json!({"metadata": {"labels": {"cool": "very"}}}),
            None,
        ),
        (
            "OwnerReference",
            json!({"metadata": {}}),
            "metadata.ownerRefs[0]",
            json!({"apiVersion": "v", "kind": "k", "name": "n", "uid": "u"}),
            json!({"metadata": {"ownerRefs": [{"apiVersion": "v", "kind": "k", "name": "n", "uid": "u"}]}}),
            None,
        ),
        (
            "NotAnArray",
            json!({"data": {}}),
            "data[0]",
            Value::Null,
            json!({"data": {}}),
            Some("data is not an array"),
        ),
        (
            "NotAnObject",
            json!({"data": []}),
            "data.name",
            Value::Null,
            json!({"data": []}),
            Some("data is not an object"),
        ),
        (
            "MalformedPath",
            json!({}),
            "spec[]",
            Value::Null,
            json!({}),
            Some("cannot parse path \"spec[]\": unexpected ']' at position 5"),
        ),
        // Not upstream's: a float without a fraction is written as Kubernetes' decoder reads it
        // back, an integer.
        (
            "IntegralFloatBecomesInteger",
            json!({}),
            "a",
            json!(4.0),
            json!({"a": 4}),
            None,
        ),
    ];
    let mut failures = Vec::new();
    for (name, mut data, path, value, want, want_err) in cases {
        let got = set_value(&mut data, path, value).map_err(|e| e.to_string());
        if got.as_ref().err().map(String::as_str) != want_err {
            failures.push(format!("{name}: want error {want_err:?}, got {got:?}"));
        }
        if data != want || (name == "IntegralFloatBecomesInteger" && !data["a"].is_i64()) {
            failures.push(format!("{name}: want {want}, got {data}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn expand_wildcards_cases() {
    let containers = json!({"spec": {"containers": [{"name": "cool", "image": "latest", "args": ["start", "now", "debug"]}]}});
    // (name, path, data, expanded paths or error)
    type Case<'a> = (&'a str, &'a str, Value, Result<Vec<&'a str>, &'a str>);
    let cases: Vec<Case> = vec![
        (
            "NoWildcardExisting",
            "password",
            json!({"password": "top-secret"}),
            Ok(vec!["password"]),
        ),
        (
            "NoWildcardNonExisting",
            "username",
            json!({"password": "top-secret"}),
            Ok(vec![]),
        ),
        (
            "NestedNoWildcardExisting",
            "items[0][1]",
            json!({"items": [["a", "b"]]}),
            Ok(vec!["items[0][1]"]),
        ),
        (
            "NestedNoWildcardNonExisting",
            "items[0][5]",
            json!({"items": [["a", "b"]]}),
            Ok(vec![]),
        ),
        (
            "NestedArray",
            "items[*][*]",
            json!({"items": [["a", "b", "c"], ["d"]]}),
            Ok(vec![
                "items[0][0]",
                "items[0][1]",
                "items[0][2]",
                "items[1][0]",
            ]),
        ),
        (
            "KeysOfMap",
            "items[*]",
            json!({"items": {"key1": "val1", "key2.as.annotation": "val2"}}),
            Ok(vec!["items.key1", "items[key2.as.annotation]"]),
        ),
        (
            "ArrayOfObjects",
            "spec.containers[*][*]",
            json!({"spec": {"containers": [{"name": "cool", "image": "latest", "args": ["start", "now"]}]}}),
            Ok(vec![
                "spec.containers[0].name",
                "spec.containers[0].image",
                "spec.containers[0].args",
            ]),
        ),
        (
            "MultiLayer",
            "spec.containers[*].args[*]",
            containers.clone(),
            Ok(vec![
                "spec.containers[0].args[0]",
                "spec.containers[0].args[1]",
                "spec.containers[0].args[2]",
            ]),
        ),
        (
            "WildcardInTheBeginning",
            "spec.containers[*].args[1]",
            containers.clone(),
            Ok(vec!["spec.containers[0].args[1]"]),
        ),
        (
            "WildcardAtTheEnd",
            "spec.containers[0].args[*]",
            containers,
            Ok(vec![
                "spec.containers[0].args[0]",
                "spec.containers[0].args[1]",
                "spec.containers[0].args[2]",
            ]),
        ),
        ("NoData", "metadata[*]", json!({}), Ok(vec![])),
        (
            "InsufficientContainers",
            "spec.containers[1].args[*]",
            json!({"spec": {"containers": [{"name": "cool"}]}}),
            Ok(vec![]),
        ),
        (
            "UnexpectedWildcard",
            "spec.containers[0].name[*]",
            json!({"spec": {"containers": [{"name": "cool"}]}}),
            Err(
                "cannot expand wildcards for segments: \"spec.containers[0].name[*]\": \"spec.containers[0].name\": unexpected wildcard usage",
            ),
        ),
        (
            "NotAnArray",
            "metadata[1]",
            json!({"metadata": {"nope": "cool"}}),
            Err("cannot expand wildcards for segments: \"metadata[1]\": metadata: not an array"),
        ),
        (
            "NotAnObject",
            "spec.containers[nope].name",
            json!({"spec": {"containers": [{"name": "cool"}]}}),
            Err(
                "cannot expand wildcards for segments: \"spec.containers.nope.name\": spec.containers: not an object",
            ),
        ),
        (
            "MalformedPath",
            "spec[]",
            json!({}),
            Err("cannot parse path \"spec[]\": unexpected ']' at position 5"),
        ),
    ];
    let mut failures = Vec::new();
    for (name, path, data, want) in cases {
        let got = expand_wildcards(&data, path)
            .map_err(|e| e.to_string())
            .map(|mut v| {
                v.sort();
                v
            });
        let want = want.map(|v| {
            let mut v: Vec<String> = v.into_iter().map(str::to_string).collect();
            v.sort();
            v
        });
        if got != want.map_err(str::to_string) {
            failures.push(format!("{name}: got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn merge_value_cases() {
    let (src, src2, dst) = ("e1-from-source", "e1-from-source-2", "e1-from-destination");
    let mo = |keep: Option<bool>, append: Option<bool>| MergeOptions {
        keep_map_values: keep,
        append_slice: append,
    };
    let cases: Vec<(&str, Value, Value, Option<MergeOptions>, Value)> = vec![
        (
            "MergeArrayNoMergeOptions",
            json!({"a": dst}),
            json!([src]),
            None,
            json!({"a": [src]}),
        ),
        (
            "MergeArrayNoAppend",
            json!({"a": [dst]}),
            json!([src]),
            Some(mo(None, Some(false))),
            json!({"a": [src]}),
        ),
        (
            "MergeArrayAppend",
            json!({"a": [dst]}),
            json!([src]),
            Some(mo(None, Some(true))),
            json!({"a": [dst, src]}),
        ),
        (
            "MergeArrayAppendDuplicate",
            json!({"a": [dst, src]}),
            json!([src, src2]),
            Some(mo(None, Some(true))),
            json!({"a": [dst, src, src2]}),
        ),
        (
            "MergeMapNoMergeOptions",
            json!({"a": {"a": dst}}),
            json!({"a": src}),
            None,
            json!({"a": {"a": src}}),
        ),
        (
            "MergeMapNoKeep",
            json!({"a": {"a": dst}}),
            json!({"a": src}),
            Some(mo(Some(false), None)),
            json!({"a": {"a": src}}),
        ),
        (
            "MergeMapKeep",
            json!({"a": {"a": dst}}),
            json!({"a": src}),
            Some(mo(Some(true), None)),
            json!({"a": {"a": dst}}),
        ),
        // Not upstream's: nested maps merge key by key, new keys are added either way.
        (
            "MergeNestedMapKeep",
            json!({"a": {"x": {"keep": 1}, "y": 1}}),
            json!({"x": {"keep": 2, "new": 2}, "z": 2}),
            Some(mo(Some(true), None)),
            json!({"a": {"x": {"keep": 1, "new": 2}, "y": 1, "z": 2}}),
        ),
        (
            "MergeNestedMapOverride",
            json!({"a": {"x": {"keep": 1}, "y": 1}}),
            json!({"x": {"keep": 2, "new": 2}}),
            Some(mo(Some(false), None)),
            json!({"a": {"x": {"keep": 2, "new": 2}, "y": 1}}),
        ),
    ];
    let mut failures = Vec::new();
    for (name, mut object, value, options, want) in cases {
        if let Err(e) = merge_value(&mut object, "a", value, options.as_ref()) {
            failures.push(format!("{name}: {e}"));
        } else if object != want {
            failures.push(format!("{name}: want {want}, got {object}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
