//! SARIF 2.1.0 output, for code-scanning upload (one run, one result per problem).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;

use super::FileResult;

pub(crate) fn write(out: &mut impl Write, results: &[FileResult]) -> io::Result<()> {
    let mut rules = BTreeMap::new();
    let mut sarif_results = Vec::new();
    for result in results {
        let Ok(reports) = &result.reports else {
            continue;
        };
        let uri = uri_of(&result.path);
        for report in reports {
            for d in &report.diagnostics {
                rules.entry(d.code).or_insert_with(|| {
                    json!({
                        "id": d.code,
                        "name": d.code,
                        "shortDescription": { "text": format!("catalog entity problem: {}", d.code) },
                        "defaultConfiguration": { "level": "error" },
                    })
                });
                let mut message = d.message.clone();
                if let Some(r) = &report.entity_ref {
                    message = format!("{r}: {message}");
                }
                sarif_results.push(json!({
                    "ruleId": d.code,
                    "level": "error",
                    "message": { "text": message },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri },
                            "region": { "startLine": d.line, "startColumn": d.column },
                        },
                        "logicalLocations": [{ "fullyQualifiedName": d.path }],
                    }],
                }));
            }
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "opa",
                "fullName": "OPA-rs opa validate",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/opa-rs/opa-rs",
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

/// A relative path with `/` separators, as code scanning expects.
fn uri_of(path: &std::path::Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}
