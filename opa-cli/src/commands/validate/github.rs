//! GitHub Actions workflow annotations: `::error file=…,line=…,col=…,title=…::message`.

use std::io::{self, Write};

use super::FileResult;

pub(crate) fn write(out: &mut impl Write, results: &[FileResult]) -> io::Result<()> {
    for result in results {
        let Ok(reports) = &result.reports else {
            continue;
        };
        let file = escape_property(&result.path.display().to_string());
        for report in reports {
            for d in &report.diagnostics {
                let title = match &report.entity_ref {
                    Some(r) => format!("{} ({r})", d.code),
                    None => d.code.to_string(),
                };
                writeln!(
                    out,
                    "::error file={file},line={},col={},title={}::{}",
                    d.line,
                    d.column,
                    escape_property(&title),
                    escape_data(&d.message)
                )?;
            }
        }
    }
    Ok(())
}

/// Escapes a message as the workflow-command format requires.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
