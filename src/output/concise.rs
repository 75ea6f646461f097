//! `path:line:col: CODE [severity] message`, one line per finding: for editors, grep and pre-commit.

use super::{Positions, RunReport};
use std::io::{self, Write};

pub(super) fn write(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        let pos = Positions::new(&file.source);
        for f in &file.findings {
            let (start, _) = pos.range(f.span);
            let also = if f.related.is_empty() {
                String::new()
            } else {
                let codes: Vec<&str> = f.related.iter().map(|r| r.rule.code()).collect();
                format!(" (also {})", codes.join(", "))
            };
            writeln!(
                out,
                "{}:{}:{}: {} [{}] {}{also}",
                file.path,
                start.line,
                start.column,
                f.code(),
                f.severity,
                f.message
            )?;
        }
    }
    for e in &report.errors {
        writeln!(out, "{}: error: {}", e.path, e.message)?;
    }
    Ok(())
}
