//! The spanned YAML reader: positions, document numbering, limits.

use opa_core::yaml::{Limits, Value, parse_documents, parse_single};

#[test]
fn positions_are_one_based_and_count_characters() {
    let text = "a: 1\nb:\n  - x\n  - \"é€\": y\n";
    let root = parse_single(text, &Limits::default()).unwrap().unwrap();
    let b = root.get("b").unwrap();
    let items = b.as_seq().unwrap();
    assert_eq!((items[0].pos.line, items[0].pos.column), (3, 5));
    let (k, v) = &items[1].as_map().unwrap().entries[0];
    assert_eq!((k.pos.line, k.pos.column), (4, 5));
    // "é€": is 5 characters then a space: y starts at column 11
    assert_eq!((v.pos.line, v.pos.column), (4, 11));
}

#[test]
fn documents_are_numbered_counting_empty_ones() {
    let text = "# c\n---\na: 1\n---\n---\nb: 2\n";
    let docs = parse_documents(text, &Limits::default());
    assert_eq!(docs.len(), 3);
    assert_eq!(docs.iter().map(|d| d.index).collect::<Vec<_>>(), [0, 1, 2]);
    assert!(docs[1].root.as_ref().is_none_or(|r| r.is_null()));
    let b = docs[2].root.as_ref().unwrap().get("b").unwrap();
    assert_eq!((b.pos.line, b.pos.column), (6, 4));
}

#[test]
fn a_syntax_error_spoils_only_its_document() {
    let text = "a: 1\n---\nb: [1, 2\n---\nc: 3\n";
    let docs = parse_documents(text, &Limits::default());
    assert_eq!(docs.len(), 3);
    assert!(docs[0].error.is_none());
    let e = docs[1].error.as_ref().unwrap();
    assert_eq!(e.code, "yaml-syntax");
    assert!(e.line >= 3, "{e:?}");
    assert!(docs[2].error.is_none());
}

#[test]
fn duplicate_keys_are_rejected() {
    let e = parse_single("a: 1\nb: 2\na: 3\n", &Limits::default()).unwrap_err();
    assert_eq!(e.code, "duplicate-key");
    assert_eq!((e.line, e.column), (3, 1));
}

#[test]
fn alias_bomb_is_bounded() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..30 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let docs = parse_documents(&text, &Limits::default());
    let e = docs[0].error.as_ref().expect("bomb must be refused");
    assert_eq!(e.code, "limit-exceeded");
}

#[test]
fn deep_nesting_is_bounded() {
    let text = "[".repeat(100_000);
    let docs = parse_documents(&text, &Limits::default());
    let e = docs[0].error.as_ref().unwrap();
    assert!(matches!(e.code, "limit-exceeded" | "yaml-syntax"), "{e:?}");
    let block: String = (0..500).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    let docs = parse_documents(&block, &Limits::default());
    assert_eq!(docs[0].error.as_ref().unwrap().code, "limit-exceeded");
}

#[test]
fn oversized_documents_are_refused_and_limits_are_configurable() {
    let limits = Limits {
        max_document_bytes: 10,
        ..Limits::default()
    };
    let docs = parse_documents("a: 1\n---\nb: 0123456789\n", &limits);
    assert!(docs[0].error.is_none());
    assert_eq!(docs[1].error.as_ref().unwrap().code, "limit-exceeded");
}

#[test]
fn complex_keys_are_read() {
    let root = parse_single(
        "allowedHosts:\n  - {{ gitlab_hostname }}\n",
        &Limits::default(),
    )
    .unwrap()
    .unwrap();
    let hosts = root.get("allowedHosts").unwrap().as_seq().unwrap();
    assert!(matches!(hosts[0].value, Value::Map(_)));
    assert_eq!(hosts[0].to_json().as_object().unwrap().len(), 1);
}

#[test]
fn large_streams_parse_in_parallel_in_order() {
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!("---\nmetadata:\n  name: e{i}\n  tags: [a, b]\n"));
    }
    let docs = parse_documents(&text, &Limits::default());
    assert_eq!(docs.len(), 5000);
    for (i, d) in docs.iter().enumerate() {
        let name = d
            .root
            .as_ref()
            .unwrap()
            .get("metadata")
            .unwrap()
            .get("name")
            .unwrap();
        assert_eq!(name.as_str(), Some(format!("e{i}").as_str()));
        assert_eq!(name.pos.line as usize, i * 4 + 3);
    }
}
