//! Text output: compiler-style diagnostics with the source line and a caret.

use std::io::{self, Write};

use super::FileResult;

pub(crate) fn write(out: &mut impl Write, results: &[FileResult]) -> io::Result<()> {
    let (mut documents, mut invalid, mut problems) = (0usize, 0usize, 0usize);
    for result in results {
        let Ok(reports) = &result.reports else {
            continue;
        };
        let source = if reports.iter().any(|r| !r.is_valid()) {
            std::fs::read_to_string(&result.path).unwrap_or_default()
        } else {
            String::new()
        };
        let lines: Vec<&str> = source.lines().collect();
        for report in reports {
            documents += 1;
            if report.is_valid() {
                continue;
            }
            invalid += 1;
            for d in &report.diagnostics {
                problems += 1;
                let what = if d.path.is_empty() || d.message.contains(d.path.as_str()) {
                    String::new()
                } else {
                    format!(" {}:", d.path)
                };
                writeln!(
                    out,
                    "{}:{}:{}: error[{}]{what} {}",
                    result.path.display(),
                    d.line,
                    d.column,
                    d.code,
                    d.message
                )?;
                if let Some(line) = lines.get((d.line as usize).wrapping_sub(1)) {
                    let gutter = d.line.to_string();
                    let pad = " ".repeat(gutter.len());
                    // Keep tabs so the caret lines up under the column (counted in characters).
                    let lead: String = line
                        .chars()
                        .take((d.column as usize).saturating_sub(1))
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    writeln!(out, " {gutter} | {line}")?;
                    writeln!(out, " {pad} | {lead}^")?;
                }
            }
        }
    }
    let files = results.iter().filter(|r| r.reports.is_ok()).count();
    let noun = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if invalid == 0 {
        writeln!(
            out,
            "ok: {} in {} valid",
            noun(documents, "entity", "entities"),
            noun(files, "file", "files")
        )?;
    } else {
        writeln!(
            out,
            "{} in {} of {} in {}",
            noun(problems, "problem", "problems"),
            noun(invalid, "entity", "entities"),
            noun(documents, "entity", "entities"),
            noun(files, "file", "files")
        )?;
    }
    Ok(())
}
