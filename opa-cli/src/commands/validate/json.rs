//! JSON Lines output: one object per document,
//! `{file, document, ref, valid, errors: [{code, path, message, line, column}]}`; `ref` is left
//! out when the document has no usable kind and name.

use std::io::{self, Write};

use serde_json::json;

use super::FileResult;

pub(crate) fn write(out: &mut impl Write, results: &[FileResult]) -> io::Result<()> {
    for result in results {
        let Ok(reports) = &result.reports else {
            continue;
        };
        let file = result.path.display().to_string();
        for report in reports {
            let mut line = serde_json::Map::new();
            line.insert("file".into(), json!(file));
            line.insert("document".into(), json!(report.index));
            if let Some(r) = &report.entity_ref {
                line.insert("ref".into(), json!(r.to_string()));
            }
            line.insert("valid".into(), json!(report.is_valid()));
            line.insert("errors".into(), json!(report.diagnostics));
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}
