//! `opa validate`, run as a user runs it: exit codes, the four output formats, folders,
//! placeholders, `--strict` and `--allow-unknown-kinds`, and bounded work on hostile YAML.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn opa(args: &[&str], dir: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_opa"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("opa runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const VALID: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
spec:
  type: service
  lifecycle: production
  owner: team-a
";

const INVALID: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web site
  tags: [ok, Bad]
spec:
  type: service
  owner: team-a
";

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn valid_files_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", VALID);
    let run = opa(&["validate", "a.yaml"], dir.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("ok: 1 entity in 1 file valid"),
        "{}",
        run.stdout
    );
}

#[test]
fn text_output_reads_like_a_compiler() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.yaml", INVALID);
    let run = opa(&["validate", "bad.yaml"], dir.path());
    assert_eq!(run.code, 1, "{}", run.stdout);
    let expected_name = "bad.yaml:4:9: error[invalid-name] \"metadata.name\" is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total but found \"web site\".\n 4 |   name: web site\n   |         ^\n";
    assert!(run.stdout.contains(expected_name), "{}", run.stdout);
    assert!(
        run.stdout.contains("bad.yaml:5:14: error[invalid-tag]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "bad.yaml:6:1: error[missing-field] \"spec\" must have required property 'lifecycle'"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("3 problems in 1 entity of 1 entity in 1 file"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_is_one_line_per_document() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "c.yaml",
        &format!("{VALID}---\n{INVALID}---\n---\nkind: [\n---\nmetadata: {{}}\n"),
    );
    let run = opa(&["validate", "--format", "json", "c.yaml"], dir.path());
    assert_eq!(run.code, 1);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert_eq!(lines[0]["ref"], "component:default/web");
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[0]["errors"], serde_json::json!([]));
    assert_eq!(lines[1]["document"], 1);
    assert_eq!(lines[1]["valid"], false);
    let first = &lines[1]["errors"][0];
    assert_eq!(first["code"], "invalid-name");
    assert_eq!(first["path"], "metadata.name");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(13), Some(9))
    );
    // The empty document 2 is skipped but counted; 3 is a syntax error.
    assert_eq!(lines[2]["document"], 3);
    assert_eq!(lines[2]["errors"][0]["code"], "yaml-syntax");
    assert!(lines[2].get("ref").is_none());
    assert_eq!(lines[3]["document"], 4);
    assert!(lines[3].get("ref").is_none(), "no usable name: no ref");
    let keys: Vec<&String> = lines[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["file", "document", "ref", "valid", "errors"]);
}

#[test]
fn sarif_and_github_formats() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.yaml", INVALID);
    let run = opa(&["validate", "--format", "sarif", "bad.yaml"], dir.path());
    assert_eq!(run.code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["ruleId"], "invalid-name");
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(4), Some(9))
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "bad.yaml"
    );
    assert!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len()
            >= 3
    );

    let run = opa(&["validate", "--format", "github", "bad.yaml"], dir.path());
    assert_eq!(run.code, 1);
    let first = run.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=bad.yaml,line=4,col=9,title=invalid-name (component%3Adefault/web site)::\"metadata.name\" is not valid"),
        "{first}"
    );
}

#[test]
fn folders_are_searched_recursively_in_a_stable_order() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "cat/b.yaml", VALID);
    write(dir.path(), "cat/a/x.yml", &VALID.replace("web", "api"));
    write(
        dir.path(),
        "cat/.backstage/catalog-info.yaml",
        &VALID.replace("web", "hidden"),
    );
    write(dir.path(), "cat/readme.md", "not yaml");
    let run = opa(&["validate", "--format", "json", "cat"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stdout);
    let files: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["file"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        files,
        [
            "cat/.backstage/catalog-info.yaml",
            "cat/a/x.yml",
            "cat/b.yaml"
        ]
    );
}

