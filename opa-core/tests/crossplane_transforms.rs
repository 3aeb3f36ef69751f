//! Transforms: the cases of Crossplane's `composition_transforms_test.go` (TestMapResolve,
//! TestMatchResolve, TestMathResolve, TestStringResolve, TestConvertResolve,
//! TestConvertTransformGetConversionFunc), named as upstream names them.
//!
//! Upstream feeds Go values; here every input is a decoded JSON value, so a Go `int` input is an
//! `int64` (the type a Kubernetes object's integer has) and messages that print the type say
//! `int64` where upstream's say `int`.

use opa_core::crossplane::transform::{
    ConvertTransform, MapTransform, MatchPattern, MatchTransform, MathTransform, StringJoin,
    StringRegexp, StringTransform, resolve_convert, resolve_map, resolve_match, resolve_math,
    resolve_string, supported_conversion,
};
use serde_json::{Value, json};

type Outcome = Result<Value, String>;

fn check(
    failures: &mut Vec<String>,
    name: &str,
    got: Result<Value, opa_core::crossplane::PatchError>,
    want: Outcome,
) {
    let got = got.map_err(|e| e.to_string());
    if got != want {
        failures.push(format!("{name}: want {want:?}, got {got:?}"));
    }
}

fn map(pairs: Value) -> MapTransform {
    MapTransform {
        pairs: pairs.as_object().cloned().unwrap_or_default(),
    }
}

