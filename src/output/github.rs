//! GitHub Actions workflow commands: `::error file=..,line=..,endLine=..,col=..,endColumn=..,title=..::message`.

use super::{Positions, RunReport};
use crate::finding::Severity;
use std::io::{self, Write};

/// Escape a workflow-command message.
pub(crate) fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a workflow-command property value.
pub(crate) fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub(super) fn write(report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        let pos = Positions::new(&file.source);
        for f in &file.findings {
            let (start, end) = pos.range(f.span);
            let command = match f.severity {
                Severity::Error | Severity::SecurityWarning => "error",
                Severity::Warning => "warning",
                Severity::Suggestion => "notice",
            };
            let mut message = f.message.clone();
            if let Some(h) = &f.help {
                message = format!("{message}\n{h}");
            }
            writeln!(
                out,
                "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
                property(&file.path),
                start.line,
                end.line,
                start.column,
                end.column,
                property(&format!("{} {} ({})", f.code(), f.name(), f.severity)),
                data(&message)
            )?;
        }
    }
    for e in &report.errors {
        writeln!(out, "::error file={},title=iamlint::{}", property(&e.path), data(&e.message))?;
    }
    Ok(())
}