#[test]
fn missing_paths_and_bad_flags_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = opa(&["validate", "nope.yaml"], dir.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nope.yaml"), "{}", run.stderr);
    let run = opa(&["validate", "--format", "xml", "."], dir.path());
    assert_eq!(run.code, 2);
    let run = opa(&["validate"], dir.path());
    assert_eq!(run.code, 2);
}

#[test]
fn unknown_kinds_fail_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "w.yaml",
        &VALID.replace("kind: Component", "kind: Widget"),
    );
    let run = opa(&["validate", "w.yaml"], dir.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("w.yaml:2:7: error[unknown-kind]"),
        "{}",
        run.stdout
    );
    let run = opa(&["validate", "--allow-unknown-kinds", "w.yaml"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn strict_adds_roadies_annotation_rules() {
    let dir = tempfile::tempdir().unwrap();
    let text = VALID.replace(
        "  name: web\n",
        "  name: web\n  annotations:\n    backstage.io/source-location: https://github.com/acme/web/tree/main/\n",
    );
    write(dir.path(), "s.yaml", &text);
    assert_eq!(opa(&["validate", "s.yaml"], dir.path()).code, 0);
    let run = opa(
        &["validate", "--strict", "--format", "json", "s.yaml"],
        dir.path(),
    );
    assert_eq!(run.code, 1);
    let line: serde_json::Value = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(line["errors"][0]["code"], "strict-rule");
    assert_eq!(
        line["errors"][0]["path"],
        "metadata.annotations.backstage.io/source-location"
    );
    assert_eq!(
        (
            line["errors"][0]["line"].as_u64(),
            line["errors"][0]["column"].as_u64()
        ),
        (Some(6), Some(35))
    );
}

const API: &str = "\
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: petstore
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition:
    $text: ./openapi.json
";

#[test]
fn placeholders_resolve_relative_to_the_file_and_stay_in_the_root() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "repo/api/catalog-info.yaml", API);
    // (Not *.yaml: every YAML file in a folder is read as catalog entities.)
    write(
        dir.path(),
        "repo/api/openapi.json",
        "{\"openapi\": \"3.0.0\"}\n",
    );
    assert_eq!(opa(&["validate", "repo"], dir.path()).code, 0);

    // A missing target is reported, naming the path.
    write(dir.path(), "repo/api2/catalog-info.yaml", API);
    let run = opa(&["validate", "--format", "json", "repo/api2"], dir.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("\"code\":\"placeholder\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("could not read location ./openapi.json"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\"path\":\"spec.definition\""),
        "{}",
        run.stdout
    );

    // Leaving the root is refused, even when the file exists.
    write(dir.path(), "secret.yaml", "x: 1\n");
    write(
        dir.path(),
        "repo/api3/catalog-info.yaml",
        &API.replace("./openapi.json", "../../secret.yaml"),
    );
    let run = opa(&["validate", "repo"], dir.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("outside the catalog root"),
        "{}",
        run.stdout
    );

    // URLs are not fetched.
    write(
        dir.path(),
        "repo/api4/catalog-info.yaml",
        &API.replace("./openapi.json", "https://example.com/openapi.yaml"),
    );
    let run = opa(&["validate", "repo/api4"], dir.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("opa does not fetch URLs"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_yaml_bomb_is_a_bounded_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..30 {
        let prev = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let deep = format!("{}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    write(dir.path(), "bomb.yaml", &bomb);
    write(dir.path(), "deep.yaml", &deep);
    let started = Instant::now();
    let run = opa(
        &["validate", "--format", "json", "bomb.yaml", "deep.yaml"],
        dir.path(),
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("\"code\":\"limit-exceeded\""),
        "{}",
        run.stdout
    );
    // Nesting past the parser's own bound is a syntax problem of that document.
    let deep_line = run
        .stdout
        .lines()
        .find(|l| l.contains("deep.yaml"))
        .unwrap();
    assert!(
        deep_line.contains("limit-exceeded") || deep_line.contains("yaml-syntax"),
        "{deep_line}"
    );
}
