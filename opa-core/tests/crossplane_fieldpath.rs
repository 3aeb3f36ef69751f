//! Field paths: the cases of crossplane-runtime's `fieldpath_test.go` (TestSegments,
//! TestFieldOrIndex, TestParse), named as upstream names them.

use opa_core::crossplane::fieldpath::{Segment, Segments, parse};

fn field(s: &str) -> Segment {
    Segment::field(s)
}

fn foi(s: &str) -> Segment {
    Segment::field_or_index(s)
}

#[test]
fn segments_string() {
    let cases: Vec<(&str, Vec<Segment>, &str)> = vec![
        ("SingleField", vec![field("spec")], "spec"),
        ("SingleIndex", vec![foi("0")], "[0]"),
        (
            "FieldsAndIndex",
            vec![field("spec"), field("containers"), foi("0"), field("name")],
            "spec.containers[0].name",
        ),
        (
            "PeriodsInField",
            vec![field("data"), field(".config.yml")],
            "data[.config.yml]",
        ),
        (
            "Wildcard",
            vec![field("spec"), field("containers"), foi("*"), field("name")],
            "spec.containers[*].name",
        ),
    ];
    let mut failures = Vec::new();
    for (name, segments, want) in cases {
        let got = Segments(segments).to_string();
        if got != want {
            failures.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn field_or_index() {
    let overflow = (u64::from(u32::MAX) + 1).to_string();
    let cases: Vec<(&str, &str, Segment)> = vec![
        ("Field", "coolField", Segment::Field("coolField".into())),
        (
            "QuotedField",
            "'coolField'",
            Segment::Field("coolField".into()),
        ),
        (
            "QuotedFieldWithPeriods",
            "'cool.Field'",
            Segment::Field("cool.Field".into()),
        ),
        ("Index", "3", Segment::Index(3)),
        ("Negative", "-3", Segment::Field("-3".into())),
        ("Float", "3.0", Segment::Field("3.0".into())),
        ("Overflow", &overflow, Segment::Field(overflow.clone())),
    ];
    let mut failures = Vec::new();
    for (name, s, want) in cases {
        let got = foi(s);
        if got != want {
            failures.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn parse_paths() {
    let ok: Vec<(&str, &str, Vec<Segment>)> = vec![
        ("SingleField", "spec", vec![field("spec")]),
        ("SingleIndex", "[0]", vec![foi("0")]),
        (
            "TwoFields",
            "metadata.name",
            vec![field("metadata"), field("name")],
        ),
        (
            "APIConventionsExample",
            "fields[1].state.current",
            vec![field("fields"), foi("1"), field("state"), field("current")],
        ),
        ("SimpleIndex", "items[0]", vec![field("items"), foi("0")]),
        (
            "FieldsAndIndex",
            "spec.containers[0].name",
            vec![field("spec"), field("containers"), foi("0"), field("name")],
        ),
        (
            "NestedArray",
            "nested[0][1].name",
            vec![field("nested"), foi("0"), foi("1"), field("name")],
        ),
        (
            "BracketStyleField",
            "spec[containers][0].name",
            vec![field("spec"), field("containers"), foi("0"), field("name")],
        ),
        (
            "BracketFieldWithPeriod",
            "data[.config.yml]",
            vec![field("data"), foi(".config.yml")],
        ),
        (
            "QuotedFieldWithPeriodInBracket",
            "metadata.labels['app.hash']",
            vec![field("metadata"), field("labels"), foi("app.hash")],
        ),
    ];
    let errors: Vec<(&str, &str, &str)> = vec![
        (
            "LeadingPeriod",
            ".metadata.name",
            "unexpected '.' at position 0",
        ),
        (
            "TrailingPeriod",
            "metadata.name.",
            "unexpected '.' at position 13",
        ),
        (
            "BracketsFollowingPeriod",
            "spec.containers.[0].name",
            "unexpected '[' at position 16",
        ),
        (
            "DoublePeriod",
            "metadata..name",
            "unexpected '.' at position 9",
        ),
        (
            "DanglingRightBracket",
            "metadata.]name",
            "unexpected ']' at position 9",
        ),
        (
            "DoubleOpenBracket",
            "spec[bracketed[name]]",
            "unexpected '[' at position 14",
        ),
        (
            "DanglingLeftBracket",
            "spec[name",
            "unterminated '[' at position 4",
        ),
        ("EmptyBracket", "spec[]", "unexpected ']' at position 5"),
    ];
    let mut failures = Vec::new();
    for (name, path, want) in ok {
        match parse(path) {
            Ok(got) if got.0 == want => {}
            other => failures.push(format!("{name}: want {want:?}, got {other:?}")),
        }
    }
    for (name, path, want) in errors {
        match parse(path) {
            Err(e) if e.message() == want => {}
            other => failures.push(format!("{name}: want error {want:?}, got {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
