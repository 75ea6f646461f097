//! GitHub Actions workflow commands: `::error file=..,line=..,endLine=..,col=..,endColumn=..,title=..::message`.

use super::{FileError, FileReport, Positions};
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

/// One file's annotations.
pub(super) fn file(file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
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
    Ok(())
}

/// The annotations of the files that could not be linted, after every file's.
pub(super) fn end(errors: &[FileError], out: &mut dyn Write) -> io::Result<()> {
    for e in errors {
        writeln!(out, "::error file={},title=iamlint::{}", property(&e.path), data(&e.message))?;
    }
    Ok(())
}