#[test]
fn map_resolve() {
    let cases: Vec<(&str, MapTransform, Value, Outcome)> = vec![
        (
            "NonStringInput",
            map(json!({})),
            json!(5),
            Err("type int64 is not supported for map transform".into()),
        ),
        (
            "KeyNotFound",
            map(json!({})),
            json!("ola"),
            Err("key ola is not found in map".into()),
        ),
        (
            "SuccessString",
            map(json!({"ola": "voila"})),
            json!("ola"),
            Ok(json!("voila")),
        ),
        (
            "SuccessNumber",
            map(json!({"ola": 1.0})),
            json!("ola"),
            Ok(json!(1.0)),
        ),
        (
            "SuccessBoolean",
            map(json!({"ola": true})),
            json!("ola"),
            Ok(json!(true)),
        ),
        (
            "SuccessObject",
            map(json!({"ola": {"foo": "bar"}})),
            json!("ola"),
            Ok(json!({"foo": "bar"})),
        ),
        (
            "SuccessSlice",
            map(json!({"ola": ["foo", "bar"]})),
            json!("ola"),
            Ok(json!(["foo", "bar"])),
        ),
    ];
    let mut failures = Vec::new();
    for (name, t, input, want) in cases {
        check(&mut failures, name, resolve_map(&t, input), want);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

fn literal(l: &str, result: Option<Value>) -> MatchPattern {
    MatchPattern {
        kind: Some("literal".into()),
        literal: Some(l.into()),
        regexp: None,
        result,
    }
}

#[test]
fn match_resolve() {
    let m = |patterns: Vec<MatchPattern>,
             fallback_value: Option<Value>,
             fallback_to: Option<&str>| MatchTransform {
        patterns,
        fallback_value,
        fallback_to: fallback_to.map(str::to_string),
    };
    let regexp = |r: Option<&str>, result: Option<Value>| MatchPattern {
        kind: Some("regexp".into()),
        literal: None,
        regexp: r.map(str::to_string),
        result,
    };
    let cases: Vec<(&str, MatchTransform, Value, Outcome)> = vec![
        (
            "ErrNonStringInput",
            m(vec![literal("5", None)], None, None),
            json!(5),
            Err("cannot match pattern at index 0: unsupported input type 'int64'".into()),
        ),
        (
            "ErrFallbackValueAndToInput",
            m(vec![], Some(json!("foo")), Some("Input")),
            json!("foo"),
            Err("cannot set both a fallback value and the fallback to input flag".into()),
        ),
        (
            "NoPatternsFallback",
            m(vec![], Some(json!("bar")), None),
            json!("foo"),
            Ok(json!("bar")),
        ),
        (
            "NoPatternsFallbackToValueExplicit",
            m(vec![], Some(json!("bar")), Some("Value")),
            json!("foo"),
            Ok(json!("bar")),
        ),
        (
            "NoPatternsFallbackNil",
            m(vec![], Some(Value::Null), None),
            json!("foo"),
            Ok(Value::Null),
        ),
        (
            "NoPatternsFallbackToInput",
            m(vec![], None, Some("Input")),
            json!("foo"),
            Ok(json!("foo")),
        ),
        (
            "NoPatternsFallbackNilToInput",
            m(vec![], Some(Value::Null), Some("Input")),
            json!("foo"),
            Ok(json!("foo")),
        ),
        (
            "MatchLiteral",
            m(vec![literal("foo", Some(json!("bar")))], None, None),
            json!("foo"),
            Ok(json!("bar")),
        ),
        (
            "MatchLiteralFirst",
            m(
                vec![
                    literal("foo", Some(json!("bar"))),
                    literal("foo", Some(json!("not this"))),
                ],
                None,
                None,
            ),
            json!("foo"),
            Ok(json!("bar")),
        ),
        (
            "MatchLiteralWithResultStruct",
            m(
                vec![literal("foo", Some(json!({"Hello": "World"})))],
                None,
                None,
            ),
            json!("foo"),
            Ok(json!({"Hello": "World"})),
        ),
        (
            "MatchLiteralWithResultSlice",
            m(
                vec![literal("foo", Some(json!(["Hello", "World"])))],
                None,
                None,
            ),
            json!("foo"),
            Ok(json!(["Hello", "World"])),
        ),
        (
            "MatchLiteralWithResultNumber",
            m(vec![literal("foo", Some(json!(5)))], None, None),
            json!("foo"),
            Ok(json!(5)),
        ),
        (
            "MatchLiteralWithResultBool",
            m(vec![literal("foo", Some(json!(true)))], None, None),
            json!("foo"),
            Ok(json!(true)),
        ),
        (
            "MatchLiteralWithResultNil",
            m(vec![literal("foo", Some(Value::Null))], None, None),
            json!("foo"),
            Ok(Value::Null),
        ),
        (
            "MatchRegexp",
            m(
                vec![regexp(Some("^foo.*$"), Some(json!("Hello World")))],
                None,
                None,
            ),
            json!("foobar"),
            Ok(json!("Hello World")),
        ),
        (
            "ErrMissingRegexp",
            m(vec![regexp(None, None)], None, None),
            Value::Null,
            Err("cannot match pattern at index 0: regexp is required by type regexp".into()),
        ),
        (
            "ErrMissingLiteral",
            m(
                vec![MatchPattern {
                    kind: Some("literal".into()),
                    ..Default::default()
                }],
                None,
                None,
            ),
            Value::Null,
            Err("cannot match pattern at index 0: literal is required by type literal".into()),
        ),
    ];
    let mut failures = Vec::new();
    for (name, t, input, want) in cases {
        check(&mut failures, name, resolve_match(&t, input), want);
    }
    // Go's and Rust's regexp parsers word their errors differently; the wrapping is Crossplane's.
    let invalid = m(vec![regexp(Some("?="), None)], None, None);
    match resolve_match(&invalid, Value::Null) {
        Err(e)
            if e.message().starts_with(
                "cannot match pattern at index 0: cannot compile regexp: error parsing regexp: ",
            ) => {}
        other => failures.push(format!("ErrInvalidRegexp: got {other:?}")),
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn math_resolve() {
    let t = |kind: &str, multiply: Option<i64>, clamp_min: Option<i64>, clamp_max: Option<i64>| {
        MathTransform {
            kind: Some(kind.into()),
            multiply,
            clamp_min,
            clamp_max,
        }
    };
    let cases: Vec<(&str, MathTransform, Value, Outcome)> = vec![
        (
            "InvalidType",
            t("bad", None, None, None),
            json!(25),
            Err("type: Invalid value: \"bad\": unknown math transform type".into()),
        ),
        (
            "NonNumberInput",
            t("Multiply", Some(2), None, None),
            json!("ola"),
            Err("input is required to be a number for math transformer, got string".into()),
        ),
        (
            "MultiplyNoConfig",
            t("Multiply", None, None, None),
            json!(25),
            Err("multiply: Required value: must specify a value if a multiply math transform is specified".into()),
        ),
        ("MultiplySuccess", t("Multiply", Some(2), None, None), json!(3), Ok(json!(6))),
        ("MultiplySuccessInt64", t("Multiply", Some(2), None, None), json!(3), Ok(json!(6))),
        ("ClampMinSuccess", t("ClampMin", None, Some(2), None), json!(1), Ok(json!(2))),
        ("ClampMinSuccessNoChangeInt", t("ClampMin", None, Some(2), None), json!(3), Ok(json!(3))),
        ("ClampMinSuccessNoChangeInt64", t("ClampMin", None, Some(2), None), json!(3), Ok(json!(3))),
        ("ClampMinSuccessInt64", t("ClampMin", None, Some(2), None), json!(1), Ok(json!(2))),
        (
            "ClampMinNoConfig",
            t("ClampMin", None, None, None),
            json!(25),
            Err("clampMin: Required value: must specify a value if a clamp min math transform is specified".into()),
        ),
        ("ClampMaxSuccess", t("ClampMax", None, None, Some(2)), json!(3), Ok(json!(2))),
        ("ClampMaxSuccessNoChange", t("ClampMax", None, None, Some(2)), json!(1), Ok(json!(1))),
        ("ClampMaxSuccessInt64", t("ClampMax", None, None, Some(2)), json!(3), Ok(json!(2))),
        (
            "ClampMaxNoConfig",
            t("ClampMax", None, None, None),
            json!(25),
            Err("clampMax: Required value: must specify a value if a clamp max math transform is specified".into()),
        ),
        // Not upstream's: a float input keeps its type through Multiply, and a missing type is
        // Multiply.
        ("MultiplyFloat", t("Multiply", Some(2), None, None), json!(1.5), Ok(json!(3.0))),
        (
            "DefaultTypeIsMultiply",
            MathTransform { multiply: Some(3), ..Default::default() },
            json!(2),
            Ok(json!(6)),
        ),
    ];
    let mut failures = Vec::new();
    for (name, t, input, want) in cases {
        check(&mut failures, name, resolve_math(&t, input), want);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn string_resolve() {
    let t = |kind: &str| StringTransform {
        kind: Some(kind.into()),
        ..Default::default()
    };
    let fmt = |f: &str| StringTransform {
        fmt: Some(f.into()),
        ..t("Format")
    };
    let convert = |c: &str| StringTransform {
        convert: Some(c.into()),
        ..t("Convert")
    };
    let trim = |kind: &str, s: &str| StringTransform {
        trim: Some(s.into()),
        ..t(kind)
    };
    let regexp = |m: &str, group: Option<i64>| StringTransform {
        regexp: Some(StringRegexp {
            match_: m.into(),
            group,
        }),
        ..t("Regexp")
    };
    let join = |sep: &str| StringTransform {
        join: Some(StringJoin {
            separator: sep.into(),
        }),
        ..t("Join")
    };
    let s = |v: &str| -> Outcome { Ok(json!(v)) };
    let cases: Vec<(&str, StringTransform, Value, Outcome)> = vec![
        (
            "NotSupportedType",
            t("Something"),
            json!("value"),
            Err("type Something is not supported for string transform type".into()),
        ),
        (
            "FmtFailed",
            t("Format"),
            json!("value"),
            Err("string transform of type Format fmt is not set".into()),
        ),
        (
            "FmtString",
            fmt("verycool%s"),
            json!("thing"),
            s("verycoolthing"),
        ),
        (
            "FmtInteger",
            fmt("the largest %d"),
            json!(8),
            s("the largest 8"),
        ),
        (
            "ConvertNotSet",
            t("Convert"),
            json!("crossplane"),
            Err("string transform of type Convert convert is not set".into()),
        ),
        (
            "ConvertTypFailed",
            convert("Something"),
            json!("crossplane"),
            Err("type Something is not supported for string convert".into()),
        ),
        (
            "ConvertToUpper",
            convert("ToUpper"),
            json!("crossplane"),
            s("CROSSPLANE"),
        ),
        (
            "ConvertToLower",
            convert("ToLower"),
            json!("CrossPlane"),
            s("crossplane"),
        ),
        (
            "ConvertToBase64",
            convert("ToBase64"),
            json!("CrossPlane"),
            s("Q3Jvc3NQbGFuZQ=="),
        ),
        (
            "ConvertFromBase64",
            convert("FromBase64"),
            json!("Q3Jvc3NQbGFuZQ=="),
            s("CrossPlane"),
        ),
        (
            "ConvertFromBase64Error",
            convert("FromBase64"),
            json!("ThisStringIsNotBase64"),
            Err("string is not valid base64: illegal base64 data at input byte 20".into()),
        ),
        (
            "ConvertToSha1",
            convert("ToSha1"),
            json!("Crossplane"),
            s("3b683dc8ff44122b331a5e4f253dd69d90726d75"),
        ),
        (
            "ConvertToSha256",
            convert("ToSha256"),
            json!("Crossplane"),
            s("19c8a7c24ed0067f606815b59e5b82d92935ff69deed04171457a55018e31224"),
        ),
        (
            "ConvertToSha512",
            convert("ToSha512"),
            json!("Crossplane"),
            s(
                "0016037c62c92b5cc4a282fbe30cdd228fa001624b26fd31baa9fcb76a9c60d48e2e7a16cf8729a2d9cba3d23e1d846e7721a5381b9a92dd813178e9a6686205",
            ),
        ),
        (
            "ConvertToSha512Int",
            convert("ToSha512"),
            json!(1234),
            s(
                "d404559f602eab6fd602ac7680dacbfaadd13630335e951f097af3900e9de176b6db28512f2e000b9d04fba5133e8b1c6e8df59db3a8ab9d60be4b97cc9e81db",
            ),
        ),
        (
            "ConvertToSha512IntStr",
            convert("ToSha512"),
            json!("1234"),
            s(
                "d404559f602eab6fd602ac7680dacbfaadd13630335e951f097af3900e9de176b6db28512f2e000b9d04fba5133e8b1c6e8df59db3a8ab9d60be4b97cc9e81db",
            ),
        ),
        (
            "ConvertToAdler32",
            convert("ToAdler32"),
            json!("Crossplane"),
            s("373097499"),
        ),
        (
            "ConvertToAdler32Unicode",
            convert("ToAdler32"),
            json!("⡌⠁⠧⠑ ⠼⠁⠒  ⡍⠜⠇⠑⠹⠰⠎ ⡣⠕⠌"),
            s("4110427190"),
        ),
        (
            "TrimPrefix",
            trim("TrimPrefix", "https://"),
            json!("https://crossplane.io"),
            s("crossplane.io"),
        ),
        (
            "TrimSuffix",
            trim("TrimSuffix", "-test"),
            json!("my-string-test"),
            s("my-string"),
        ),
        (
            "TrimPrefixWithoutMatch",
            trim("TrimPrefix", "https://"),
            json!("crossplane.io"),
            s("crossplane.io"),
        ),
        (
            "TrimSuffixWithoutMatch",
            trim("TrimSuffix", "-test"),
            json!("my-string"),
            s("my-string"),
        ),
        (
            "RegexpSimpleMatch",
            regexp("[0-9]", None),
            json!("my-1-string"),
            s("1"),
        ),
        (
            "RegexpCaptureGroup",
            regexp("my-([0-9]+)-string", Some(1)),
            json!("my-1-string"),
            s("1"),
        ),
        (
            "RegexpNoSuchCaptureGroup",
            regexp("my-([0-9]+)-string", Some(2)),
            json!("my-1-string"),
            Err("regexp \"my-([0-9]+)-string\" had no matches for group 2".into()),
        ),
        ("JoinStrings", join(","), json!(["a", "b", "c"]), s("a,b,c")),
        (
            "JoinNumbers",
            join(","),
            json!([0.0, 1.0, 1.5]),
            s("0,1,1.5"),
        ),
        (
            "JoinFailedOnNonArray",
            join(","),
            json!("wrong-type"),
            Err("cannot join non-array values".into()),
        ),
        (
            "ConvertToJSONSuccess",
            convert("ToJson"),
            json!({"foo": "bar"}),
            s("{\"foo\":\"bar\"}"),
        ),
    ];
    let mut failures = Vec::new();
    for (name, t, input, want) in cases {
        check(
            &mut failures,
            name,
            resolve_string(&t, input).map(Value::String),
            want,
        );
    }
    match resolve_string(&regexp("[a-z", None), json!("my-string")) {
        Err(e)
            if e.message()
                .starts_with("could not compile regexp: error parsing regexp: ") => {}
        other => failures.push(format!("RegexpNotCompiling: got {other:?}")),
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn convert_resolve() {
    let t = |to: &str, format: Option<&str>| ConvertTransform {
        to_type: to.into(),
        format: format.map(str::to_string),
    };
    let cases: Vec<(&str, ConvertTransform, Value, Outcome)> = vec![
        ("StringToBool", t("bool", None), json!("true"), Ok(json!(true))),
        ("StringToFloat64", t("float64", None), json!("1000"), Ok(json!(1000.0))),
        ("StringToQuantityFloat64", t("float64", Some("quantity")), json!("1000m"), Ok(json!(1.0))),
        (
            "StringToQuantityFloat64InvalidFormat",
            t("float64", Some("quantity")),
            json!("1000 blabla"),
            Err("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".into()),
        ),
        ("SameTypeNoOp", t("bool", None), json!(true), Ok(json!(true))),
        ("IntAliasToInt64", t("int", None), json!(1), Ok(json!(1))),
        ("StringToObject", t("object", Some("json")), json!("{\"foo\":\"bar\"}"), Ok(json!({"foo": "bar"}))),
        (
            "StringToList",
            t("array", Some("json")),
            json!("[\"foo\", \"bar\", \"baz\"]"),
            Ok(json!(["foo", "bar", "baz"])),
        ),
        (
            "InputTypeNotSupported",
            t("string", None),
            json!([64]),
            Err("invalid input type []interface {}".into()),
        ),
        (
            "ConversionPairFormatNotSupported",
            t("string", Some("quantity")),
            json!(100),
            Err("conversion from int64 to string is not supported with format quantity".into()),
        ),
        (
            "ConversionPairNotSupported",
            t("[]int", None),
            json!("[64]"),
            Err("toType: Invalid value: \"[]int\": invalid type".into()),
        ),
        ("ConversionPairSupportedFloat64Int64", t("int64", None), json!(1.1), Ok(json!(1))),
        // Not upstream's: the rest of the conversion table.
        ("StringToInt64", t("int64", None), json!("-42"), Ok(json!(-42))),
        (
            "StringToInt64Invalid",
            t("int64", None),
            json!("4x"),
            Err("strconv.ParseInt: parsing \"4x\": invalid syntax".into()),
        ),
        ("Int64ToString", t("string", None), json!(42), Ok(json!("42"))),
        ("Int64ToBool", t("bool", None), json!(1), Ok(json!(true))),
        ("BoolToInt64", t("int64", None), json!(true), Ok(json!(1))),
        ("BoolToString", t("string", None), json!(false), Ok(json!("false"))),
        ("Float64ToString", t("string", None), json!(1.5), Ok(json!("1.5"))),
        ("StringToQuantityBinary", t("float64", Some("quantity")), json!("1Ki"), Ok(json!(1024.0))),
        ("StringToQuantityExponent", t("float64", Some("quantity")), json!("2e3"), Ok(json!(2000.0))),
        ("InvalidFormat", t("int64", Some("wrong")), json!("1"), Err("format: Invalid value: \"wrong\": invalid format".into())),
    ];
    let mut failures = Vec::new();
    for (name, t, input, want) in cases {
        check(&mut failures, name, resolve_convert(&t, input), want);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn convert_transform_get_conversion_func() {
    // (name, from, to, format, error)
    type Case<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);
    let cases: Vec<Case> = vec![
        ("IntToString", "int", "string", None, None),
        ("IntToInt", "int", "int", None, None),
        ("IntToInt64", "int64", "int", None, None),
        ("Int64ToInt", "int", "int64", None, None),
        ("IntToFloat", "float64", "int", None, None),
        ("IntToBool", "bool", "int", None, None),
        ("JSONStringToObject", "string", "object", Some("json"), None),
        ("JSONStringToArray", "string", "array", Some("json"), None),
        (
            "StringToObjectMissingFormat",
            "string",
            "object",
            None,
            Some("conversion from string to object is not supported with format none"),
        ),
        (
            "StringToIntInvalidFormat",
            "string",
            "int",
            Some("wrong"),
            Some("conversion from string to int64 is not supported with format wrong"),
        ),
        ("IntToIntInvalidFormat", "int", "int", Some("wrong"), None),
    ];
    let mut failures = Vec::new();
    for (name, from, to, format, want) in cases {
        let got = supported_conversion(from, to, format.unwrap_or("none"))
            .err()
            .map(|e| e.to_string());
        if got.as_deref() != want {
            failures.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
