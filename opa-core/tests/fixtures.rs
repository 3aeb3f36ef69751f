//! Fixture-driven validation tests: `tests/fixtures/valid/*.yaml` must be valid;
//! `tests/fixtures/invalid/*.yaml` list the exact problems they cause in `# expect:` lines.

use std::path::{Path, PathBuf};

use opa_core::entity::{LoadOptions, read_file};

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

#[test]
fn valid_fixtures_have_no_problems() {
    for file in fixtures("valid") {
        let reports = read_file(&file, None, &LoadOptions::default()).unwrap();
        assert!(!reports.is_empty(), "{}", file.display());
        for r in reports {
            assert!(
                r.is_valid(),
                "{} document {}: {:#?}",
                file.display(),
                r.index,
                r.diagnostics
            );
            assert!(r.entity_ref.is_some());
        }
    }
}

#[test]
fn invalid_fixtures_report_exactly_what_they_expect() {
    for file in fixtures("invalid") {
        let text = std::fs::read_to_string(&file).unwrap();
        let expected: Vec<String> = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .filter_map(|l| l.strip_prefix("# expect: "))
            .map(str::to_string)
            .collect();
        assert!(!expected.is_empty(), "{} expects nothing", file.display());
        let actual: Vec<String> = read_file(&file, None, &LoadOptions::default())
            .unwrap()
            .into_iter()
            .flat_map(|r| r.diagnostics)
            .map(|d| format!("{} {} {}:{}", d.code, d.path, d.line, d.column))
            .collect();
        assert_eq!(actual, expected, "{}", file.display());
    }
}
