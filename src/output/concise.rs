//! `path:line:col: CODE [severity] message`, one line per finding: for editors, grep and pre-commit.

use super::{FileError, FileReport, Positions};
use std::io::{self, Write};

/// One file's lines.
pub(super) fn file(file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
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
    Ok(())
}

/// The lines of the files that could not be linted, after every file's.
pub(super) fn end(errors: &[FileError], out: &mut dyn Write) -> io::Result<()> {
    for e in errors {
        writeln!(out, "{}: error: {}", e.path, e.message)?;
    }
    Ok(())
}
